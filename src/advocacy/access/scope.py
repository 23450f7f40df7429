"""Unit limits in one place: what of the workspace a unit-limited principal may read.

A case handler works the customers and cases of their units. Every read they can reach goes
through :func:`scope` (or :func:`scoped_tables`, which applies it table by table), so the
customer view and its timeline, the customer search, the scores and their downloads, the case
lists, coaching and plans cannot disagree on what "their units" means. Roles that are not
unit-limited (admin, analyst, viewer) read every unit; ``None`` stands for "every unit"
wherever units are passed instead of a principal.

The rules, most to least direct:

1. **Evidence with a unit of its own** (responses, interactions, mentions, cases, employees,
   employee answers) is readable when its unit is one of the principal's. A row with no unit
   belongs to none of them and is not readable.
2. **Rows that belong to another row take its unit**: a response's attribute ratings
   (``response_items``), an employee answer's items, a case's timeline (``case_events``).
3. **A customer** (the header: name, contact, segment, region) is readable when any of their
   unit-bearing evidence (:data:`CUSTOMER_EVIDENCE`: responses, interactions, mentions, cases) is
   in the principal's units.
4. **Evidence without a unit that is tied to customers** (notes, purchases in ``transactions``,
   referrals) is readable only for a customer *wholly* within the principal's units: every piece
   of the customer's unit-bearing evidence lies in them (a row without a unit counts as outside).
   For a customer shared with another unit there is no telling which unit's relationship a call
   note or a purchase belongs to, so it is withheld (:func:`sees_unitless`). A referral is
   readable when either of its customers is wholly within.
5. **Everything else** (targets, the import ledger and quarantine, the derived text tables) has
   no unit rule, so a unit-limited principal reads none of it: the rule fails closed.

Analyses that are not broken down by unit read tables outside these rules (themes, the
advocacy ladder, gaps); case handlers are refused them rather than shown mixed figures.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, overload

from advocacy.access.roles import Principal

if TYPE_CHECKING:
    # Imported where a table is scoped: the case and plan reads that import this module run SQL
    # and need neither (Ibis and pandas cost a command ~0.4 s to import).
    import ibis
    import pandas as pd

#: Who a read is for: a principal, the units a caller is limited to, or None for every unit.
Reach = Principal | Sequence[str] | None

#: Tables whose rows carry their own unit, and the column that holds it.
UNIT_TABLES: dict[str, str] = {
    "responses": "unit",
    "interactions": "unit",
    "mentions": "unit",
    "cases": "unit",
    "employees": "unit",
    "employee_responses": "unit",
}
#: Tables whose rows belong to a row of another table: (that table, the key they share).
CHILD_TABLES: dict[str, tuple[str, str]] = {
    "response_items": ("responses", "response_id"),
    "employee_response_items": ("employee_responses", "employee_response_id"),
    "case_events": ("cases", "case_id"),
}
#: Tables of evidence without a unit, and the columns naming the customers it belongs to.
UNITLESS_TABLES: dict[str, tuple[str, ...]] = {
    "notes": ("customer_id",),
    "transactions": ("customer_id",),
    "referrals": ("referrer_id", "referred_customer_id"),
}
#: Unit-bearing tables that tie a customer to units.
CUSTOMER_EVIDENCE = ("responses", "interactions", "mentions", "cases")

T = TypeVar("T")


@dataclass(frozen=True)
class SqlSource:
    """A SQL query (``?`` placeholders) and its parameters, as :func:`scope` takes and returns."""

    sql: str
    params: tuple[Any, ...] = ()


def unit_limit(reach: Reach) -> tuple[str, ...] | None:
    """The units ``reach`` is limited to, or None when it reads every unit.

    A principal is limited when its role is (a case handler); a sequence of units is that
    limit; None is no limit.
    """
    if reach is None:
        return None
    if isinstance(reach, Principal):
        return tuple(reach.units) if reach.limited_to_units else None
    return tuple(reach)


def unit_condition(reach: Reach, *, column: str = "unit") -> tuple[str, list[Any]]:
    """A SQL condition on ``column`` (``?`` placeholders) and its parameters for ``reach``.

    ``TRUE`` for every unit, ``FALSE`` for a limit of no units (it matches nothing), else
    ``column IN (...)``, which no row without a unit satisfies.
    """
    units = unit_limit(reach)
    if units is None:
        return "TRUE", []
    if not units:
        return "FALSE", []
    return f"{column} IN ({', '.join('?' for _ in units)})", list(units)


def in_reach(unit: str | None, reach: Reach) -> bool:
    """Whether a row of ``unit`` (a case, a plan's measured unit) is readable by ``reach``."""
    limit = unit_limit(reach)
    return limit is None or (unit is not None and unit in limit)


@overload
def scope(source: SqlSource, reach: Reach, *, column: str = ...) -> SqlSource: ...
@overload
def scope(source: pd.DataFrame, reach: Reach, *, column: str = ...) -> pd.DataFrame: ...
@overload
def scope(source: ibis.Table, reach: Reach, *, column: str = ...) -> ibis.Table: ...
def scope(source: Any, reach: Reach, *, column: str = "unit") -> Any:
    """``source`` limited to the units ``reach`` may read.

    Parameters
    ----------
    source
        A query with a unit column: a :class:`SqlSource` (it becomes a sub-query, so its own
        ``ORDER BY`` and ``LIMIT`` apply before the limit: put them outside), an Ibis table
        or a pandas DataFrame.
    reach
        A principal (only a case handler is limited), the units of a limit, or None.
    column
        The column holding each row's unit.

    Returns
    -------
    The same kind of source, unchanged for roles that read every unit, else keeping only rows
    whose unit is one of the limit's (rows without a unit are dropped).
    """
    units = unit_limit(reach)
    if units is None:
        return source
    if isinstance(source, SqlSource):
        condition, params = unit_condition(units, column=f"scoped.{column}")
        return SqlSource(
            f"SELECT * FROM ({source.sql}) scoped WHERE {condition}", (*source.params, *params)
        )
    import pandas as pd  # an Ibis table or a frame: pandas is in use already

    if isinstance(source, pd.DataFrame):
        if column not in source.columns:
            return source.iloc[0:0]
        kept: pd.DataFrame = source[source[column].isin(units)].reset_index(drop=True)
        return kept
    if not units:
        return _nothing(source)
    return source.filter(source[column].isin(list(units)))


def visible_units(units: Collection[str | None], reach: Reach) -> list[str]:
    """Of a customer's ``units``, those ``reach`` may see, sorted (never None)."""
    limit = unit_limit(reach)
    return sorted(
        unit for unit in set(units) if unit is not None and (limit is None or unit in limit)
    )


def sees_customer(units: Collection[str | None], reach: Reach) -> bool:
    """Whether ``reach`` may open a customer whose unit-bearing evidence has ``units`` (rule 3)."""
    limit = unit_limit(reach)
    return limit is None or any(unit in limit for unit in units if unit is not None)


def sees_unitless(units: Collection[str | None], reach: Reach) -> bool:
    """Whether ``reach`` may read a customer's evidence without a unit (rule 4).

    True for roles that read every unit; for a limited one, only when the customer has
    unit-bearing evidence and all of it (a row without a unit included) is in the limit.
    """
    limit = unit_limit(reach)
    if limit is None:
        return True
    return bool(units) and all(unit is not None and unit in limit for unit in units)


def _evidence(tables: Callable[[str], Any]) -> Any:
    """(customer_id, unit) of every piece of unit-bearing evidence naming a customer."""
    parts = []
    for name in CUSTOMER_EVIDENCE:
        table = tables(name)
        parts.append(
            table.filter(table.customer_id.notnull()).select(
                customer_id=table.customer_id.cast("string"), unit=table.unit.cast("string")
            )
        )
    return parts[0].union(*parts[1:], distinct=False)


def _customers_seen(tables: Callable[[str], Any], units: tuple[str, ...]) -> Any:
    """Ids of customers with any unit-bearing evidence in ``units`` (rule 3)."""
    evidence = _evidence(tables)
    return evidence.filter(evidence.unit.isin(list(units))).select("customer_id").distinct()


def _customers_within(tables: Callable[[str], Any], units: tuple[str, ...]) -> Any:
    """Ids of customers whose unit-bearing evidence all lies in ``units`` (rule 4)."""
    evidence = _evidence(tables)
    inside = evidence.mutate(inside=evidence.unit.isin(list(units)).fill_null(False))
    grouped = inside.group_by("customer_id").aggregate(within=inside.inside.all())
    return grouped.filter(grouped.within).select("customer_id")


def scoped_table(tables: Callable[[str], Any], name: str, reach: Reach) -> Any:
    """The Ibis table ``name`` (from ``tables``) as ``reach`` may read it, by the module's rules."""
    table = tables(name)
    units = unit_limit(reach)
    if units is None:
        return table
    if not units:
        return _nothing(table)
    if name in UNIT_TABLES:
        return scope(table, units, column=UNIT_TABLES[name])
    if name in CHILD_TABLES:
        parent_name, key = CHILD_TABLES[name]
        parent = scoped_table(tables, parent_name, units)
        return table.filter(table[key].isin(parent[key]))
    if name == "customers":
        return table.filter(table.customer_id.isin(_customers_seen(tables, units).customer_id))
    if name in UNITLESS_TABLES:
        within = _customers_within(tables, units).customer_id
        condition = None
        for owner in UNITLESS_TABLES[name]:
            test = table[owner].cast("string").isin(within).fill_null(False)
            condition = test if condition is None else condition | test
        return table.filter(condition)
    return _nothing(table)


def _nothing(table: ibis.Table) -> ibis.Table:
    """``table`` with no rows: what a principal reads of a table outside their units."""
    import ibis

    return table.filter(ibis.literal(False))


def scoped_tables(tables: Callable[[str], T], reach: Reach) -> Callable[[str], T]:
    """A table getter like ``tables`` whose every table is limited to what ``reach`` may read.

    Analyses take a table getter (``Workspace.table``); passing them this one scopes every
    table they read (:func:`scoped_table`), including the customers they join for slicing.
    """
    if unit_limit(reach) is None:
        return tables

    def read(name: str) -> T:
        return scoped_table(tables, name, reach)  # type: ignore[no-any-return]

    return read


__all__ = [
    "CHILD_TABLES",
    "CUSTOMER_EVIDENCE",
    "UNITLESS_TABLES",
    "UNIT_TABLES",
    "Reach",
    "SqlSource",
    "in_reach",
    "scope",
    "scoped_table",
    "scoped_tables",
    "sees_customer",
    "sees_unitless",
    "unit_condition",
    "unit_limit",
    "visible_units",
]
