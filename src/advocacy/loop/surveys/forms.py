"""Survey forms: what a survey page shows, and the check of each answer sent back.

:func:`survey_form` is the form behind a signed link or a survey's anonymous link: the survey,
whether that link was answered already, and a fresh nonce. :func:`prepare_submission` checks one
sent form on its own (the link's signature and expiry, the form's nonce, each score's range), so
a bad one is refused alone, and turns it into a :class:`Submission` for
:mod:`advocacy.loop.surveys.submissions` to commit. The response id derives from the invitation id
(or, for the anonymous link, from the form's nonce), so a double submit is recognised there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.errors import ValidationError
from advocacy.loop.surveys.definitions import Survey, get_survey
from advocacy.loop.surveys.signing import LinkError, check_form_nonce, form_nonce, verify_link
from advocacy.store.connection import Database

#: Scores a form may carry: (field, lowest, highest, what to do).
SCORES = (
    ("nps", 0, 10, "choose a number from 0 (not at all likely) to 10 (extremely likely)"),
    ("csat", 1, 5, "choose from 1 (very dissatisfied) to 5 (very satisfied)"),
    ("ces", 1, 7, "choose from 1 (very difficult) to 7 (very easy)"),
)
QUESTION_OF = {"nps": "nps_question", "csat": "csat_question", "ces": "ces_question"}
MAX_COMMENT = 5_000
#: Response ids of hosted-survey answers: this prefix and the invitation id (or a form digest).
RESPONSE_PREFIX = "web-"
SurveyLookup = Callable[[str], Survey]


@dataclass(frozen=True)
class Submission:
    """A checked answer, ready to commit."""

    response_id: str
    survey: Survey
    invitation_id: str | None
    customer_id: str | None
    record: dict[str, Any]


def read_answers(survey: Survey, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The scores and comment of a form, checked against ``survey``'s questions and ranges."""
    values: dict[str, Any] = {}
    for name, lowest, highest, fix in SCORES:
        raw = answers.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            continue
        if getattr(survey, QUESTION_OF[name]) is None:
            raise ValidationError(
                f"survey {survey.survey_id!r} does not ask for {name.upper()}",
                column=name,
                value=text,
                fix="leave it out",
            )
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or not lowest <= number <= highest:
            raise ValidationError(
                f"{name.upper()} must be a whole number from {lowest} to {highest}",
                column=name,
                value=text,
                fix=fix,
            )
        values[name] = number
    comment = str(answers.get("comment") or "").strip()
    if comment:
        if survey.comment_prompt is None:
            raise ValidationError(
                f"survey {survey.survey_id!r} has no comment box",
                column="comment",
                fix="leave the comment out",
            )
        if len(comment) > MAX_COMMENT:
            raise ValidationError(
                f"the comment is {len(comment):,} characters long; at most {MAX_COMMENT:,} fit",
                column="comment",
                fix="shorten the comment",
            )
        values["comment"] = comment
    if not values:
        raise ValidationError(
            "the form was sent without an answer",
            fix="choose a score or write a comment, then send it",
        )
    return values


def _anonymous_survey(survey: Survey) -> Survey:
    if not survey.anonymous_allowed:
        raise LinkError(
            f"survey {survey.survey_id!r} has no anonymous link",
            value=survey.survey_id,
            fix="answer through the personal link you were sent",
        )
    return survey


def prepare_submission(
    survey_of: SurveyLookup,
    *,
    token_or_survey: str,
    answers: Mapping[str, Any],
    secret: str,
    anonymous: bool = False,
    nonce: str | None = None,
    now: datetime | None = None,
) -> Submission:
    """Check one form: its link (or, with ``anonymous``, its survey id), nonce and answers.

    Parameters
    ----------
    survey_of
        Returns the survey of an id (e.g. ``lambda s: get_survey(db, s)``).
    token_or_survey
        The signed link's token; with ``anonymous=True``, the survey id of the anonymous link.
    secret
        The key links and nonces are signed with: the workspace's ``secret_key`` setting.
    nonce
        The form's nonce (:func:`advocacy.loop.surveys.signing.form_nonce`); required for the
        anonymous link, whose response id it derives, and checked when given for a signed link.

    Raises
    ------
    LinkError
        A tampered or unknown link, a switched-off survey, a bad nonce (expired: 410).
    ValidationError
        A score out of range, a hidden question answered, or no answer at all.
    """
    moment = now_utc(now)
    if anonymous:
        survey = _anonymous_survey(survey_of(token_or_survey))
        form = check_form_nonce(nonce, "open:" + survey.survey_id, secret=secret, now=moment)
        digest = hashlib.sha256(f"{survey.survey_id}|{form}".encode()).hexdigest()[:24]
        response_id, invitation_id, customer_id = RESPONSE_PREFIX + digest, None, None
    else:
        claims = verify_link(token_or_survey, secret=secret, now=moment)
        if nonce is not None:
            check_form_nonce(nonce, token_or_survey, secret=secret, now=moment)
        survey = survey_of(claims.survey_id)
        response_id = RESPONSE_PREFIX + claims.invitation_id
        invitation_id, customer_id = claims.invitation_id, claims.customer_id
    if not survey.active:
        raise LinkError(
            f"the survey {survey.survey_id!r} is closed",
            value=survey.survey_id,
            fix="nothing to do: it no longer takes answers",
        )
    record: dict[str, Any] = {
        "response_id": response_id,
        "customer_id": customer_id,
        "survey": survey.survey_id,
        "submitted_at": moment.isoformat(),
        "channel": survey.channel or "web-survey",
        "touchpoint": survey.touchpoint,
        "unit": survey.unit,
        **read_answers(survey, answers),
    }
    if invitation_id is not None:
        record["invitation_id"] = invitation_id  # kept in attrs, beside the invitation's row
    return Submission(response_id, survey, invitation_id, customer_id, record)


@dataclass(frozen=True)
class SurveyForm:
    """What a survey page shows: the survey, whether it was answered already, a fresh nonce."""

    survey: Survey
    customer_id: str | None
    already_answered: bool
    nonce: str


def survey_form(
    db: Database,
    *,
    token_or_survey: str,
    secret: str,
    anonymous: bool = False,
    now: datetime | None = None,
) -> SurveyForm:
    """The form behind a signed link (or, with ``anonymous``, a survey's anonymous link).

    ``secret`` is the workspace's ``secret_key`` setting: it checks the link and signs the
    form's nonce.

    Raises
    ------
    LinkError
        A tampered, unknown or closed link (:class:`LinkExpiredError` once expired).
    """
    moment = now_utc(now)
    if anonymous:
        survey = _anonymous_survey(get_survey(db, token_or_survey))
        customer_id, answered, subject = None, False, "open:" + survey.survey_id
    else:
        claims = verify_link(token_or_survey, secret=secret, now=moment)
        row = db.fetchone(
            "SELECT responded_at, customer_id FROM survey_invitations WHERE invitation_id = ?",
            [claims.invitation_id],
        )
        if row is None:
            raise LinkError(
                "this survey link is not known to this workspace",
                value=claims.invitation_id,
                fix="ask the sender for a new link",
            )
        survey = get_survey(db, claims.survey_id)
        # The invitation's customer, not the signed one: a merge may have moved it since.
        customer_id, answered, subject = row[1], row[0] is not None, token_or_survey
    if not survey.active:
        raise LinkError(
            f"the survey {survey.survey_id!r} is closed",
            value=survey.survey_id,
            fix="nothing to do: it no longer takes answers",
        )
    return SurveyForm(survey, customer_id, answered, form_nonce(subject, secret=secret, now=moment))


__all__ = [
    "RESPONSE_PREFIX",
    "SCORES",
    "Submission",
    "SurveyForm",
    "prepare_submission",
    "read_answers",
    "survey_form",
]
