"""How a mapping declares its dates: ``date_format``, ``day_first`` and ``timezone``.

The keys may stand at the top of a mapping file, for every date field, and under ``dates:``
for one canonical field, which then overrides the top-level ones::

    kind: responses
    day_first: true             # 05/10/2021 is 5 October, in every date field
    timezone: Europe/Berlin     # values without a UTC offset are Berlin time
    dates:
      submitted_at:
        date_format: "%d.%m.%Y %H:%M"   # strptime; a value that does not match is quarantined

Each key is checked when the mapping is read, with one-line errors naming the mapping file and
the key: a format DuckDB's ``strptime`` cannot use, a zone that is not an IANA name, a
``day_first`` that is not true or false, an unknown key. Field names under ``dates:`` are checked
against the kind when the mapping is applied (:func:`check_date_fields`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import duckdb

from advocacy.errors import MappingError
from advocacy.model import FieldType, Kind

#: Keys a mapping may give at its top level and for one field under ``dates:``.
DATE_KEYS = ("date_format", "day_first", "timezone")
#: strptime directives that read a UTC offset or a zone name.
OFFSET_DIRECTIVES = re.compile(r"\s*%[zZ]")


@dataclass(frozen=True)
class DateRule:
    """What a mapping declares about one date field (``None``: not declared)."""

    date_format: str | None = None
    day_first: bool | None = None
    timezone: str | None = None

    def over(self, base: DateRule) -> DateRule:
        """This rule, with what it leaves undeclared taken from ``base``."""
        return DateRule(
            date_format=self.date_format if self.date_format is not None else base.date_format,
            day_first=self.day_first if self.day_first is not None else base.day_first,
            timezone=self.timezone if self.timezone is not None else base.timezone,
        )


@dataclass(frozen=True)
class DateRules:
    """A mapping's date declarations: for every field, and per canonical field."""

    every: DateRule = field(default_factory=DateRule)
    fields: Mapping[str, DateRule] = field(default_factory=dict)
    source: str = "the mapping"  # the mapping file, named in notes and reasons

    def for_field(self, name: str) -> DateRule:
        """The rule for canonical field ``name``: its own keys over the top-level ones."""
        own = self.fields.get(name)
        return self.every if own is None else own.over(self.every)


def _error(path: str, key: str, message: str, fix: str, value: Any = None) -> MappingError:
    return MappingError(f"{key}: {message}", file=path, value=value, parameter="--map", fix=fix)


@cache
def _zone_names() -> frozenset[str]:
    with duckdb.connect() as con:
        names = con.execute("SELECT name FROM pg_timezone_names()").fetchall()
    return frozenset(str(row[0]) for row in names)


def check_zone(name: str) -> bool:
    """Whether ``name`` is a time zone the validation database knows (IANA names)."""
    return name in _zone_names()


def _timezone(path: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _error(path, key, "must be a time zone name", "write e.g. timezone: Europe/Berlin")
    name = value.strip()
    if not check_zone(name):
        close = difflib.get_close_matches(name, sorted(_zone_names()), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise _error(
            path,
            key,
            f"unknown time zone {name!r}",
            f"use an IANA name such as UTC, Europe/Berlin or America/New_York{hint}",
            name,
        )
    return name


def _date_format(path: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or "%" not in value:
        raise _error(
            path,
            key,
            "must be a strptime format with % directives",
            "write e.g. date_format: '%d/%m/%Y %H:%M' (quoted)",
            value,
        )
    if len(value) > 200:
        raise _error(path, key, "is longer than 200 characters", "shorten it", value[:40])
    try:
        with duckdb.connect() as con:
            con.execute("SELECT try_strptime('', ?)", [OFFSET_DIRECTIVES.sub("", value)])
            con.execute("SELECT try_strptime('', ?)", [value])
    except duckdb.Error as error:
        detail = str(error).split(": ", 1)[-1]
        raise _error(
            path,
            key,
            f"not a usable strptime format: {detail}",
            "use directives such as %Y %m %d %H %M %S %f %p %b %z",
            value,
        ) from None
    return value


def _day_first(path: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _error(path, key, "must be true or false", "write day_first: true", value)
    return value


def _rule(path: str, prefix: str, data: Mapping[str, Any]) -> DateRule:
    return DateRule(
        date_format=None
        if data.get("date_format") is None
        else _date_format(path, prefix + "date_format", data["date_format"]),
        day_first=None
        if data.get("day_first") is None
        else _day_first(path, prefix + "day_first", data["day_first"]),
        timezone=None
        if data.get("timezone") is None
        else _timezone(path, prefix + "timezone", data["timezone"]),
    )


def date_rules(path: str, data: Mapping[str, Any]) -> DateRules:
    """The date declarations of a mapping file's top-level ``data``.

    Parameters
    ----------
    path
        The mapping file, named in errors.
    data
        The parsed YAML document; its ``date_format``, ``day_first``, ``timezone`` and ``dates``
        keys are read, other keys are left to the mapping.

    Returns
    -------
    DateRules
        The declarations; empty when the mapping declares none.

    Raises
    ------
    MappingError
        For a bad format, zone or ``day_first`` value, or an unknown key under ``dates:``.
    """
    every = _rule(path, "", data)
    section = data.get("dates") or {}
    if not isinstance(section, dict):
        raise _error(
            path,
            "dates",
            "must be a mapping of field: {date_format, day_first, timezone}",
            "write 'dates:' then e.g. '  submitted_at: {day_first: true}'",
        )
    fields: dict[str, DateRule] = {}
    for name, spec in section.items():
        key = f"dates.{name}"
        if not isinstance(spec, dict):
            raise _error(
                path, key, "must be a mapping", "write e.g. {date_format: '%d.%m.%Y'}", spec
            )
        unknown = sorted(set(map(str, spec)) - set(DATE_KEYS))
        if unknown:
            raise _error(path, f"{key}.{unknown[0]}", "unknown key", "use " + ", ".join(DATE_KEYS))
        fields[str(name)] = _rule(path, key + ".", spec)
    return DateRules(every=every, fields=fields, source=path)


def check_date_fields(rules: DateRules, kind: Kind) -> None:
    """Raise a :class:`MappingError` when ``dates:`` names a field that is no date of ``kind``."""
    types = (FieldType.TIMESTAMP, FieldType.DATE)
    dated = [item.name for item in kind.fields if item.type in types]
    for name in rules.fields:
        if name not in dated:
            raise _error(
                rules.source,
                f"dates.{name}",
                f"{kind.name} has no date field {name!r}",
                "use one of: " + (", ".join(dated) or "(none: remove 'dates')"),
                name,
            )


__all__ = ["DATE_KEYS", "DateRule", "DateRules", "check_date_fields", "check_zone", "date_rules"]
