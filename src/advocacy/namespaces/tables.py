"""The workspace's tables by name, as the facade and its analysis namespaces read them.

Users name the canonical tables and the import ledger (:func:`table_names`); the analyses also
read the derived text tables, which may not exist before the first ``ws.text.analyze``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from advocacy.errors import NotFoundError
from advocacy.model import KINDS
from advocacy.store.steady import steady_result, steady_table

if TYPE_CHECKING:
    from ibis.expr.types import Table

    from advocacy.access.roles import Principal
    from advocacy.store.connection import Database

#: Tables users may read and export, besides the canonical kinds.
LEDGER_TABLES = ("imports", "quarantine")

#: The tables text analysis derives from the documents.
DERIVED_TEXT_TABLES = ("text_features", "document_themes", "themes")


T = TypeVar("T")


def table_names() -> list[str]:
    """The tables users may read and export: every canonical kind's, then the ledger's."""
    return [kind.table for kind in KINDS.values()] + list(LEDGER_TABLES)


class WorkspaceTables:
    """The Ibis tables of one database, looked up by name.

    Parameters
    ----------
    db
        The workspace's database.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    def __call__(self, name: str) -> Table:
        """The table called ``name`` (``employee-responses`` = ``employee_responses``).

        Raises
        ------
        NotFoundError
            When ``name`` is none of :func:`table_names`.
        """
        normal = name.strip().lower().replace("-", "_")
        if normal not in table_names():
            raise NotFoundError(
                f"no table {name!r} in the workspace",
                value=name,
                fix="use one of: " + ", ".join(table_names()),
            )
        return steady_table(self._db, normal)

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per :func:`~advocacy.store.steady.steady_tables` block and ``key``
        on this database (see :func:`~advocacy.store.steady.steady_result`)."""
        return steady_result(self._db, key, compute)

    def seen_by(self, principal: Principal | None) -> Callable[[str], Table]:
        """This lookup, or with a principal every table as it may read it (``access.scope``)."""
        if principal is None:
            return self
        from advocacy.access.scope import scoped_tables

        scoped: Callable[[str], Table] = scoped_tables(self._db.ibis.table, principal)
        return scoped

    def with_derived(self, name: str) -> Table:
        """This lookup, plus the derived text tables the gap analyses read (themes)."""
        if name in DERIVED_TEXT_TABLES:
            return steady_table(self._db, name)
        return self(name)

    def optional(self, name: str) -> Table | None:
        """A derived table such as ``text_features`` when the workspace has it, else None."""
        if name not in self._db.ibis.list_tables():
            return None
        return steady_table(self._db, name)

    def evidence(self, names: tuple[str, ...]) -> dict[str, Table | None]:
        """The tables ``names`` plus whichever derived text tables exist (None for the rest)."""
        tables: dict[str, Table | None] = {name: self(name) for name in names}
        for derived in DERIVED_TEXT_TABLES:
            tables[derived] = self.optional(derived)
        return tables

    def answering(
        self,
        where: Mapping[str, Sequence[str]] | None,
        *,
        since: date | None = None,
        until: date | None = None,
    ) -> AnswerFilter:
        """This lookup with the derived text tables, keeping only the answers in ``where``
        submitted from ``since`` to ``until``.

        ``where`` is the ``where`` of ``ws.metrics.scores`` (``{"unit": ["North"]}``); None or
        an empty mapping and no dates keep every answer.
        """
        return AnswerFilter(self, where, since=since, until=until)


class AnswerFilter:
    """The workspace's tables with the survey answers limited to a ``where`` filter and a
    date range.

    ``responses`` keeps the answers whose dimensions (customer ones through the customer) hold
    one of the values and whose day (UTC) is in the range, and ``response_items`` their
    ratings. Employee answers carry only a unit: ``employee_responses`` and their items follow
    the ``unit`` filter and the date range and no other dimension
    (:attr:`employee_filtered` says whether every filter reached them). Every other table (the
    customers, their referrals, reviews and purchases, the derived text tables) is whole: an
    analysis reaches it through the answers it keeps.

    Parameters
    ----------
    tables
        The workspace's tables.
    where
        Dimension -> values to keep, as for ``ws.metrics.scores``; None keeps every answer.
    since, until
        First and last day (inclusive, UTC) of the answers to keep; None leaves a side open.
    """

    def __init__(
        self,
        tables: WorkspaceTables,
        where: Mapping[str, Sequence[str]] | None,
        *,
        since: date | None = None,
        until: date | None = None,
    ) -> None:
        from advocacy.metrics.slicing import as_date, check_filters

        self._tables = tables
        self.where = check_filters(where, "responses")
        self.since = as_date(since, "since")
        self.until = as_date(until, "until")

    @property
    def dated(self) -> bool:
        """Whether a date range is set."""
        return self.since is not None or self.until is not None

    @property
    def active(self) -> bool:
        """Whether any answer is left out."""
        return bool(self.where) or self.dated

    @property
    def key(self) -> Hashable:
        """The filter as a key of :func:`steady_result`: equal for filters that keep the same
        answers."""
        where = tuple(sorted((name, tuple(sorted(values))) for name, values in self.where.items()))
        return (where, self.since, self.until)

    @property
    def employee_filtered(self) -> bool:
        """Whether the employee answers follow every filter (only a unit filter, or none)."""
        return set(self.where) <= {"unit"}

    def __call__(self, name: str) -> Table:
        """The table called ``name``, the answers among them limited to the filter.

        Raises
        ------
        NotFoundError
            When ``name`` is no table of the workspace.
        """
        from advocacy.metrics.slicing import dated_table, filtered_table

        normal = name.strip().lower().replace("-", "_")
        table = self._tables.with_derived(normal)
        if not self.active:
            return table
        if normal == "responses":
            kept: Table = filtered_table(self._tables, "responses", self.where)
            return dated_table(kept, self.since, self.until)  # type: ignore[no-any-return]
        if normal == "response_items":
            answers = self("responses")
            return table.filter(table.response_id.isin(answers.response_id))
        units = self.where.get("unit")
        if normal == "employee_responses" and (units or self.dated):
            if units:
                table = table.filter(table.unit.isin(units))
            return dated_table(table, self.since, self.until)  # type: ignore[no-any-return]
        if normal == "employee_response_items" and (units or self.dated):
            answers = self("employee_responses")
            return table.filter(table.employee_response_id.isin(answers.employee_response_id))
        return table

    def optional(self, name: str) -> Table | None:
        """A derived table such as ``text_features`` when the workspace has it, else None."""
        return self._tables.optional(name)

    def evidence(self, names: tuple[str, ...]) -> dict[str, Table | None]:
        """The tables ``names`` (answers filtered) plus whichever derived text tables exist."""
        tables: dict[str, Table | None] = {name: self(name) for name in names}
        for derived in DERIVED_TEXT_TABLES:
            tables[derived] = self.optional(derived)
        return tables

    def customers(self) -> set[str]:
        """The customers with at least one answer in the filter."""
        answers = self("responses")
        ids = answers.filter(answers.customer_id.notnull()).select("customer_id").distinct()
        return {str(value) for value in ids.to_pandas()["customer_id"]}
