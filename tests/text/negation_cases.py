"""Sentences where a negation decides the sentiment, written for advocacy's tests (CC0).

Praise by denial ("could not fault"), denied problems ("nothing went wrong") and denied praise
("would not recommend"). None was copied from a data set; ``benchmarks/text_eval.py`` reports
on them too, and the shipped model never trained on them.
"""

from __future__ import annotations

#: (text, language, expected sentiment)
NEGATION_CASES: list[tuple[str, str, str]] = [
    ("I could not fault what they did for me.", "en", "positive"),
    ("Soft and cozy, not itchy at all.", "en", "positive"),
    ("Nothing went wrong from booking to check-out.", "en", "positive"),
    ("No complaints, the engineer sorted it in ten minutes.", "en", "positive"),
    ("Never had a problem with this bank in twelve years.", "en", "positive"),
    ("Can't say enough good things about the nurses.", "en", "positive"),
    ("The fit was not bad at all and the colour is lovely.", "en", "positive"),
    ("Arrived with a large hole in the front, would not recommend.", "en", "negative"),
    ("The app is not working again and nobody replies.", "en", "negative"),
    ("Not happy: the parcel never arrived.", "en", "negative"),
    ("I did not get the refund they promised.", "en", "negative"),
    ("Staff were not helpful and the room was not clean.", "en", "negative"),
    ("Ich kann mich über nichts beschweren, alles lief perfekt.", "de", "positive"),
    ("Leider nicht zu empfehlen, das Gerät ging nach einer Woche kaputt.", "de", "negative"),
    ("Rien à redire, le service était parfait.", "fr", "positive"),
    ("Je ne suis pas satisfait, la commande est arrivée abîmée.", "fr", "negative"),
    ("No tuve ningún problema, todo llegó a tiempo.", "es", "positive"),
    ("No lo recomiendo, se rompió el primer día.", "es", "negative"),
    ("Não tive nenhum problema, recomendo.", "pt", "positive"),
    ("Niet tevreden, het pakket kwam nooit aan.", "nl", "negative"),
]


#: More English sentences, written before the scope reading was built (CC0). Even positions
#: (0, 2, 4...) were the development half looked at while building; odd positions are the
#: held-out half, scored only at the end (docs/benchmarks.md reports both halves).
MORE_CASES: list[tuple[str, str]] = [
    ("Couldn't be happier with the new sofa.", "positive"),
    ("Never had a problem with their deliveries.", "positive"),
    ("No issues at all with the installation.", "positive"),
    ("I have nothing but praise for the night nurses.", "positive"),
    ("Not a single thing went wrong on our trip.", "positive"),
    ("The checkout was not difficult at all.", "positive"),
    ("The battery life is not bad for the price.", "positive"),
    ("Could not ask for a friendlier team.", "positive"),
    ("There was never a moment when I felt ignored.", "positive"),
    ("I can't recommend this plumber enough.", "positive"),
    ("The food was never cold and always on time.", "positive"),
    ("No hidden fees, no surprises, just a fair price.", "positive"),
    ("Nobody made me feel rushed during the appointment.", "positive"),
    ("I wasn't disappointed, the hotel was exactly as pictured.", "positive"),
    ("Setting it up was not complicated and the manual is clear.", "positive"),
    ("The pharmacist did not hesitate to explain everything twice.", "positive"),
    ("It doesn't get any better than this cafe.", "positive"),
    ("Zero complaints about the repair.", "positive"),
    ("I have never been treated so kindly at a bank.", "positive"),
    ("The room wasn't noisy and the bed was comfortable.", "positive"),
    ("Delivery was not late once in six months.", "positive"),
    ("Not one scratch on the table when it arrived.", "positive"),
    ("The charger does not work with my laptop.", "negative"),
    ("Not what I expected, the colour is nothing like the photo.", "negative"),
    ("Nothing special, the pasta was bland.", "negative"),
    ("The agent never called me back.", "negative"),
    ("I would not buy this brand again.", "negative"),
    ("The staff were not friendly and the wait was long.", "negative"),
    ("My order still hasn't arrived after three weeks.", "negative"),
    ("No one could tell me where my luggage was.", "negative"),
    ("The shoes are not comfortable for long walks.", "negative"),
    ("They didn't even apologise for the mistake.", "negative"),
    ("The promised discount was never applied.", "negative"),
    ("Not worth the money.", "negative"),
    ("I can't log in since the last update.", "negative"),
    ("The technician didn't fix the leak.", "negative"),
    ("Not impressed with the customer service at all.", "negative"),
    ("The refund has not been processed yet.", "negative"),
    ("I was not satisfied with how my complaint was handled.", "negative"),
    ("Nobody answered my emails for two weeks.", "negative"),
    ("It's not that the food was bad, but the service was awful.", "negative"),
    ("Not cheap, but the quality is excellent.", "positive"),
    ("I was not unhappy with the result.", "positive"),
    ("Nothing was wrong with the product, but the courier was rude.", "negative"),
    ("The screen isn't perfect, however it is great value.", "positive"),
    ("I can't say I was unhappy with the stay.", "positive"),
    ("Not bad at all, would definitely come back.", "positive"),
    ("The instructions were not unclear, but the parts did not fit.", "negative"),
    ("Never again, the worst hotel we have stayed in.", "negative"),
    ("There is no reason not to choose this gym.", "positive"),
    ("I have not used the new app yet.", "neutral"),
    ("The store does not open on Sundays.", "neutral"),
]
#: The development half (looked at while building) and the held-out half (scored at the end).
MORE_DEVELOPMENT = MORE_CASES[0::2]
MORE_HELD_OUT = MORE_CASES[1::2]

#: (text, expected sentiment) pairs, the shape benchmarks/text_eval.py reads: every sentence.
NEGATION: list[tuple[str, str]] = [
    *((text, label) for text, _, label in NEGATION_CASES),
    *MORE_CASES,
]
