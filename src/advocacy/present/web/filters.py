"""The dashboard's global filters: a date range and values of unit, segment, touchpoint and
channel, read from the URL and written back into every link between the dashboard pages.

The filters live in the query string (``?unit=North&unit=Coast&since=2025-01-01``), so a
filtered view can be bookmarked and shared, and the overview, the explorer and the answers
behind a number all read the same ones. They become the ``where`` of ``ws.metrics.scores``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from advocacy.errors import UsageError

#: Dimensions the global filters offer, in the order of the filter bar.
FILTER_DIMENSIONS = ("unit", "segment", "touchpoint", "channel")
#: Dimensions a URL may filter by (a drill-down from any slice of the explorer).
URL_DIMENSIONS = (
    *FILTER_DIMENSIONS,
    "journey_stage",
    "survey",
    "region",
    "value_tier",
)
#: Pages whose links carry the filters along.
FILTERED_PAGES = ("/", "/explore", "/answers", "/text", "/advocates", "/gaps", "/people")
#: Characters one filter value may hold (a URL can carry any text).
MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class Filters:
    """What the dashboard pages are restricted to."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def where(self) -> dict[str, list[str]]:
        """The ``where`` of ``ws.metrics.scores``: dimension -> values to keep."""
        return {name: list(values) for name, values in self.values.items() if values}

    @property
    def key(self) -> tuple[Any, ...]:
        """A hashable form, for caches."""
        return (tuple(sorted(self.values.items())), self.since, self.until)

    @property
    def only_units(self) -> bool:
        """Whether nothing but units is filtered (employee answers carry only a unit)."""
        return all(name == "unit" for name in self.where)

    @property
    def active(self) -> bool:
        return bool(self.where) or self.since is not None or self.until is not None

    def pairs(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs."""
        pairs = [(name, value) for name, values in self.values.items() for value in values]
        if self.since is not None:
            pairs.append(("since", self.since.isoformat()))
        if self.until is not None:
            pairs.append(("until", self.until.isoformat()))
        return pairs

    @property
    def query(self) -> str:
        """The filters as a query string, without ``?`` (empty when none)."""
        return urlencode(self.pairs())

    def link(self, path: str, **extra: Any) -> str:
        """``path`` with these filters and ``extra`` parameters (None values left out)."""
        pairs = self.pairs()
        for name, value in extra.items():
            if value is None:
                continue
            for one in value if isinstance(value, list | tuple) else [value]:
                pairs = [(key, item) for key, item in pairs if key != name] + [(name, str(one))]
        return path + ("?" + urlencode(pairs) if pairs else "")

    def narrowed(self, name: str, value: str) -> Filters:
        """These filters with dimension ``name`` set to ``value`` alone (a drill-down)."""
        return Filters({**self.values, name: (value,)}, self.since, self.until)

    def without(self, name: str) -> Filters:
        """These filters without dimension ``name`` (``"date range"`` drops both dates)."""
        if name == "date range":
            return Filters(self.values, None, None)
        return Filters(
            {key: values for key, values in self.values.items() if key != name},
            self.since,
            self.until,
        )

    def chips(self, path: str, **extra: Any) -> list[tuple[str, str, str]]:
        """Each active filter as (name, its values in words, the link to ``path`` without it,
        keeping ``extra`` parameters as :meth:`link` does; empty ones left out)."""
        kept = {name: value for name, value in extra.items() if value not in ("", [], ())}
        found = [
            (name, " or ".join(values), self.without(name).link(path, **kept))
            for name, values in self.where.items()
        ]
        if self.since is not None or self.until is not None:
            words = " ".join(
                part
                for part in (
                    f"from {self.since.isoformat()}" if self.since else "",
                    f"to {self.until.isoformat()}" if self.until else "",
                )
                if part
            )
            found.append(("date range", words, self.without("date range").link(path, **kept)))
        return found

    def between(self, since: dt.date | None, until: dt.date | None) -> Filters:
        """These filters over another date range (a period's, when drilling into it)."""
        return Filters(self.values, since, until)


def _date(text: str | None, parameter: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"cannot read {text[:40]!r} as a date",
            value=text[:40],
            parameter=parameter,
            fix="write dates as YYYY-MM-DD",
        ) from None


def read_filters(request: Request) -> Filters:
    """The global filters in ``request``'s query string (empty values mean "all").

    Raises
    ------
    UsageError
        For a date that is not YYYY-MM-DD, a range that ends before it starts, or a value
        longer than :data:`MAX_VALUE_LENGTH` characters.
    """
    values: dict[str, tuple[str, ...]] = {}
    for name in URL_DIMENSIONS:
        chosen = [value for value in request.query_params.getlist(name) if value]
        for value in chosen:
            if len(value) > MAX_VALUE_LENGTH:
                raise UsageError(
                    f"the {name} filter is too long",
                    value=value[:40] + "…",
                    parameter=name,
                    fix=f"pick a {name} from the list",
                )
        if chosen:
            values[name] = tuple(dict.fromkeys(chosen))
    since = _date(request.query_params.get("since"), "since")
    until = _date(request.query_params.get("until"), "until")
    if since is not None and until is not None and until < since:
        raise UsageError(
            f"the date range ends ({until}) before it starts ({since})",
            value=f"{since}..{until}",
            parameter="until",
            fix="pick an end date on or after the start date",
        )
    return Filters(values, since, until)
