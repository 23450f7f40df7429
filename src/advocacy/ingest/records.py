"""Write evidence given as JSON-like records (API, hosted surveys, notebooks) like an import.

They go through the importer's own validation and idempotent upsert.

Records are turned into the string table a reader would produce, mapped by the generic adapter
(canonical field names, unknown keys kept in ``attrs``), validated by
:func:`advocacy.ingest.validation.validate` and written by :func:`advocacy.store.upsert.upsert`
with a ledger entry, all in one transaction (:mod:`advocacy.ingest.write_groups`, which also
writes many such writes at once). Unlike a file import, a batch with any bad record
is refused whole, so a client can fix and resend it without partial writes; the same records
sent twice change nothing (the natural key, or the content-derived one, makes them idempotent).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from advocacy.errors import AdvocacyError
from advocacy.ingest.limits import InputLimits
from advocacy.ingest.write_groups import (
    WRITABLE_KINDS,
    BatchRejected,
    WriteResult,
    prepare_write,
    write_group,
)
from advocacy.store.connection import Database


def write_records(
    db: Database,
    kind_name: str,
    records: Any,
    *,
    actor: str,
    timezone: str,
    limits: InputLimits,
    now: datetime | None = None,
) -> WriteResult:
    """Validate and upsert ``records`` (a list of JSON objects) of ``kind_name``.

    ``timezone`` is assumed for timestamps that carry none (the workspace's ``timezone``
    setting, as an import uses). ``limits`` bound the batch (records, characters per text
    field, nesting): the workspace's (:meth:`advocacy.ingest.limits.InputLimits.from_settings`)
    or the server's. A server writing many at once groups them instead
    (:func:`advocacy.ingest.write_groups.write_group`), with the same outcome for each.

    Raises
    ------
    ValidationError
        Carrying every bad cell as ``errors`` (row = index in ``records``); nothing is written.
        A batch over the limits is refused before any of it is validated.
    """
    request = prepare_write(kind_name, records, actor=actor, limits=limits, now=now)
    (outcome,) = write_group(db, [request], timezone=timezone, now=now)
    if isinstance(outcome, BatchRejected):
        raise outcome
    return outcome.result


__all__ = ["WRITABLE_KINDS", "AdvocacyError", "BatchRejected", "WriteResult", "write_records"]
