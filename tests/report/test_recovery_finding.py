"""The recovery finding: the one-page summary says "detractors with a case recovered X% vs Y%
without" only when the difference is beyond chance, with its numbers and interval.

Each workspace is built as a user builds one: customers and answers imported from CSV files, the
shipped detractor rule opening a case for some detractors at the time of their answer (as the
demo backfills history), then the whole report rendered. Every detractor answers once in the
first half of 2025; a customer *recovers* by answering again with NPS 9 a month later. How many
recover in each group is planted, so the rates the summary must print are known.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

import advocacy
from advocacy.loop.cases.opening import open_cases_for
from advocacy.metrics.intervals import newcombe_difference
from advocacy.report.build import render_report

#: The case rules advocacy ships with (a detractor answer opens a case).
SHIPPED_RULES = Path(advocacy.__file__).parent / "loop" / "cases" / "default_rules.yaml"
#: Detractors in each group: with a case, and comparable ones without.
GROUP = 200
ACTION = "Open a case for every detractor: the call back works."


def build(directory: Path, *, with_case: int, without_case: int) -> str:
    """A workspace where ``with_case`` of the detractors with a case and ``without_case`` of
    those without one answer again as promoters within the recovery window."""
    directory.mkdir(parents=True, exist_ok=True)
    customers = [f"C{number:04d}" for number in range(2 * GROUP)]
    pd.DataFrame({"customer_id": customers, "name": [f"Customer {c}" for c in customers]}).to_csv(
        directory / "customers.csv", index=False
    )
    rows = []
    for number, customer in enumerate(customers):
        cased = number < GROUP
        position = number if cased else number - GROUP
        day = pd.Timestamp("2025-01-06", tz="UTC") + pd.Timedelta(days=position % 150)
        rows.append((f"D{number:04d}", customer, day, 3))
        if position < (with_case if cased else without_case):
            rows.append((f"F{number:04d}", customer, day + pd.Timedelta(days=30), 9))
    responses = pd.DataFrame(rows, columns=["response_id", "customer_id", "submitted_at", "nps"])
    responses = responses.assign(
        unit="North", submitted_at=responses["submitted_at"].dt.strftime("%Y-%m-%dT10:00:00Z")
    )
    responses.to_csv(directory / "responses.csv", index=False)
    url = str(directory / "workspace.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(directory / "customers.csv", kind="customers")
        ws.import_file(directory / "responses.csv", kind="responses")
        ws.cases.load_rules(SHIPPED_RULES)
        opened = open_cases_for(
            ws.db,
            "responses",
            [f"D{number:04d}" for number in range(GROUP)],
            settings=ws.settings,
            backfill=True,
        )
    assert len(opened) == GROUP
    return url


def summary_of(url: str) -> str:
    with advocacy.open(url) as ws:
        html = render_report(ws)
    found = re.search(r'<section id="summary">(.*?)</section>', html, re.S)
    assert found is not None, "the report has no summary"
    return found.group(1)


def percent(count: int) -> str:
    return f"{100 * count / GROUP:.0f}%"


def test_a_significant_recovery_difference_is_a_finding_with_its_numbers(
    tmp_path: Path,
) -> None:
    recovered, comparable = 150, 40
    summary = summary_of(build(tmp_path, with_case=recovered, without_case=comparable))
    _, low, high = newcombe_difference(recovered, GROUP, comparable, GROUP)
    assert low > 0  # the planted gap is beyond chance
    row = re.search(
        r"<td><strong>" + re.escape(ACTION) + r"</strong>(.*?)</td><td>(.*?)</td>"
        r"<td class='due'>.*?</td><td>(.*?) <a href='#cases'>",
        summary,
        re.S,
    )
    assert row is not None, "the recovery finding is not in the summary"
    why, owner, effect = row.groups()
    assert (
        f"Detractors with a case recovered {percent(recovered)} of the time (n={GROUP}), "
        f"comparable ones without a case {percent(comparable)} (n={GROUP}): "
        f"+{100 * (recovered - comparable) / GROUP:.0f} points "
        f"[{100 * low:.1f}, {100 * high:.1f}]." in why
    )
    assert owner == "Head of customer experience"
    assert "About 55 more of every 100 detractors reached recover" in effect


def test_a_difference_within_chance_is_not_a_finding(tmp_path: Path) -> None:
    recovered, comparable = 62, 58
    url = build(tmp_path, with_case=recovered, without_case=comparable)
    _, low, high = newcombe_difference(recovered, GROUP, comparable, GROUP)
    assert low < 0 < high  # the planted gap is within chance
    with advocacy.open(url) as ws:
        html = render_report(ws)
    summary = re.search(r'<section id="summary">(.*?)</section>', html, re.S)
    assert summary is not None
    assert "Detractors with a case recovered" not in summary.group(1)
    assert ACTION not in summary.group(1)
    assert "a call back leaves detractors worse off" not in summary.group(1)
    # The cases section still reports the comparison, as a measurement, not a finding.
    assert f"Detractors with a case recovered {percent(recovered)} of the time" in html


def test_cases_that_leave_detractors_worse_off_are_a_finding_too(tmp_path: Path) -> None:
    recovered, comparable = 30, 120
    summary = summary_of(build(tmp_path, with_case=recovered, without_case=comparable))
    assert "Fix how cases are worked: a call back leaves detractors worse off." in summary
    assert f"At least the {percent(comparable)} recovery of customers without a case" in summary
