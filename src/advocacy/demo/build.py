"""Build the demo: generate Lumen & Oak, write its files, import them, run the analyses, report.

>>> summary = build_demo(Path("demo"))            # doctest: +SKIP
>>> summary.report                                # doctest: +SKIP
PosixPath('demo/report.html')

The files under ``DIRECTORY/data`` are ordinary CSV files with canonical column names: look at
them, edit them, or import them again with ``advocacy import``.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import advocacy
from advocacy.demo.generator import IMPORT_ORDER, DemoData, generate
from advocacy.workspace import Workspace

#: Called with a step's description, the steps done and the steps in all.
Progress = Callable[[str, int, int], None]

REPORT_TITLE = "Lumen & Oak: customer advocacy assessment (demo)"


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` built."""

    directory: Path
    database: Path
    report: Path
    seed: int
    rows: dict[str, int]
    quarantined: int
    headline: dict[str, float | None] = field(default_factory=dict)
    seconds: float = 0.0
    #: The users who can sign in to ``advocacy serve`` (name -> role) and their password.
    users: dict[str, str] = field(default_factory=dict)
    password: str = field(default="", repr=False)


def write_tables(data: DemoData, directory: Path) -> dict[str, Path]:
    """Write each table as ``directory/<kind>.csv`` (timestamps ISO 8601 in UTC)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for kind, frame in data.tables.items():
        out = frame.copy()
        for column in out.columns:
            if isinstance(out[column].dtype, pd.DatetimeTZDtype):
                out[column] = out[column].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        path = directory / f"{kind}.csv"
        out.to_csv(path, index=False, lineterminator="\n")
        paths[kind] = path
    return paths


def _remove_database(database: Path) -> None:
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


def headline_metrics(ws: Workspace) -> dict[str, float | None]:
    """Overall NPS (with its interval), CSAT (top-2-box %), CES (mean) and eNPS."""
    from advocacy.metrics import experience_metrics

    frame = experience_metrics(ws.table, ("nps", "csat", "ces", "enps"))
    headline: dict[str, float | None] = {}
    for row in frame.to_dict("records"):
        metric = str(row["metric"])
        headline[metric] = _number(row.get("score"))
        if metric == "nps":
            headline["nps_ci_low"] = _number(row.get("ci_low"))
            headline["nps_ci_high"] = _number(row.get("ci_high"))
            headline["responses"] = _number(row.get("n"))
    return headline


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


def build_demo(
    directory: Path,
    *,
    seed: int = 7,
    customers: int = 5000,
    progress: Progress | None = None,
    password: str | None = None,
) -> DemoSummary:
    """Build a demo workspace for a fictional retailer in ``directory``.

    Generates the company from ``seed``, writes every table to ``directory/data/<kind>.csv``,
    imports them into a fresh ``directory/advocacy.duckdb`` (an existing one is replaced, so the
    demo is reproducible), runs the analyses and writes ``directory/report.html``.

    Parameters
    ----------
    directory
        Where to build; created if missing.
    seed
        Seed of the random generator; the same seed builds the same company.
    customers
        Number of customers; every other table scales with it.
    progress
        Called with each step's description, steps done and steps in all.
    password
        The password of the demo's users (the case owners, an analyst and an admin); None
        draws a random one, given back in the summary.

    Returns
    -------
    DemoSummary
        Paths written, rows loaded per kind, quarantined rows, the headline scores and the
        users who can sign in.
    """
    started = time.perf_counter()
    steps = 6 + len(IMPORT_ORDER)

    def step(description: str, done: int) -> None:
        if progress is not None:
            progress(description, done, steps)

    directory = Path(directory)
    step("generating the company", 0)
    data = generate(np.random.default_rng(seed), customers=customers)
    paths = write_tables(data, directory / "data")
    database = directory / "advocacy.duckdb"
    _remove_database(database)
    rows: dict[str, int] = {}
    quarantined = 0
    with advocacy.open(str(database)) as ws:
        for done, kind in enumerate(IMPORT_ORDER, start=1):
            step(f"importing {kind}", done)
            # The demo's cases, with their history, are opened below (add_demo_cases).
            result = ws.import_file(paths[kind], kind=kind, source="generic", cases=False)
            rows[kind] = int(result.rows_loaded) + int(result.rows_updated)
            quarantined += int(result.rows_quarantined)
        from advocacy.demo.cases import add_demo_cases, add_demo_users
        from advocacy.demo.plans import add_demo_plans

        after_imports = len(IMPORT_ORDER)
        # Stored text features and themes feed the exports, the web app and fans-to-be.
        step("analysing the comments", after_imports + 1)
        ws.text.analyze()
        ws.text.discover_themes()
        step("starting action plans on the top gaps", after_imports + 2)
        add_demo_plans(ws)  # started in the past, so they have a baseline and a movement
        step("opening and working cases", after_imports + 3)
        password = password or secrets.token_urlsafe(12)
        users = add_demo_users(ws, password=password)  # the owners the case rules name
        add_demo_cases(ws, seed=seed)  # case rules, the cases they opened and their history
        step("asking silent promoters to refer a friend", after_imports + 4)
        from advocacy.demo.asks import add_demo_ask

        add_demo_ask(ws, seed=seed)  # a campaign with a control group and a built-in effect
        headline = headline_metrics(ws)
        step("writing the report", after_imports + 5)
        from advocacy.report.build import write_report

        report = write_report(ws, directory / "report.html", title=REPORT_TITLE)
    step("done", steps)
    return DemoSummary(
        directory=directory,
        database=database,
        report=Path(report),
        seed=seed,
        rows=rows,
        quarantined=quarantined,
        headline=headline,
        seconds=time.perf_counter() - started,
        users=users,
        password=password,
    )
