"""Hosted surveys' definitions: their wording, how one is checked, and where it is stored.

A survey is a short NPS/CSAT/CES questionnaire with a comment box, worded in the company's own
words (any question may be left out to hide it). A definition arrives as YAML
(:func:`load_survey_file`, ``advocacy surveys load FILE``) or as an API body, is checked by
:func:`check_definition` and lives in the ``surveys`` table. Customers reach a survey through
the links of :mod:`advocacy.loop.surveys.invitations`; their answers arrive through
:mod:`advocacy.loop.surveys.submissions`.

Every workspace has the survey ``default`` (:data:`DEFAULT_SURVEY`'s wording). Reading it never
writes: until it is stored, :func:`get_survey` and :func:`list_surveys` return the built-in
definition. The first write that uses it (an invitation, an answer) stores it through
:func:`stored_survey`, so the wording customers saw is kept with their answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from advocacy.access.audit import now_utc, record_audit
from advocacy.config_files import Document, parse_yaml, read_text, validate
from advocacy.errors import InputError, NotFoundError, UsageError
from advocacy.store.connection import Database

_SURVEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _survey_id(value: Any) -> str:
    survey_id = _text(value) or ""
    if not _SURVEY_ID.match(survey_id):
        raise PydanticCustomError(
            "survey_id",
            "a survey needs a survey_id of letters, digits, '-' or '_' (it appears in links)",
            {"fix": "e.g. survey_id: after-support"},
        )
    return survey_id


def _title(value: Any) -> str:
    title = _text(value)
    if title is None:
        raise PydanticCustomError("title", "a survey needs a title", {"fix": "add title:"})
    return title


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "on"}:
        return True
    if text in {"false", "no", "0", "off", ""}:
        return False
    raise PydanticCustomError("flag", "must be true or false", {"fix": "true"})


Text = Annotated[str | None, BeforeValidator(_text)]
Flag = Annotated[bool, BeforeValidator(_flag)]


class SurveyDefinition(BaseModel):
    """A survey's definition as a user writes it (YAML keys, API body keys)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    survey_id: Annotated[str, BeforeValidator(_survey_id)] = Field(
        "", validate_default=True, description="the id in the survey's links"
    )
    title: Annotated[str, BeforeValidator(_title)] = Field(
        "", validate_default=True, description="the page's title"
    )
    company: Text = None
    intro: Text = None
    nps_question: Text = None
    csat_question: Text = None
    ces_question: Text = None
    comment_prompt: Text = None
    thanks: Text = None
    touchpoint: Text = None
    unit: Text = None
    channel: Text = None
    anonymous_allowed: Flag = False
    active: Flag = True


#: Fields of a survey definition a user may set (YAML keys, API body keys).
SURVEY_FIELDS = tuple(SurveyDefinition.model_fields)
_COLUMNS = (*SURVEY_FIELDS, "created_at", "updated_at")
#: The default survey, in plain words; :func:`ensure_default_survey` stores it once.
DEFAULT_SURVEY: dict[str, Any] = {
    "survey_id": "default",
    "title": "How did we do?",
    "company": None,
    "intro": "Two minutes, three questions. Every answer is read by a person.",
    "nps_question": "How likely are you to recommend us to a friend or colleague?",
    "csat_question": "Overall, how satisfied are you with us?",
    "ces_question": "How easy was it to get what you needed from us?",
    "comment_prompt": "What is the main reason for your answers? What should we do better?",
    "thanks": "Thank you. Your answer has reached us, and if something went wrong, "
    "someone will be in touch.",
    "touchpoint": None,
    "unit": None,
    "channel": "web-survey",
    "anonymous_allowed": True,
    "active": True,
}


@dataclass(frozen=True)
class Survey:
    """A hosted survey's definition; a question left ``None`` is not asked."""

    survey_id: str
    title: str
    company: str | None = None
    intro: str | None = None
    nps_question: str | None = None
    csat_question: str | None = None
    ces_question: str | None = None
    comment_prompt: str | None = None
    thanks: str | None = None
    touchpoint: str | None = None
    unit: str | None = None
    channel: str | None = None
    anonymous_allowed: bool = False
    active: bool = True
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _COLUMNS}


def _check(document: Document) -> dict[str, Any]:
    try:
        definition = validate(SurveyDefinition, document, error=UsageError)
    except UsageError as error:
        error.parameter = error.column  # an API body's field is the request's parameter
        raise
    asked = ("nps_question", "csat_question", "ces_question", "comment_prompt")
    if not any(getattr(definition, name) for name in asked):
        raise UsageError(
            f"survey {definition.survey_id!r} asks nothing",
            file=document.source or None,
            fix="set at least one of " + ", ".join(asked),
        )
    return definition.model_dump()


def check_definition(definition: Mapping[str, Any], *, file: str | None = None) -> dict[str, Any]:
    """``definition`` validated and normalised (unknown keys, a bad id or no question refused)."""
    return _check(Document(dict(definition), file or ""))


def load_survey_file(path: str | Path) -> dict[str, Any]:
    """Read and check one survey definition from a YAML file (errors name the line and field)."""
    document = parse_yaml(read_text(path, what="survey file"), source=str(path))
    if not isinstance(document.data, Mapping):
        raise InputError(
            "a survey file holds one mapping of fields",
            file=str(path),
            fix="start with survey_id: and title:",
        )
    return _check(document)


def _row_to_survey(row: Sequence[Any]) -> Survey:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["anonymous_allowed"] = bool(values["anonymous_allowed"])
    values["active"] = bool(values["active"])
    return Survey(**values)


def _built_in_default() -> Survey:
    return Survey(**DEFAULT_SURVEY)


def list_surveys(db: Database, *, active_only: bool = False) -> list[Survey]:
    """Every survey, by id, with the built-in ``default`` survey while it is not stored yet."""
    where = " WHERE active" if active_only else ""
    rows = db.fetchall(f"SELECT {', '.join(_COLUMNS)} FROM surveys{where} ORDER BY survey_id")
    surveys = [_row_to_survey(row) for row in rows]
    if not any(survey.survey_id == "default" for survey in surveys):
        stored = db.fetchone("SELECT count(*) FROM surveys WHERE survey_id = 'default'")
        if not stored or not stored[0]:  # not merely filtered out as switched off
            surveys = sorted([*surveys, _built_in_default()], key=lambda item: item.survey_id)
    return surveys


def get_survey(db: Database, survey_id: str) -> Survey:
    """The survey ``survey_id``, or :class:`NotFoundError` naming the surveys there are.

    A read: the ``default`` survey, when not stored yet, is :data:`DEFAULT_SURVEY`'s built-in
    definition (its ``created_at`` is None), and nothing is written.
    """
    row = db.fetchone(f"SELECT {', '.join(_COLUMNS)} FROM surveys WHERE survey_id = ?", [survey_id])
    if row is not None:
        return _row_to_survey(row)
    if survey_id == "default":
        return _built_in_default()
    known = [survey.survey_id for survey in list_surveys(db)]
    raise NotFoundError(
        f"no survey {survey_id!r}",
        value=survey_id,
        table="surveys",
        fix="use one of: " + (", ".join(known) or "(none yet: advocacy surveys load FILE)"),
    )


def save_survey(
    db: Database, definition: Mapping[str, Any], *, actor: str, now: datetime | None = None
) -> Survey:
    """Create the survey in ``definition``, or replace the definition of that survey id."""
    clean = check_definition(definition)
    moment = now_utc(now)
    with db.transaction():
        existing = db.fetchone(
            "SELECT created_at FROM surveys WHERE survey_id = ?", [clean["survey_id"]]
        )
        db.execute("DELETE FROM surveys WHERE survey_id = ?", [clean["survey_id"]])
        created = existing[0] if existing else moment
        db.execute(
            f"INSERT INTO surveys ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(_COLUMNS))})",
            [*(clean[name] for name in SURVEY_FIELDS), created, moment],
        )
        record_audit(
            db,
            actor=actor,
            action="survey.update" if existing else "survey.create",
            target=clean["survey_id"],
            detail={"title": clean["title"], "active": clean["active"]},
            now=moment,
        )
    return get_survey(db, clean["survey_id"])


def ensure_default_survey(db: Database, *, now: datetime | None = None) -> Survey:
    """The survey ``default`` as stored, storing :data:`DEFAULT_SURVEY`'s wording when missing."""
    with db.transaction():
        row = db.fetchone(f"SELECT {', '.join(_COLUMNS)} FROM surveys WHERE survey_id = 'default'")
        if row is None:
            return save_survey(db, DEFAULT_SURVEY, actor="system", now=now)
    return _row_to_survey(row)


def stored_survey(db: Database, survey_id: str, *, now: datetime | None = None) -> Survey:
    """:func:`get_survey` for a write that uses the survey: the ``default`` survey is stored first.

    Invitations and answers call this inside their transaction, so the built-in default's
    wording is kept from its first use on.
    """
    if survey_id == "default":
        return ensure_default_survey(db, now=now)
    return get_survey(db, survey_id)


__all__ = [
    "DEFAULT_SURVEY",
    "SURVEY_FIELDS",
    "Survey",
    "SurveyDefinition",
    "check_definition",
    "ensure_default_survey",
    "get_survey",
    "list_surveys",
    "load_survey_file",
    "save_survey",
    "stored_survey",
]
