"""How a mapping declares its dates: ``date_format``, ``day_first`` and ``timezone``.

The keys may stand at the top of a mapping file, for every date field, and under ``dates:``
for one canonical field, which then overrides the top-level ones::

    kind: responses
    day_first: true             # 05/10/2021 is 5 October, in every date field
    timezone: Europe/Berlin     # values without a UTC offset are Berlin time
    dates:
      submitted_at:
        date_format: "%d.%m.%Y %H:%M"   # strptime; a value that does not match is quarantined

The keys are fields of :class:`advocacy.ingest.mapping_keys.MappingFile` and ``DateSpec``,
checked when the mapping is read with one-line errors naming the mapping file, the line and the
key: a format DuckDB's ``strptime`` cannot use (:func:`format_problem`), a zone that is not an
IANA name (:func:`zone_problem`), a ``day_first`` that is not true or false, an unknown key.
Field names under ``dates:`` are checked against the kind when the mapping is applied
(:func:`check_date_fields`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import duckdb

from advocacy.errors import MappingError
from advocacy.model import FieldType, Kind

#: Keys a mapping may give at its top level and for one field under ``dates:``.
DATE_KEYS = ("date_format", "day_first", "timezone")
#: Longest strptime format a mapping may give.
MAX_FORMAT = 200
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


@cache
def _zone_names() -> frozenset[str]:
    with duckdb.connect() as con:
        names = con.execute("SELECT name FROM pg_timezone_names()").fetchall()
    return frozenset(str(row[0]) for row in names)


def check_zone(name: str) -> bool:
    """Whether ``name`` is a time zone the validation database knows (IANA names)."""
    return name in _zone_names()


def zone_problem(name: str) -> tuple[str, str] | None:
    """What is wrong with time zone ``name`` and the fix, or ``None`` when it is known."""
    if check_zone(name):
        return None
    close = difflib.get_close_matches(name, sorted(_zone_names()), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return (
        f"unknown time zone {name!r}",
        f"use an IANA name such as UTC, Europe/Berlin or America/New_York{hint}",
    )


def format_problem(value: str) -> tuple[str, str] | None:
    """What is wrong with strptime format ``value`` and the fix, or ``None`` when it is usable."""
    if "%" not in value:
        return (
            "must be a strptime format with % directives",
            "write e.g. date_format: '%d/%m/%Y %H:%M' (quoted)",
        )
    if len(value) > MAX_FORMAT:
        return f"is longer than {MAX_FORMAT} characters", "shorten it"
    try:
        with duckdb.connect() as con:
            con.execute("SELECT try_strptime('', ?)", [OFFSET_DIRECTIVES.sub("", value)])
            con.execute("SELECT try_strptime('', ?)", [value])
    except duckdb.Error as error:
        detail = str(error).split(": ", 1)[-1]
        return (
            f"not a usable strptime format: {detail}",
            "use directives such as %Y %m %d %H %M %S %f %p %b %z",
        )
    return None


def check_date_fields(rules: DateRules, kind: Kind) -> None:
    """Raise a :class:`MappingError` when ``dates:`` names a field that is no date of ``kind``."""
    types = (FieldType.TIMESTAMP, FieldType.DATE)
    dated = [item.name for item in kind.fields if item.type in types]
    for name in rules.fields:
        if name not in dated:
            raise MappingError(
                f"dates.{name}: {kind.name} has no date field {name!r}",
                file=rules.source,
                value=name,
                parameter="--map",
                fix="use one of: " + (", ".join(dated) or "(none: remove 'dates')"),
            )


__all__ = [
    "DATE_KEYS",
    "DateRule",
    "DateRules",
    "check_date_fields",
    "check_zone",
    "format_problem",
    "zone_problem",
]
