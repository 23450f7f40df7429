"""Viewer masking in one place: a record, a row or a table as a principal may see it.

A viewer reads analyses and customers without personal data. :func:`mask_record` (and
:func:`mask_frame` for tables, :func:`mask_text` for one text) is what every page, API response
and download a viewer can reach passes its data through:

- **personal fields** (:data:`PERSONAL_FIELDS`: a person's name, e-mail, phone, a mention's
  author, a referral's contact, an interviewer, a link that may carry a credential) are replaced
  by :data:`MASK`;
- **free-text fields** (:data:`TEXT_FIELDS`: comments, mention and note texts, case summaries,
  events, root causes and actions taken, plan titles and descriptions, theme key phrases,
  quotes and sentences, the reasons and root causes analyses write from them) are redacted by
  the one redactor, :func:`advocacy.text.pii.redact`, knowing the workspace's names
  (:func:`text_redactor`, built once and passed to every call): e-mails, phones, card numbers,
  known customer and employee names and first names become placeholders;
- a record about a theme (it has a ``theme_id``) names the theme, not a person: its ``name``
  is free text, redacted rather than masked (and so is the id, which for a curated theme is
  ``curated:`` and its name);
- nested records (a case's evidence and timeline, an event's detail, a coaching summary's
  themes and cases, dataclasses) are masked by the same rules, field by field.

Everything else (ids, units, channels, scores, dates, staff user names) is shown as it is.
Other roles get their data unchanged. Redaction fails closed: if the known names cannot be
read, :func:`text_redactor` raises and nothing is shown; masking for a viewer without a
redactor is refused rather than done without the names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

import pandas as pd

from advocacy.access.roles import Principal
from advocacy.store.connection import Database
from advocacy.text.pii import Redactor

#: What a viewer sees in place of a personal field.
MASK = "•••"
#: Fields that name or reach a person: masked whole for roles that must not see personal data.
PERSONAL_FIELDS = frozenset(
    {"name", "email", "phone", "author", "referred_contact", "interviewer", "url", "contact"}
)
#: Free-text fields: shown to those roles with personal data redacted.
TEXT_FIELDS = frozenset(
    {
        # evidence
        "comment",
        "text",
        # cases and their events
        "summary",
        "root_cause",
        "action_taken",
        "theme",
        # plans (a link may name a theme)
        "title",
        "description",
        "link",
        "link_ref",
        # themes, quotes and the analyses built on them; a curated theme's id holds its name
        "theme_id",
        "driver",
        "keywords",
        "key_phrases",
        "examples",
        "quote",
        "quotes",
        "sentence",
        "negative_sentence",
        "positive_sentence",
        "themes",
        "subject",
        "root_causes",
        "root_cause_themes",
        "reason",
        "reasons",
        "risk_reason",
    }
)
#: A record with this field is about a theme: its ``name`` is the theme's label (free text).
THEME_KEY = "theme_id"

#: Texts a redactor remembers (the same summary or root cause recurs across a page's records).
REMEMBERED_TEXTS = 4096

R = TypeVar("R")
#: Redacts one text: what :func:`text_redactor` returns and every masking function takes.
TextRedactor = Callable[[str], str]


def text_redactor(db: Database, principal: Principal) -> TextRedactor | None:
    """The redactor masking for ``principal`` uses, or None for roles that see personal data.

    The one redactor (:meth:`advocacy.text.pii.Redactor.for_workspace`) knowing the workspace's
    identities (customer and employee names, customer ids, stored phones and e-mails, mention
    authors), read once here: build it once per request (or per data generation) and pass it to
    every masking call. A failed lookup raises :class:`advocacy.errors.RedactionError`:
    redacting without the identities would show them.
    """
    if not principal.masks_personal_data:
        return None
    workspace = Redactor.for_workspace(db)

    @lru_cache(maxsize=REMEMBERED_TEXTS)
    def redactor(text: str) -> str:
        return workspace.redact(text)

    return redactor


def _chosen(principal: Principal, redactor: TextRedactor | None) -> TextRedactor:
    if redactor is None:
        raise ValueError(
            f"masking for {principal.name!r} ({principal.role.value}) needs the workspace's "
            "redactor: pass redactor=text_redactor(db, principal)"
        )
    return redactor


def _redacted(value: Any, redactor: TextRedactor) -> Any:
    """Every text inside ``value`` (a text, or lists and mappings of them) redacted."""
    if value is None:
        return None
    if isinstance(value, str):
        return redactor(value)
    if isinstance(value, Mapping):
        return {key: _redacted(item, redactor) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redacted(item, redactor) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _masked_object(value, redactor)
    if hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0:  # an array of quotes
        return [_redacted(item, redactor) for item in value.tolist()]
    return value


def _field(name: str, value: Any, redactor: TextRedactor, *, theme: bool) -> Any:
    """One field's value as a viewer sees it."""
    if value is None:
        return None
    if name == "name" and theme:
        return _redacted(value, redactor)
    if name in PERSONAL_FIELDS:
        return MASK
    if name in TEXT_FIELDS:
        return _redacted(value, redactor)
    return _nested(value, redactor)


def _nested(value: Any, redactor: TextRedactor) -> Any:
    """Records inside a field that is neither personal nor text, masked field by field."""
    if isinstance(value, Mapping):
        return _masked_mapping(value, redactor)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _masked_object(value, redactor)
    if isinstance(value, list | tuple):
        return type(value)(_nested(item, redactor) for item in value)
    return value


def _masked_mapping(record: Mapping[str, Any], redactor: TextRedactor) -> dict[str, Any]:
    theme = THEME_KEY in record
    return {key: _field(str(key), value, redactor, theme=theme) for key, value in record.items()}


def _masked_object(record: Any, redactor: TextRedactor) -> Any:
    values = {item.name: getattr(record, item.name) for item in dataclasses.fields(record)}
    theme = THEME_KEY in values
    changed = {}
    for key, value in values.items():
        shown = _field(key, value, redactor, theme=theme)
        if shown is not value:
            changed[key] = shown
    return dataclasses.replace(record, **changed) if changed else record


def mask_record(record: R, principal: Principal, *, redactor: TextRedactor | None = None) -> R:
    """``record`` as ``principal`` may see it.

    Parameters
    ----------
    record
        A mapping (a row, a case with its evidence and timeline) or a dataclass instance (a
        plan, a coaching summary). Nested mappings, dataclasses and lists are masked too.
    principal
        Who will see it; only roles that mask personal data (viewers) change anything.
    redactor
        The workspace's redactor (:func:`text_redactor`); required when ``principal`` masks.

    Returns
    -------
    The same kind of record: a new dict for a mapping, a replaced dataclass instance.
    """
    if not principal.masks_personal_data:
        return record
    chosen = _chosen(principal, redactor)
    if isinstance(record, Mapping):
        return _masked_mapping(record, chosen)  # type: ignore[return-value]
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return _masked_object(record, chosen)  # type: ignore[no-any-return]
    raise TypeError(f"cannot mask a {type(record).__name__}; pass a mapping or a dataclass")


def mask_records(
    records: Sequence[R], principal: Principal, *, redactor: TextRedactor | None = None
) -> list[R]:
    """:func:`mask_record` of each of ``records``."""
    return [mask_record(record, principal, redactor=redactor) for record in records]


def mask_frame(
    frame: pd.DataFrame, principal: Principal, *, redactor: TextRedactor | None = None
) -> Any:
    """``frame`` as ``principal`` may see it: the rules of :func:`mask_record`, column by column.

    A copy for viewers (personal columns masked, text columns redacted, cells holding records
    masked field by field); the frame itself for other roles.
    """
    if not principal.masks_personal_data:
        return frame
    chosen = _chosen(principal, redactor)
    theme = THEME_KEY in frame.columns
    masked = frame.copy()
    for column in masked.columns:
        name, dtype = str(column), masked[column].dtype
        if name not in PERSONAL_FIELDS and (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)
        ):
            continue  # numbers, booleans and dates hold no personal data
        masked[column] = [
            None if _missing(value) else _field(name, value, chosen, theme=theme)
            for value in masked[column].tolist()
        ]
    return masked


def _missing(value: Any) -> bool:
    """None, NaN, NA or NaT: a cell with nothing in it (lists and arrays are not missing)."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def mask_text(
    text: str | None, principal: Principal, *, redactor: TextRedactor | None = None
) -> str | None:
    """One free text as ``principal`` may see it (redacted for viewers)."""
    if text is None or not principal.masks_personal_data:
        return text
    return _chosen(principal, redactor)(text)


__all__ = [
    "MASK",
    "PERSONAL_FIELDS",
    "REMEMBERED_TEXTS",
    "TEXT_FIELDS",
    "THEME_KEY",
    "TextRedactor",
    "mask_frame",
    "mask_record",
    "mask_records",
    "mask_text",
    "text_redactor",
]
