"""The record hash of rows already stored, computed as an import computes it.

An import tells an updated record from a repeat by ``record_hash``
(:meth:`advocacy.ingest.validation._Plan.key_and_hash`: the MD5 of every canonical field, the
``attrs`` and the ``time_offsets`` texts). A write that changes a stored field outside an import
(the merge of an ``email:`` customer moves its records to another customer id) must give them
the hash the next import of the same records computes, or that import calls them changed.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from advocacy.ingest.date_forms import literal
from advocacy.ingest.dates import utc_text
from advocacy.model import TIME_OFFSETS, FieldType, Kind

__all__ = ["record_hashes"]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def record_hashes(rows: pa.Table, kind: Kind, *, timezone: str) -> list[str]:
    """The ``record_hash`` an import in ``timezone`` gives each of the stored ``rows``.

    Parameters
    ----------
    rows
        Rows of ``kind``'s table as stored (every canonical field, ``attrs``, ``time_offsets``).
    kind
        Their kind.
    timezone
        The time zone imports read in (the ``timezone`` setting): timestamps are hashed as
        the import's session renders them.

    Returns
    -------
    list[str]
        One hexadecimal MD5 per row, in order.
    """
    stamps = {item.name for item in kind.fields if item.type is FieldType.TIMESTAMP}
    con = duckdb.connect()
    try:
        con.execute(f"SET SESSION TimeZone = {literal(timezone)}")
        zone = str(con.execute("SELECT current_setting('TimeZone')").fetchall()[0][0])

        def canonical(name: str) -> str:
            if name in stamps and zone == "UTC":
                # Typed again: a column PostgreSQL's driver gave only NULLs arrives untyped.
                return f"COALESCE({utc_text(f'CAST({_quote(name)} AS TIMESTAMPTZ)')}, '\u2205')"
            return f"COALESCE(CAST({_quote(name)} AS VARCHAR), '\u2205')"

        always, when_present = kind.hashed_fields
        content = ", ".join(canonical(name) for name in [*always, "attrs"])
        later = "".join(f", CAST({_quote(name)} AS VARCHAR)" for name in when_present)
        con.register("stored", rows)
        hashed = con.execute(
            f"SELECT md5(concat_ws(chr(31), {content}, {_quote(TIME_OFFSETS)}{later})) FROM stored"
        ).fetchall()
    finally:
        con.close()
    return [str(row[0]) for row in hashed]
