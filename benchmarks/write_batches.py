"""CPU time of the API writer's batches, in process, on the load benchmark's PostgreSQL workspace.

``benchmarks/load.py`` measures a whole server; this measures what its writer thread does for
one batch (:func:`advocacy.loop.evidence_writes.commit_writes`: validation, upserts, the
ledger and the case rules, in one transaction), for batches of 1, 10 and 50 writes of one new
response each (the load's writes), in turns, so that a change of the write path can be
compared without the HTTP layer and the client. Run it once per source tree::

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/write_batches.py --rounds 20

It prints, per batch size, the median CPU time of the writer's thread per batch and per write
(``time.thread_time``), PostgreSQL's own time not included, and the cases the rules opened.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "benchmarks"))
sys.path.insert(0, str(REPOSITORY / "tests"))

from load import build_workspace, load_answer  # noqa: E402

import advocacy  # noqa: E402
from advocacy.ingest.limits import InputLimits  # noqa: E402
from advocacy.ingest.write_groups import WriteRequest, prepare_write  # noqa: E402
from advocacy.loop.evidence_writes import commit_writes  # noqa: E402
from support.postgres import postgres_databases  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="batches of each size")
    parser.add_argument("--customers", type=int, default=2000, help="size of the demo")
    options = parser.parse_args()
    limits = InputLimits()
    run = uuid.uuid4().hex[:8]
    sizes = (1, 10, 50)
    took: dict[int, list[float]] = {size: [] for size in sizes}
    opened = 0
    with postgres_databases() as databases:
        url = databases.create()
        secrets = build_workspace(url, customers=options.customers)
        with advocacy.open(url) as ws:
            following = iter(range(10**9))

            def batch(size: int) -> list[WriteRequest]:
                return [
                    prepare_write(
                        "responses",
                        [load_answer(f"BATCH-{run}-{number}", secrets["customer"], number)],
                        actor="api:load",
                        limits=limits,
                    )
                    for number in (next(following) for _ in range(size))
                ]

            commit_writes(ws.db, batch(10), settings=ws.settings)  # warm: imports, shapes
            for _ in range(options.rounds):
                for size in sizes:
                    requests = batch(size)
                    begun = time.thread_time()
                    outcomes = commit_writes(ws.db, requests, settings=ws.settings)
                    took[size].append(time.thread_time() - begun)
                    assert len(outcomes) == size
                    opened += sum(len(getattr(outcome, "cases", ())) for outcome in outcomes)
    result = {
        str(size): {
            "ms_per_batch": round(1000 * statistics.median(values), 1),
            "ms_per_write": round(1000 * statistics.median(values) / size, 2),
        }
        for size, values in took.items()
    }
    print(json.dumps({**result, "cases_opened": opened}))


if __name__ == "__main__":
    main()
