"""Advocacy asks: campaigns that ask customers to act, tracked links, and the lift they cause.

Campaigns as data (``campaigns``) kept in the database (``store``); who is asked, under which
guards, and the random holdout (``audience``); sending by e-mail or links and the survey
thank-you prompt (``sending``); signed, counted links that lead only to the campaign's targets
(``links``); the referral landing (``landing``); the lift against the control group
(``results``); rewards checked for fraud and exported (``rewards``).
"""
