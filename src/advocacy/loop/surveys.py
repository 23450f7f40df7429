"""Hosted surveys: their definitions, signed invitation links and the contact-frequency guard.

A survey is a short NPS/CSAT/CES questionnaire with a comment box, worded in the company's own
words (any question may be left out to hide it). Customers reach it through a signed,
per-customer link (:func:`invite`, :func:`links_for_segment`) or, when the survey allows it,
through its anonymous link (:func:`anonymous_link`). Answers arrive through
:mod:`advocacy.loop.submissions`.

The contact-frequency guard keeps a customer from being asked more than once in
``contact_guard_days`` days: a customer counts as contacted when they were invited to any
survey, or answered any survey, within that many days. Links for mailing skip such customers
and say how many and why; a single ``invite`` raises :class:`ContactGuardError`. Follow-up
surveys of a case (``purpose="follow-up"``) bypass the guard: the customer asked for help and
the follow-up measures whether it worked.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import yaml

from advocacy.access.audit import record_audit
from advocacy.errors import InputError, NotFoundError, UsageError
from advocacy.loop.signing import LinkClaims, secret_key, sign_link
from advocacy.settings import get_setting
from advocacy.store.connection import Database

#: Fields of a survey definition a user may set (YAML keys, API body keys).
SURVEY_FIELDS = (
    "survey_id",
    "title",
    "company",
    "intro",
    "nps_question",
    "csat_question",
    "ces_question",
    "comment_prompt",
    "thanks",
    "touchpoint",
    "unit",
    "channel",
    "anonymous_allowed",
    "active",
)
_COLUMNS = (*SURVEY_FIELDS, "created_at", "updated_at")
_SURVEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
PURPOSES = ("invitation", "follow-up")

#: The default survey, in plain words; ``ensure_default_survey`` stores it once.
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


class ContactGuardError(UsageError):
    """A customer was contacted too recently to be invited again (contact-frequency guard)."""


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


@dataclass(frozen=True)
class Invitation:
    """One signed survey link for one customer (or none), valid until ``expires_at``."""

    invitation_id: str
    survey_id: str
    customer_id: str | None
    case_id: str | None
    purpose: str
    created_at: datetime
    expires_at: datetime
    token: str
    url: str

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SkippedCustomer:
    customer_id: str
    reason: str  # "invited" or "responded"
    last_contact: datetime


@dataclass(frozen=True)
class LinksResult:
    """Links created for mailing, and the customers the contact guard left out."""

    survey_id: str
    links: list[dict[str, Any]] = field(default_factory=list)  # invitation + name, email
    skipped: list[SkippedCustomer] = field(default_factory=list)
    guard_days: int = 0

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.reason] = counts.get(item.reason, 0) + 1
        return counts


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1", "on"}:
        return True
    if text in {"false", "no", "0", "off", ""}:
        return False
    raise UsageError(f"{name} must be true or false", value=value, parameter=name, fix="true")


def check_definition(definition: Mapping[str, Any], *, file: str | None = None) -> dict[str, Any]:
    """``definition`` validated and normalised (unknown keys, a bad id or no question refused)."""
    unknown = sorted(set(map(str, definition)) - set(SURVEY_FIELDS))
    if unknown:
        raise UsageError(
            f"unknown survey field(s) {unknown}",
            file=file,
            value=", ".join(unknown),
            fix="use only: " + ", ".join(SURVEY_FIELDS),
        )
    clean: dict[str, Any] = {name: _text(definition.get(name)) for name in SURVEY_FIELDS}
    survey_id = clean["survey_id"] or ""
    if not _SURVEY_ID.match(survey_id):
        raise UsageError(
            "a survey needs a survey_id of letters, digits, '-' or '_' (it appears in links)",
            file=file,
            parameter="survey_id",
            value=survey_id or None,
            fix="e.g. survey_id: after-support",
        )
    if not clean["title"]:
        raise UsageError("a survey needs a title", file=file, parameter="title", fix="add title:")
    asked = ("nps_question", "csat_question", "ces_question", "comment_prompt")
    if not any(clean[name] for name in asked):
        raise UsageError(
            f"survey {survey_id!r} asks nothing",
            file=file,
            fix="set at least one of " + ", ".join(asked),
        )
    clean["anonymous_allowed"] = _flag(
        definition.get("anonymous_allowed", False), "anonymous_allowed"
    )
    clean["active"] = _flag(definition.get("active", True), "active")
    return clean


def load_survey_file(path: str | Path) -> dict[str, Any]:
    """Read and check one survey definition from a YAML file."""
    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read {source}: {error.strerror}", file=str(source)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(
            f"cannot parse the YAML: {getattr(error, 'problem', error)}",
            file=str(source),
            row=None if mark is None else mark.line + 1,
            fix="fix the YAML syntax on that line",
        ) from None
    if not isinstance(data, Mapping):
        raise InputError(
            "a survey file holds one mapping of fields",
            file=str(source),
            fix="start with survey_id: and title:",
        )
    return check_definition(data, file=str(source))


def _row_to_survey(row: Sequence[Any]) -> Survey:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["anonymous_allowed"] = bool(values["anonymous_allowed"])
    values["active"] = bool(values["active"])
    return Survey(**values)


def list_surveys(db: Database, *, active_only: bool = False) -> list[Survey]:
    """Every survey, by id (the ``default`` survey is created on first use)."""
    ensure_default_survey(db)
    where = " WHERE active" if active_only else ""
    rows = db.fetchall(f"SELECT {', '.join(_COLUMNS)} FROM surveys{where} ORDER BY survey_id")
    return [_row_to_survey(row) for row in rows]


def get_survey(db: Database, survey_id: str) -> Survey:
    """The survey ``survey_id``, or :class:`NotFoundError` naming the surveys there are.

    The ``default`` survey is created with :data:`DEFAULT_SURVEY`'s wording on first use.
    """
    if survey_id == "default":
        ensure_default_survey(db)
    row = db.fetchone(f"SELECT {', '.join(_COLUMNS)} FROM surveys WHERE survey_id = ?", [survey_id])
    if row is None:
        known = [survey.survey_id for survey in list_surveys(db)]
        raise NotFoundError(
            f"no survey {survey_id!r}",
            value=survey_id,
            table="surveys",
            fix="use one of: " + (", ".join(known) or "(none yet: advocacy survey create FILE)"),
        )
    return _row_to_survey(row)


def save_survey(
    db: Database, definition: Mapping[str, Any], *, actor: str, now: datetime | None = None
) -> Survey:
    """Create the survey in ``definition``, or replace the definition of that survey id."""
    clean = check_definition(definition)
    moment = _now(now)
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
    """The survey ``default``, created with :data:`DEFAULT_SURVEY`'s wording when missing."""
    with db.transaction():
        row = db.fetchone("SELECT count(*) FROM surveys WHERE survey_id = 'default'")
        if not row or not row[0]:
            return save_survey(db, DEFAULT_SURVEY, actor="system", now=now)
    row = db.fetchone(f"SELECT {', '.join(_COLUMNS)} FROM surveys WHERE survey_id = 'default'")
    assert row is not None
    return _row_to_survey(row)


def _active(survey: Survey) -> Survey:
    if not survey.active:
        raise UsageError(
            f"survey {survey.survey_id!r} is switched off",
            value=survey.survey_id,
            fix="set active: true in its definition (advocacy survey create FILE)",
        )
    return survey


def _public_url() -> str:
    return str(get_setting("public_url")).rstrip("/")


def anonymous_link(db: Database, survey_id: str) -> str:
    """The survey's anonymous link (no customer), if the survey allows anonymous answers."""
    survey = get_survey(db, survey_id)
    if not survey.anonymous_allowed:
        raise UsageError(
            f"survey {survey_id!r} does not take anonymous answers",
            value=survey_id,
            fix="set anonymous_allowed: true in its definition, or send signed links",
        )
    return f"{_public_url()}/s/open/{survey_id}"


def last_contacts(
    db: Database, customer_ids: Sequence[str] | None, *, since: datetime
) -> dict[str, SkippedCustomer]:
    """Customers invited or responding since ``since`` (all, or among ``customer_ids``)."""
    where = ""
    ids: list[str] = []
    if customer_ids is not None:
        if not customer_ids:
            return {}
        ids = [str(item) for item in customer_ids]
        where = f" AND customer_id IN ({', '.join('?' * len(ids))})"
    rows = db.fetchall(
        "SELECT customer_id, 'invited', max(created_at) FROM survey_invitations "
        f"WHERE customer_id IS NOT NULL AND created_at >= ?{where} GROUP BY customer_id "
        "UNION ALL SELECT customer_id, 'responded', max(submitted_at) FROM responses "
        f"WHERE customer_id IS NOT NULL AND submitted_at >= ?{where} GROUP BY customer_id",
        [since, *ids, since, *ids],
    )
    found: dict[str, SkippedCustomer] = {}
    for customer_id, reason, moment in rows:
        moment = moment.astimezone(UTC)
        previous = found.get(str(customer_id))
        if previous is None or moment > previous.last_contact:
            found[str(customer_id)] = SkippedCustomer(str(customer_id), str(reason), moment)
    return found


def _new_invitation(
    survey_id: str,
    customer_id: str | None,
    *,
    purpose: str,
    case_id: str | None,
    moment: datetime,
    secret: bytes,
) -> Invitation:
    expires = moment + timedelta(days=int(get_setting("survey_link_days")))
    invitation_id = uuid.uuid4().hex
    claims = LinkClaims(invitation_id, survey_id, customer_id, expires.replace(microsecond=0))
    token = sign_link(claims, secret=secret.decode("utf-8"))
    url = f"{_public_url()}/s/{token}"
    return Invitation(
        invitation_id,
        survey_id,
        customer_id,
        case_id,
        purpose,
        moment,
        claims.expires_at,
        token,
        url,
    )


def _store_invitations(db: Database, invitations: Sequence[Invitation]) -> None:
    columns = ("invitation_id", "survey_id", "customer_id", "case_id", "purpose")
    data = pa.table(
        {
            **{
                name: pa.array([getattr(i, name) for i in invitations], pa.string())
                for name in columns
            },
            "created_at": pa.array([i.created_at for i in invitations], pa.timestamp("us", "UTC")),
            "expires_at": pa.array([i.expires_at for i in invitations], pa.timestamp("us", "UTC")),
        }
    )
    types = {name: "TEXT" for name in columns} | {
        "created_at": "TIMESTAMPTZ",
        "expires_at": "TIMESTAMPTZ",
    }
    db.load_temporary("stage_invitations", data, types)
    names = ", ".join((*columns, "created_at", "expires_at"))
    db.execute(f"INSERT INTO survey_invitations ({names}) SELECT {names} FROM stage_invitations")
    db.execute("DROP TABLE stage_invitations")


def invite(
    db: Database,
    *,
    survey_id: str,
    customer_id: str | None,
    purpose: str = "invitation",
    case_id: str | None = None,
    now: datetime | None = None,
    actor: str = "system",
) -> Invitation:
    """Create one signed survey link for ``customer_id`` (None: a one-time link for anyone).

    Parameters
    ----------
    purpose
        ``"invitation"`` respects the contact-frequency guard; ``"follow-up"`` (the re-survey
        of case ``case_id`` after it was resolved) bypasses it.

    Raises
    ------
    ContactGuardError
        For an invitation to a customer invited or responding within ``contact_guard_days``.
    UsageError
        No ``secret_key`` is set, or ``purpose`` is unknown.
    """
    if purpose not in PURPOSES:
        raise UsageError(
            f"unknown invitation purpose {purpose!r}",
            value=purpose,
            parameter="purpose",
            fix="use one of: " + ", ".join(PURPOSES),
        )
    secret = secret_key()
    moment = _now(now)
    with db.transaction():
        survey = _active(get_survey(db, survey_id))
        if purpose == "invitation" and customer_id is not None:
            days = int(get_setting("contact_guard_days"))
            recent = last_contacts(db, [customer_id], since=moment - timedelta(days=days))
            if customer_id in recent:
                last = recent[customer_id]
                raise ContactGuardError(
                    f"customer {customer_id!r} was {last.reason} on {last.last_contact:%Y-%m-%d}, "
                    f"within the {days}-day contact guard",
                    value=customer_id,
                    parameter="contact_guard_days",
                    fix=f"wait until {last.last_contact + timedelta(days=days):%Y-%m-%d}, "
                    "or lower ADVOCACY_CONTACT_GUARD_DAYS",
                )
        invitation = _new_invitation(
            survey.survey_id,
            customer_id,
            purpose=purpose,
            case_id=case_id,
            moment=moment,
            secret=secret,
        )
        _store_invitations(db, [invitation])
        record_audit(
            db,
            actor=actor,
            action="survey.invite",
            target=invitation.invitation_id,
            detail={"survey_id": survey_id, "customer_id": customer_id, "purpose": purpose}
            | ({"case_id": case_id} if case_id else {}),
            now=moment,
        )
    return invitation


def links_for_segment(
    db: Database,
    *,
    survey_id: str,
    segment: str | None = None,
    unit: str | None = None,
    customers: Sequence[str] | None = None,
    now: datetime | None = None,
    actor: str = "system",
) -> LinksResult:
    """Signed links for every customer matching the filters, skipping recently contacted ones.

    Parameters
    ----------
    segment
        Customers whose ``segment`` is this.
    unit
        Customers with a response or interaction in this unit.
    customers
        Only these customer ids.

    Returns
    -------
    LinksResult
        One link per customer invited (with name and e-mail, for mailing) and the customers the
        contact guard skipped, with why (``invited`` or ``responded``) and when.
    """
    moment = _now(now)
    days = int(get_setting("contact_guard_days"))
    conditions = ["NOT coalesce(is_stub, false)"] if customers is None else []
    params: list[Any] = []
    if segment is not None:
        conditions.append("segment = ?")
        params.append(segment)
    if unit is not None:
        conditions.append(
            "customer_id IN (SELECT customer_id FROM responses WHERE unit = ? "
            "UNION SELECT customer_id FROM interactions WHERE unit = ?)"
        )
        params.extend([unit, unit])
    if customers is not None:
        conditions.append(f"customer_id IN ({', '.join('?' * len(customers)) or 'NULL'})")
        params.extend(customers)
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    with db.transaction():
        survey = _active(get_survey(db, survey_id))
        matched = db.fetchall(
            f"SELECT customer_id, name, email FROM customers{where} ORDER BY customer_id", params
        )
        recent = last_contacts(db, None, since=moment - timedelta(days=days))
        result = LinksResult(survey.survey_id, guard_days=days)
        invitations = []
        secret = b""
        for customer_id, name, email in matched:
            if str(customer_id) in recent:
                result.skipped.append(recent[str(customer_id)])
                continue
            secret = secret or secret_key()  # asked for only when there is a link to sign
            invitation = _new_invitation(
                survey.survey_id,
                str(customer_id),
                purpose="invitation",
                case_id=None,
                moment=moment,
                secret=secret,
            )
            invitations.append(invitation)
            result.links.append({**invitation.to_dict(), "name": name, "email": email})
        if invitations:
            _store_invitations(db, invitations)
        record_audit(
            db,
            actor=actor,
            action="survey.links",
            target=survey.survey_id,
            detail={
                "segment": segment,
                "unit": unit,
                "customers": len(customers) if customers is not None else None,
                "created": len(invitations),
                "skipped": len(result.skipped),
            },
            now=moment,
        )
    return result


__all__ = [
    "DEFAULT_SURVEY",
    "PURPOSES",
    "SURVEY_FIELDS",
    "ContactGuardError",
    "Invitation",
    "LinksResult",
    "SkippedCustomer",
    "Survey",
    "anonymous_link",
    "check_definition",
    "ensure_default_survey",
    "get_survey",
    "invite",
    "last_contacts",
    "links_for_segment",
    "list_surveys",
    "load_survey_file",
    "save_survey",
]
