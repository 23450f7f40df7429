"""The case loop's edges: a Python import opens cases as every other way in does; ``cases open``
says per rule what it would open (``--dry-run``) or opened, asks before a large backfill and reads
its days in the workspace's time zone; ``load-rules --dry-run`` does not count evidence that
already has a case; a new workspace whose first opening stopped at a failed migration gets the
shipped rules when it is next opened."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.loop.cases.rule_format import default_rules
from advocacy.loop.cases.rule_store import replace_rules
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.store.migrate import latest_version, migrate
from advocacy.workspace import FIRST_MIGRATION
from support.case_answers import TODAY, four_answers
from support.case_answers import day as _day
from support.cli import Outcome
from support.cli import advocacy_cli as run_advocacy


def advocacy_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Outcome:
    return run_advocacy(*args, cwd=cwd, env={"USER": "ana", "HOME": str(cwd), **(env or {})})


def test_a_python_import_opens_cases_as_every_other_way_in(db_url: str, tmp_path: Path) -> None:
    answers = four_answers(tmp_path / "answers.csv")
    with advocacy.open(db_url) as ws:
        done = ws.import_file(answers, kind="responses")  # no cases= given
        assert done.cases is not None
        assert (done.cases["opened"], done.cases["by_rule"], done.cases["too_old"]) == (
            1, {"detractor": 1}, 1,
        )  # fmt: skip
        assert (done.cases["undated"], done.cases["undated_checked"]) == (1, False)
        assert sorted(case.evidence_id for case in ws.cases.list()) == ["r-new"]
        (tmp_path / "more.csv").write_text(
            f"response_id,submitted_at,nps\nr-more,{_day(1)},0\n", encoding="utf-8"
        )
        skipped = ws.import_file(tmp_path / "more.csv", kind="responses", cases=False)
        assert skipped.cases is None and ws.cases.count() == 1


def test_cases_open_dry_run_says_per_rule_what_would_open(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    four_answers(tmp_path / "answers.csv")
    advocacy_cli("import", "answers.csv", "--kind", "responses", "--no-cases", "--db", db,
                 cwd=tmp_path)  # fmt: skip
    dry = advocacy_cli("cases", "open", "--since", _day(500), "--dry-run", "--kind", "responses",
                       "--include-undated", "--db", db, cwd=tmp_path)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    said = " ".join(dry.stdout.split())
    assert "would open 3 cases (detractor 3) over 4 records; nothing was written" in said
    assert "without --dry-run)" in said  # 3 cases, under the bound: no --yes needed
    as_json = advocacy_cli("cases", "open", "--since", _day(500), "--dry-run", "--format", "json",
                           "--db", db, cwd=tmp_path)  # fmt: skip
    rows = {row["kind"]: row for row in json.loads(as_json.stdout)}
    # Without --include-undated, the undated detractor is counted, not checked.
    assert (rows["responses"]["would_open"], rows["responses"]["by_rule"]) == (2, "detractor 2")
    assert (rows["responses"]["checked"], rows["responses"]["undated"]) == (3, 1)
    assert "opened" not in rows["responses"]
    with advocacy.open(db) as ws:
        assert ws.cases.count() == 0  # a dry run opens nothing
    done = advocacy_cli("cases", "open", "--since", _day(500), "--kind", "responses",
                        "--include-undated", "--db", db, cwd=tmp_path)  # fmt: skip
    assert "opened 3 cases (detractor 3) over 4 records" in " ".join(done.stdout.split())
    with advocacy.open(db) as ws:
        assert ws.cases.count() == 3


def test_a_large_backfill_names_its_count_and_opens_only_when_confirmed(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    lines = [f"r-{number},{_day(200)},{number % 3}" for number in range(501)]
    (tmp_path / "many.csv").write_text(
        "response_id,submitted_at,nps\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    advocacy_cli("import", "many.csv", "--kind", "responses", "--no-cases", "--db", db,
                 cwd=tmp_path)  # fmt: skip
    dry = advocacy_cli("cases", "open", "--since", _day(365), "--dry-run", "--db", db,
                       cwd=tmp_path)  # fmt: skip
    # Off a terminal a run over the bound is refused without --yes: the dry run's hint names it.
    assert "the same command without --dry-run, with --yes" in " ".join(dry.stdout.split())
    refused = advocacy_cli("cases", "open", "--since", _day(365), "--db", db, cwd=tmp_path)
    assert refused.returncode == 2
    said = " ".join(refused.stderr.split())
    assert "this backfill would open 501 cases (responses: detractor 501), more than 500" in said
    assert "nothing was opened" in said and "--yes" in said
    with advocacy.open(db) as ws:
        assert ws.cases.count() == 0
    confirmed = advocacy_cli("cases", "open", "--since", _day(365), "--yes", "--db", db,
                             cwd=tmp_path)  # fmt: skip
    assert confirmed.returncode == 0, confirmed.stderr
    assert "opened 501 cases (detractor 501)" in " ".join(confirmed.stdout.split())
    with advocacy.open(db) as ws:
        assert ws.cases.count() == 501


def test_the_backfill_bound_and_dry_run_on_both_engines(db_url: str, tmp_path: Path) -> None:
    lines = [f"r-{n},{_day(100 + n)},{n}" for n in range(4)]
    (tmp_path / "four.csv").write_text(
        "response_id,submitted_at,nps\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    with advocacy.open(db_url) as ws:
        ws.import_file(tmp_path / "four.csv", kind="responses")  # 100+ days old: no case
        assert ws.cases.count() == 0
        since = TODAY - timedelta(days=365)
        with pytest.raises(UsageError, match=r"would open 4 cases \(responses: detractor 4\)"):
            ws.cases.open(since=since, at_most=3)
        assert ws.cases.count() == 0
        dry = ws.cases.open(since=since, dry_run=True, at_most=3)  # a dry run is never refused
        assert len(dry["responses"].cases) == 4 and ws.cases.count() == 0
        stages: list[tuple[str, int, int]] = []
        done = ws.cases.open(
            since=since, at_most=4, kinds=["responses"], progress=lambda *at: stages.append(at)
        )
        assert done["responses"].by_rule() == {"detractor": 4} and ws.cases.count() == 4
        assert stages == [("case rules", 0, 1), ("case rules", 1, 1)]


def test_cases_open_reads_its_days_in_the_workspace_time_zone(tmp_path: Path) -> None:
    """Import reads the file's naive times in the ``timezone`` setting; ``cases open`` reads its
    days there too: 00:30 and 23:30 in Berlin on 5 October are that day, whatever UTC says."""
    db = str(tmp_path / "w.duckdb")
    berlin = {"ADVOCACY_TIMEZONE": "Europe/Berlin"}
    (tmp_path / "edge.csv").write_text(
        "response_id,submitted_at,nps\n"
        "r-before,2026-10-04 23:30,1\n"
        "r-early,2026-10-05 00:30,1\n"  # 2026-10-04 22:30 UTC
        "r-late,2026-10-05 23:30,1\n"  # 2026-10-05 21:30 UTC
        "r-after,2026-10-06 00:30,1\n",  # 2026-10-05 22:30 UTC
        encoding="utf-8",
    )
    advocacy_cli("import", "edge.csv", "--kind", "responses", "--no-cases", "--db", db,
                 cwd=tmp_path, env=berlin)  # fmt: skip
    day = advocacy_cli("cases", "open", "--since", "2026-10-05", "--until", "2026-10-05",
                       "--kind", "responses", "--dry-run", "--format", "json", "--db", db,
                       cwd=tmp_path, env=berlin)  # fmt: skip
    assert day.returncode == 0, day.stderr
    assert [row["checked"] for row in json.loads(day.stdout)] == [2]
    opened = advocacy_cli("cases", "open", "--since", "2026-10-05", "--until", "2026-10-05",
                          "--kind", "responses", "--db", db, cwd=tmp_path, env=berlin)  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    with advocacy.open(db) as ws:
        assert sorted(case.evidence_id for case in ws.cases.list()) == ["r-early", "r-late"]
    # In Python an aware time is kept as it is; a naive one is read in the workspace's zone.
    with advocacy.open(db, settings=Settings(db=db, timezone="Europe/Berlin")) as ws:
        aware = ws.cases.open(since=datetime(2026, 10, 5, 22, 30, tzinfo=UTC), dry_run=True)
        naive = ws.cases.open(since=datetime(2026, 10, 6), dry_run=True)
    assert aware["responses"].checked == naive["responses"].checked == 1  # r-after


def test_load_rules_dry_run_leaves_out_evidence_that_has_a_case(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    four_answers(tmp_path / "answers.csv")
    imported = advocacy_cli("import", "answers.csv", "--kind", "responses", "--db", db,
                            cwd=tmp_path)  # fmt: skip
    assert "cases: 1 opened" in imported.stdout  # r-new; r-undated is undated: no case
    (tmp_path / "rules.yaml").write_text(
        "rules:\n  - id: unhappy\n    trigger: nps_at_most\n    params: {threshold: 3}\n"
        "    due_hours: 24\n",
        encoding="utf-8",
    )
    dry = advocacy_cli("cases", "load-rules", "rules.yaml", "--dry-run", "--format", "json",
                       "--db", db, cwd=tmp_path)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    (row,) = json.loads(dry.stdout)
    assert (row["checked"], row["would_open"], row["has_case"]) == (4, 2, 1)  # r-old, r-undated


def test_a_new_workspace_whose_migration_failed_gets_the_shipped_rules(tmp_path: Path) -> None:
    stopped = str(tmp_path / "stopped.duckdb")
    db = Database(stopped)
    migrate(db, target=FIRST_MIGRATION)  # the first opening stopped after its first migration
    db.close()
    with advocacy.open(stopped) as ws:
        assert [rule.rule_id for rule in ws.cases.rules()] == [r.rule_id for r in default_rules()]
    # A choice of no rules made before an upgrade is kept.
    chosen = str(tmp_path / "chosen.duckdb")
    db = Database(chosen)
    migrate(db, target=latest_version() - 1)
    replace_rules(db, [], actor="ana")
    db.close()
    with advocacy.open(chosen) as ws:
        assert ws.cases.rules() == []
