"""``advocacy report --engine spark --data DIR`` writes the workspace's (DuckDB's) report.

A small demo company (seeded) is built once and its tables exported to Parquet the way a user
would (``advocacy export`` for the evidence, the derived text tables and the closed loop's
tables, ``advocacy export loop``, beside them); the report is written from the DuckDB workspace
and from Spark over the folder, and every section must carry the same numbers: the same HTML
once long floats are rounded to three decimals (chart coordinates differ in the last digits
when rows arrive in another order). A folder without the loop's tables gets those two
sections listed as not covered, with why. Spark is the run's shared session (the CLI runs
in-process and finds it); without Java or PySpark these tests skip locally and fail in CI.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.demo.build import build_demo
from advocacy.errors import ParquetSourceError
from advocacy.report.section import ReportScope
from advocacy.report.sections import asks as asks_section
from advocacy.report.sections import loop as loop_section
from advocacy.report.sections import text as text_section
from advocacy.store.parquet_source import LOOP_TABLES
from advocacy.text.pii import Redactor
from advocacy.workspace import Workspace
from support.cli import advocacy_cli

#: The derived text tables, exported beside the evidence as ``text analyze`` leaves them.
DERIVED = ("text_features", "text_sentences", "themes", "document_themes")
#: Sections of the closed loop's work tables, read only when they were written to the folder.
WORK_SECTIONS = {"From promoters to advocates", "Closing the loop"}

_SECTION = re.compile(r'<section id="([^"]+)">\s*<h2>(.*?)</h2>(.*?)\n</section>', re.S)
_FLOAT = re.compile(r"-?\d+\.\d{4,}")
_ROW = re.compile(r"<tr>.*?</tr>", re.S)
#: The chart renderer numbers colour gradients in the order it draws them in a process.
_GRADIENT = re.compile(r"gradient_\d+")


def sections(html: str) -> dict[str, str]:
    """Section title -> its HTML, long floats rounded to three decimals.

    The numbers a reader sees have two decimals at most and are compared as printed; the long
    ones are chart coordinates and the data behind them, whose last digits follow the order in
    which the engine summed the rows. Gradient ids count the charts drawn in the process.
    """
    return {
        title: _GRADIENT.sub("gradient", _FLOAT.sub(lambda f: f"{float(f.group()):.3f}", body))
        for _, title, body in _SECTION.findall(html)
    }


def not_covered(html: str) -> dict[str, str]:
    """The report's "not covered" list: section title -> the reason given."""
    found = sections(html).get("Not covered yet", "")
    return dict(re.findall(r"<li><strong>(.*?)</strong>: (.*?)</li>", found, re.S))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    """The demo workspace (DuckDB) and a folder of its tables as Parquet."""
    folder = tmp_path_factory.mktemp("spark-report")
    summary = build_demo(folder / "demo", seed=11, customers=400)
    data = folder / "parquet"
    data.mkdir()
    ws = advocacy.open(str(summary.database))
    for table in ws.table_names():
        if table not in ("imports", "quarantine"):  # the ledger is the workspace's own
            ws.export(table, out=data / f"{table}.parquet", format="parquet")
    for table in DERIVED:
        ws.db.ibis.table(table).to_parquet(data / f"{table}.parquet")
    ran = advocacy_cli("export", "loop", "--out", str(data), "--db", ws.url)
    assert ran.returncode == 0, ran.stderr
    for table in LOOP_TABLES:  # every table written, each row as many as the workspace holds
        count = ws.db.ibis.table(table).count().to_pyarrow().as_py()
        assert f"wrote {count:,} rows of {table} to {data / (table + '.parquet')}" in ran.stdout
    assert "wrote 0 rows of cases " not in ran.stdout
    assert "wrote 0 rows of ask_members " not in ran.stdout
    yield ws, data
    ws.close()


@pytest.fixture(scope="module")
def reports(
    demo: tuple[Workspace, Path], spark_session: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str]:
    """The report's HTML from the workspace and from Spark over the Parquet folder."""
    ws, data = demo
    out = tmp_path_factory.mktemp("reports")
    ran = advocacy_cli("report", "--db", ws.url, "--out", str(out / "workspace.html"))
    assert ran.returncode == 0, ran.stderr
    ran = advocacy_cli(
        "report", "--engine", "spark", "--data", str(data), "--out", str(out / "spark.html")
    )
    assert ran.returncode == 0, ran.stderr
    assert f"wrote {out / 'spark.html'}" in ran.stdout
    return (
        (out / "workspace.html").read_text(encoding="utf-8"),
        (out / "spark.html").read_text(encoding="utf-8"),
    )


#: What the workspace's report says of its stored sentiment calibration: the sentence of the
#: text section and the methods' table. A folder of Parquet tables holds no calibration (it is
#: the workspace's, as ``text_calibration``), so the Spark report says the general sentence.
_CALIBRATION = re.compile(
    r"Sentiment is (?:not )?calibrated[^<]*|<h3>Sentiment calibration</h3><table>.*?</table>", re.S
)
_GENERAL = (
    "Sentiment is calibrated on this workspace&#39;s scored comments and taught labels when "
    "there are enough."
)


def _without_calibration(html: str) -> str:
    return _CALIBRATION.sub("", html)


@pytest.mark.parametrize(
    "title",
    [
        "Scores and significant changes",
        "What customers say and feel",
        "Which gaps matter",
        "Culture and people",
        "Advocates in deeds",
        "Closing the loop",
        "From promoters to advocates",
    ],
)
def test_spark_section_is_the_workspace_section(reports: tuple[str, str], title: str) -> None:
    on_workspace, on_spark = (sections(html) for html in reports)
    assert title in on_workspace and title in on_spark
    assert len(re.findall(r"\d", on_workspace[title])) > 50  # numbers, not a placeholder
    assert _without_calibration(on_spark[title]) == _without_calibration(on_workspace[title])
    if title == "What customers say and feel":
        assert "Sentiment is calibrated on 336 of this workspace" in on_workspace[title]
        assert _GENERAL in on_spark[title]


def test_spark_summary_has_the_workspace_scores_and_findings(reports: tuple[str, str]) -> None:
    on_workspace, on_spark = (sections(html)["Executive summary"] for html in reports)
    heading = "<h3>What to do</h3>"
    # The standing line and the score tiles.
    assert heading in on_workspace and heading in on_spark
    assert on_spark.split(heading)[0] == on_workspace.split(heading)[0]
    assert "NPS" in on_spark.split(heading)[0]

    def findings(html: str) -> list[str]:
        rows = _ROW.findall(html.split(heading)[1])[1:]  # the table's rows after its head
        # Without the rank (the first cell), which moves when a finding is left out.
        return [re.sub(r"^<tr>\s*<td class='num'>\s*\d+</td>", "", row) for row in rows]

    expected = findings(on_workspace)
    # The loop's findings (a plan that backfired, the recovery of detractors) are among them.
    assert any("#plans" in row or "#cases" in row for row in expected)
    assert findings(on_spark) == expected


def test_spark_methods_have_the_workspace_samples(reports: tuple[str, str]) -> None:
    on_workspace, on_spark = (sections(html)["Methods and sources"] for html in reports)
    heading = "<h3>Data sources</h3>"
    assert "<h3>Sentiment calibration</h3>" in on_workspace
    assert "<h3>Sentiment calibration</h3>" not in on_spark  # no calibration in Parquet tables
    on_workspace, on_spark = _without_calibration(on_workspace), _without_calibration(on_spark)
    assert on_spark.split(heading)[0] == on_workspace.split(heading)[0]
    assert "3,312" in on_spark.split(heading)[0]  # the employee culture items, counted
    assert "read from a folder of Parquet tables" in on_spark.split(heading)[1]


def test_spark_report_has_every_section_of_the_workspace(reports: tuple[str, str]) -> None:
    on_workspace, on_spark = reports
    assert set(sections(on_workspace)) >= WORK_SECTIONS  # the demo has cases, plans and asks
    assert set(sections(on_spark)) == set(sections(on_workspace))
    assert not set(not_covered(on_spark)) & WORK_SECTIONS


def test_a_folder_without_the_loop_says_why_in_the_report(
    demo: tuple[Workspace, Path], spark_session: Any, tmp_path: Path
) -> None:
    _, data = demo
    for table in data.glob("*.parquet"):
        if table.stem not in LOOP_TABLES:
            shutil.copy(table, tmp_path / table.name)
    on_spark = advocacy.open_parquet(tmp_path, session=spark_session)
    for section in (loop_section, asks_section):
        built = section.build(on_spark, ReportScope())
        assert built.missing is not None, section.TITLE
        assert "in the --data folder" in built.missing
        assert "advocacy export loop --out DIR" in built.missing and "(--db)" in built.missing
    assert "cases.parquet" in loop_section.build(on_spark, ReportScope()).missing
    assert "ask_campaigns.parquet" in asks_section.build(on_spark, ReportScope()).missing
    # No finding of the loop is made up from tables that are not there.
    assert loop_section.recovery_findings(on_spark, ReportScope()) == []
    assert loop_section.plan_findings(on_spark, ReportScope()) == []


def test_spark_redaction_knows_the_workspace_identities(
    demo: tuple[Workspace, Path], spark_session: Any
) -> None:
    ws, data = demo
    on_spark = advocacy.open_parquet(data, session=spark_session)
    customers = ws.table("customers")
    customer = customers.filter(customers.name.notnull()).limit(1).to_pyarrow()
    name, customer_id = customer["name"][0].as_py(), customer["customer_id"][0].as_py()
    text = f"{name} ({customer_id}) wrote to <ada@example.org> about the refund"
    expected = Redactor.for_workspace(ws.db).redact(text)
    assert name not in expected and customer_id not in expected
    assert Redactor.for_workspace(on_spark.db).redact(text) == expected


def test_spark_report_needs_its_folder(tmp_path: Path) -> None:
    ran = advocacy_cli("report", "--engine", "spark", "--out", str(tmp_path / "r.html"))
    assert ran.returncode == 2
    assert "--engine spark needs --data" in ran.stderr
    ran = advocacy_cli(
        "report", "--engine", "spark", "--data", str(tmp_path / "nowhere"), "--out", "r.html"
    )
    assert ran.returncode == 1
    assert "no folder" in ran.stderr and "nowhere" in ran.stderr


def test_a_folder_without_text_analysis_or_other_kinds(
    demo: tuple[Workspace, Path], spark_session: Any, tmp_path: Path
) -> None:
    ws, data = demo
    for table in ("responses", "customers"):  # the survey answers only
        shutil.copy(data / f"{table}.parquet", tmp_path / f"{table}.parquet")
    on_spark = advocacy.open_parquet(tmp_path, session=spark_session)
    # A kind that was not exported reads as empty, with its canonical columns.
    referrals = on_spark.table("referrals")
    assert "referrer_id" in referrals.columns and referrals.count().execute() == 0
    assert on_spark.table("responses").count().execute() == ws.table("responses").count().execute()
    # The texts were not analysed: the text section says how to, rather than guessing.
    lacking = on_spark.unavailable("text_features")
    assert lacking is not None and "text analyze --engine spark" in lacking
    assert str(tmp_path) not in lacking  # the folder's path is not printed into a report
    said = text_section.build(on_spark, ReportScope())
    assert said.missing == lacking
    assert ws.unavailable("text_features") is None  # a workspace database holds every table
    # What only a workspace database does is refused, naming why.
    with pytest.raises(ParquetSourceError, match="work table"):
        on_spark.db.ibis.table("users")
    with pytest.raises(ParquetSourceError, match=r"no cases\.parquet"):
        on_spark.db.ibis.table("cases")  # not "no cases": the folder lacks them
    with pytest.raises(ParquetSourceError, match="needs a workspace database"):
        on_spark.db.fetchall("SELECT 1")
    with pytest.raises(ParquetSourceError, match="needs a workspace database"):
        on_spark.write_records("responses", [{"response_id": "r1", "nps": 9}])
