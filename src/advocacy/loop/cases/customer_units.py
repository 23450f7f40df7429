"""The unit a customer belongs to, for evidence that names none.

An answer to a hosted survey sent to a customer, or a review linked to one, often carries no
unit: the survey was not about one store. Routed by unit, such a case would fall to the rule's
default owner, and a case handler of the customer's own store would never see it. The unit a
customer was last seen in (their latest response or interaction that names a unit) is the best
guess a person would make too, so :func:`latest_units` gives it; a customer never seen in a unit
stays without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from advocacy.store.connection import Database

_CHUNK = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(value: Any) -> datetime:
    if not isinstance(value, datetime):
        return _EPOCH
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def latest_units(db: Database, customer_ids: Iterable[str | None]) -> dict[str, str]:
    """The unit of each customer's latest response or interaction that names one.

    Parameters
    ----------
    db
        The workspace database.
    customer_ids
        The customers to look up; None and unknown ids are skipped.

    Returns
    -------
    dict
        Customer id to unit, for the customers seen in some unit. At equal times a response
        wins over an interaction, then the unit first in alphabetical order (stable answers).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> latest_units(ws.db, ["C-0042", "C-9999"])  # doctest: +SKIP
    {'C-0042': 'Coast'}
    """
    wanted = sorted({str(item) for item in customer_ids if item})
    best: dict[str, tuple[datetime, int, str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows = db.fetchall(
            "SELECT customer_id, unit, submitted_at, 1 FROM responses "
            f"WHERE customer_id IN ({marks}) AND unit IS NOT NULL "
            "UNION ALL SELECT customer_id, unit, occurred_at, 0 FROM interactions "
            f"WHERE customer_id IN ({marks}) AND unit IS NOT NULL",
            [*chunk, *chunk],
        )
        for customer, unit, at, is_response in rows:
            # Latest first; a response over an interaction; then the alphabetically first unit.
            found = (_moment(at), int(is_response), str(unit))
            current = best.get(str(customer))
            if current is None or _better(found, current):
                best[str(customer)] = found
    return {customer: found[2] for customer, found in best.items()}


def _better(found: tuple[datetime, int, str], current: tuple[datetime, int, str]) -> bool:
    if found[:2] != current[:2]:
        return found[:2] > current[:2]
    return found[2] < current[2]


__all__ = ["latest_units"]
