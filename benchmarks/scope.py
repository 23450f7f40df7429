"""Benchmark: what unit limits and viewer masking cost, against the unlimited reads, in one run.

The workspace is the web benchmark's (``benchmarks/web.py``: ``--rows`` responses over 8 units,
100,000 customers), plus ``--names`` customer names for the viewer's redactor to know. Each
pair is timed alternately in one process, so both face the same load:

- **a case handler's overview scores** (the four slicings of the overview, one
  ``ws.metrics.scores_batch``): *before*, computed over every unit and filtered to the handler's
  unit afterwards (how the overview limited handlers until access.scope); *after*, computed from
  the handler's unit's evidence alone (``principal=``);
- **the customer view and the customer search**: an analyst's (no limit) against a case
  handler's (every query scoped to the unit);
- **viewer masking**: the customer view of a customer with about ten commented answers, for an
  analyst (nothing masked) and for a viewer (names and contacts masked, every comment redacted
  with the workspace's ``--names`` known names), with the redactor rebuilt for every view (as
  after new evidence) and kept (as the server keeps it within a data generation); the first
  viewer call, which reads the names and builds the redactor, is timed apart.

Run: ``.venv/bin/python benchmarks/scope.py [--rows 1000000] [--names 1000] [--runs 10]``
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

import advocacy
from advocacy.access.masking import text_redactor
from advocacy.access.roles import Principal, Role
from advocacy.customer_view import customer_view, find_customers
from advocacy.metrics.rollup import MetricsRequest
from advocacy.present.web.dashboards import OVERVIEW_METRICS

HANDLER = Principal("hal", Role.case_handler, ("unit-3",))
ANALYST = Principal("ana", Role.analyst)
VIEWER = Principal("vic", Role.viewer)
COMMENT = "Priya at the desk was kind, but the refund took {} days; call me on 020 7946 0958."


def _web_benchmark() -> Any:
    """benchmarks/web.py as a module, for its workspace builder."""
    script = Path(__file__).with_name("web.py")
    spec = importlib.util.spec_from_file_location("web_benchmark", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(path: Path, rows: int, names: int) -> str:
    """Build the workspace; return the customer the views open (the most answers in unit-3)."""
    _web_benchmark().build(path, rows)
    with advocacy.open(str(path)) as ws:
        found = ws.db.fetchone(
            "SELECT customer_id FROM responses WHERE unit = ? GROUP BY customer_id "
            "ORDER BY count(*) DESC, customer_id LIMIT 1",
            list(HANDLER.units),
        )
        assert found, "no answers in the handler's unit"
        customer = str(found[0])
        ws.db.execute(
            "UPDATE customers SET name = 'Given' || CAST(i AS VARCHAR) || ' Family' || "
            "CAST(i AS VARCHAR) FROM (SELECT CAST(substr(customer_id, 2) AS INTEGER) AS i, "
            "customer_id AS id FROM customers) c WHERE customers.customer_id = c.id AND c.i < ?",
            [names],
        )
        ws.db.execute(
            "UPDATE responses SET comment = replace(?, '{}', CAST(nps AS VARCHAR)) "
            "WHERE customer_id = ?",
            [COMMENT, customer],
        )
        count = ws.db.fetchone("SELECT count(*) FROM responses WHERE customer_id = ?", [customer])
    print(f"customer {customer} has {count[0] if count else 0} commented answers")
    return customer


def _requests(ws: Any) -> list[MetricsRequest]:
    row = ws.db.fetchone("SELECT max(submitted_at) FROM responses")
    last = row[0]
    month = 3 * ((last.month - 1) // 3) + 1 - 3
    since = f"{last.year - (month < 1)}-{(month - 1) % 12 + 1:02d}-01"
    requests = [
        MetricsRequest(OVERVIEW_METRICS),
        MetricsRequest(("nps",), period="month"),
        MetricsRequest(OVERVIEW_METRICS, period="quarter", compare="previous", since=since),
        MetricsRequest(("nps",), by=("unit",), compare="rest"),
    ]
    return [replace(r, by=("unit", *r.by)) if "unit" not in r.by else r for r in requests]


def _timed(run: Callable[[], Any]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def _pairs(runs: int, before: Callable[[], Any], after: Callable[[], Any]) -> tuple[list, list]:
    before(), after()  # warm the engine's own caches once, as a running server would
    first, second = [], []
    for _ in range(runs):
        first.append(_timed(before))
        second.append(_timed(after))
    return first, second


def _row(name: str, times: list[float]) -> str:
    values = np.array(times)
    return (
        f"| {name} | {len(values)} | {np.median(values):.1f} | "
        f"{np.percentile(values, 95):.1f} | {values.max():.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--names", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--dir", type=Path, default=None)
    options = parser.parse_args()
    directory = options.dir or Path(tempfile.mkdtemp(prefix="advocacy-scope-"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"scope-{options.rows}.duckdb"
    path.unlink(missing_ok=True)
    customer = build(path, options.rows, options.names)
    loads = os.getloadavg()
    print(f"load average at the start: {loads[0]:.1f} (1 min), {loads[1]:.1f} (5 min)")
    runs = options.runs
    with advocacy.open(str(path)) as ws:
        requests = _requests(ws)

        def filtered() -> list[Any]:
            frames = ws.metrics.scores_batch(requests)
            return [frame[frame["unit"].isin(HANDLER.units)] for frame in frames]

        overview = _pairs(
            runs, filtered, lambda: ws.metrics.scores_batch(requests, principal=HANDLER)
        )
        view = _pairs(
            runs,
            lambda: customer_view(ws.db, customer, ANALYST),
            lambda: customer_view(ws.db, customer, HANDLER),
        )
        search = _pairs(
            runs,
            lambda: find_customers(ws.db, ANALYST, query="c4", limit=100),
            lambda: find_customers(ws.db, HANDLER, query="c4", limit=100),
        )
        first_redactor = _timed(lambda: text_redactor(ws.db, VIEWER))
        redactor = text_redactor(ws.db, VIEWER)
        first_masked = _timed(lambda: customer_view(ws.db, customer, VIEWER, redactor=redactor))
        masked = _pairs(
            runs,
            lambda: customer_view(ws.db, customer, ANALYST),
            lambda: customer_view(ws.db, customer, VIEWER, redactor=text_redactor(ws.db, VIEWER)),
        )
        kept = _pairs(
            runs,
            lambda: customer_view(ws.db, customer, ANALYST),
            lambda: customer_view(ws.db, customer, VIEWER, redactor=redactor),
        )
    print(
        f"\n{options.rows:,} responses, {options.names:,} customer names; "
        f"{platform.machine()}, {platform.python_version()}\n"
        "\n| read | runs | median (ms) | p95 (ms) | max (ms) |\n|---|---:|---:|---:|---:|"
    )
    print(_row("handler's overview scores, all units then filtered (before)", overview[0]))
    print(_row("handler's overview scores, from their unit alone (after)", overview[1]))
    print(_row("customer view, analyst", view[0]))
    print(_row("customer view, case handler", view[1]))
    print(_row("customer search (100 rows), analyst", search[0]))
    print(_row("customer search (100 rows), case handler", search[1]))
    print(_row("customer view, analyst (nothing masked)", masked[0] + kept[0]))
    print(_row("customer view, viewer, redactor rebuilt each time (new evidence)", masked[1]))
    print(_row("customer view, viewer, redactor kept (as within a data generation)", kept[1]))
    print(
        f"\nviewer: reading the names and building the redactor {first_redactor:.0f} ms; "
        f"the first masked view with it {first_masked:.0f} ms"
    )
    loads = os.getloadavg()
    print(f"load average at the end: {loads[0]:.1f} (1 min), {loads[1]:.1f} (5 min)")


if __name__ == "__main__":
    main()
