"""CPU of :func:`advocacy.store.upsert.upsert` alone on PostgreSQL: small writes and one import.

``benchmarks/write_batches.py`` measures the API writer's whole batch; this measures only the
upsert of rows already validated, on both sides of the connection: this thread's CPU
(``time.thread_time``) and the PostgreSQL backend's (``/proc/<pid>/stat``, so run it as the
user the server runs as, or as root), and the write-ahead log written. Small writes are
batches of 1 and 10 responses, each in its own transaction, new, changed or unchanged, on a
table of ``--base`` responses; the import is ``--import-rows`` responses upserted new, then
again unchanged, then changed. Run it once per source tree, in turns::

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/upsert_writes.py --rounds 200

The backend's CPU is counted in clock ticks (10 ms): use enough rounds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "tests"))

import pyarrow as pa  # noqa: E402

import advocacy  # noqa: E402
from advocacy.ingest.formats import adapt  # noqa: E402
from advocacy.ingest.raw import RawTable  # noqa: E402
from advocacy.ingest.validation import validate  # noqa: E402
from advocacy.model import RESPONSES  # noqa: E402
from advocacy.store.connection import Database  # noqa: E402
from advocacy.store.upsert import UpsertCounts, upsert  # noqa: E402
from support.postgres import postgres_databases  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def responses(numbers: list[int], nps: int) -> pa.Table:
    """Responses ``R<number>`` with score ``nps``, validated as an import validates them."""
    columns = {
        "response_id": [f"R{n:08d}" for n in numbers],
        "customer_id": [f"C{n % 5000}" for n in numbers],
        "submitted_at": ["2026-01-01T10:00:00Z"] * len(numbers),
        "nps": [str(nps)] * len(numbers),
        "comment": [f"comment {n}" for n in numbers],
    }
    table = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    raw = RawTable("benchmark", "csv", list(columns), table, first_data_row=2)
    return validate(adapt(raw, RESPONSES, source="generic"), timezone="UTC").rows


class Meter:
    """This thread's CPU, the backend's CPU and the log written since ``start``."""

    def __init__(self, db: Database) -> None:
        self.db = db
        row = db.fetchone("SELECT pg_backend_pid()")
        self.pid = int(row[0]) if row else 0

    def _backend(self) -> float:
        with open(f"/proc/{self.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def start(self) -> None:
        row = self.db.fetchone("SELECT pg_current_wal_lsn()::text")
        self.lsn = str(row[0]) if row else "0/0"
        self.client, self.backend = time.thread_time(), self._backend()

    def stop(self) -> dict[str, float]:
        client, backend = time.thread_time() - self.client, self._backend() - self.backend
        row = self.db.fetchone(
            f"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{self.lsn}'::pg_lsn) / 1048576.0"
        )
        return {"client": client, "backend": backend, "wal_mib": float(row[0]) if row else 0.0}


def _write(db: Database, rows: pa.Table, source: str, *, by_row: bool) -> UpsertCounts:
    with db.transaction():
        return upsert(db, RESPONSES, rows, source=source, by_row=by_row)


def small_writes(db: Database, meter: Meter, base: int, rounds: int) -> None:
    following = iter(range(10**7, 10**8))
    for size in (1, 10):
        for case in ("new", "changed", "unchanged"):
            batches: list[pa.Table] = []
            for number in range(rounds):
                if case == "new":
                    batches.append(responses([next(following) for _ in range(size)], 7))
                else:  # changed: rows of the first half; unchanged: of the second
                    first = (number * size) % (base // 2) + (
                        base // 2 if case == "unchanged" else 0
                    )
                    batches.append(
                        responses(list(range(first, first + size)), 9 if case == "changed" else 5)
                    )
            meter.start()
            counts: Any = None
            for batch in batches:
                counts = _write(db, batch, "api", by_row=True)
            took = meter.stop()
            client, backend = (1000 * took[side] / rounds for side in ("client", "backend"))
            print(
                f"batch of {size:2d} {case:9s}: this thread {client:.2f} ms, "
                f"backend {backend:.2f} ms per batch "
                f"(last: {counts.inserted} inserted, {counts.updated} updated)"
            )


def one_import(db: Database, meter: Meter, count: int) -> None:
    numbers = [(n * 7919) % count + 10**8 for n in range(count)]  # not in key order
    first, changed = responses(numbers, 5), responses(numbers, 9)
    for case, rows in (("new", first), ("unchanged", first), ("changed", changed)):
        meter.start()
        counts = _write(db, rows, case, by_row=False)
        took = meter.stop()
        print(
            f"import of {count} {case:9s}: this thread {took['client']:.2f} s, backend "
            f"{took['backend']:.2f} s, log {took['wal_mib']:.1f} MiB "
            f"({counts.inserted} inserted, {counts.updated} updated, {counts.unchanged} unchanged)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="batches of each size and case")
    parser.add_argument("--base", type=int, default=20_000, help="responses stored first")
    parser.add_argument("--import-rows", type=int, default=200_000, help="rows of the import")
    options = parser.parse_args()
    with postgres_databases() as databases:
        url = databases.create()
        with advocacy.open(url) as ws:
            meter = Meter(ws.db)
            _write(ws.db, responses(list(range(options.base)), 5), "base", by_row=False)
            small_writes(ws.db, meter, options.base, options.rounds)
            one_import(ws.db, meter, options.import_rows)


if __name__ == "__main__":
    main()
