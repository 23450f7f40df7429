"""Closing the loop from a file: a new workspace has the shipped rules, ``advocacy import`` opens
cases in its transaction (not on history older than the case window), ``cases open --since``
opens them over stored evidence, and ``cases load-rules`` says what each rule would open."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import advocacy
from advocacy.loop.cases.backfill import IMPORT_WINDOW_DAYS
from advocacy.loop.cases.rule_format import default_rules
from advocacy.loop.cases.rule_store import replace_rules
from support.cli import Outcome
from support.cli import advocacy_cli as run_advocacy

TODAY = datetime.now(UTC)


def advocacy_cli(*args: str, cwd: Path) -> Outcome:
    return run_advocacy(*args, cwd=cwd, env={"USER": "ana", "HOME": str(cwd)})


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).strftime("%Y-%m-%d")


def _answers(path: Path) -> Path:
    """Four answers: a recent detractor, a detractor of a year ago, an undated one, a promoter."""
    path.write_text(
        "response_id,submitted_at,nps,comment\n"
        f"r-new,{_day(2)},2,The parcel never came\n"
        f"r-old,{_day(400)},1,Rude staff\n"
        "r-undated,,3,Slow\n"
        f"r-fan,{_day(1)},10,Lovely\n",
        encoding="utf-8",
    )
    return path


def test_a_new_workspace_has_the_shipped_rules_and_keeps_a_choice_of_none(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with advocacy.open(str(db)) as ws:
        assert [rule.rule_id for rule in ws.cases.rules()] == [
            rule.rule_id for rule in default_rules()
        ]
        replace_rules(ws.db, [], actor="ana")  # the user removes every rule
    with advocacy.open(str(db)) as ws:
        assert ws.cases.rules() == []  # opening again does not put them back
    listed = advocacy_cli("cases", "list", "--db", str(db), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "No case rules: this workspace opens no cases" in listed.stdout
    assert "advocacy cases load-rules --shipped" in listed.stdout
    loaded = advocacy_cli("cases", "load-rules", "--shipped", "--db", str(db), cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    with advocacy.open(str(db)) as ws:
        assert len(ws.cases.rules()) == len(default_rules())


def test_import_opens_cases_on_recent_evidence_and_counts_the_history(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    _answers(tmp_path / "answers.csv")
    done = advocacy_cli("import", "answers.csv", "--kind", "responses", "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "cases: 2 opened (detractor 2) by the case rules over 3 records" in done.stdout
    assert f"1 dated before {_day(IMPORT_WINDOW_DAYS)} opened none" in done.stdout
    assert "advocacy cases open --since DATE" in done.stdout
    with advocacy.open(db) as ws:
        opened = {case.evidence_id for case in ws.cases.list()}
    assert opened == {"r-new", "r-undated"}  # undated evidence counts as arriving now

    # A backfill the user asks for opens the old one (its day included), and only once.
    before = advocacy_cli("cases", "open", "--since", _day(500), "--until", _day(401),
                          "--format", "json", "--db", db, cwd=tmp_path)  # fmt: skip
    assert {row["kind"]: row["checked"] for row in json.loads(before.stdout)}["responses"] == 0
    day = advocacy_cli("cases", "open", "--since", _day(500), "--until", _day(400), "--kind",
                       "responses", "--format", "json", "--db", db, cwd=tmp_path)  # fmt: skip
    assert [(row["kind"], row["opened"]) for row in json.loads(day.stdout)] == [("responses", 1)]
    since = advocacy_cli("cases", "open", "--since", _day(500), "--format", "json", "--db", db,
                         cwd=tmp_path)  # fmt: skip
    assert since.returncode == 0, since.stderr
    rows = {row["kind"]: row for row in json.loads(since.stdout)}
    assert (rows["responses"]["checked"], rows["responses"]["opened"]) == (3, 0)
    again = advocacy_cli("cases", "open", "--since", _day(500), "--format", "json", "--db", db,
                         cwd=tmp_path)  # fmt: skip
    assert {row["kind"]: row["opened"] for row in json.loads(again.stdout)}["responses"] == 0
    with advocacy.open(db) as ws:
        assert {case.evidence_id for case in ws.cases.list()} == {"r-new", "r-undated", "r-old"}


def test_the_window_and_the_choice_to_open_no_cases(tmp_path: Path) -> None:
    _answers(tmp_path / "answers.csv")
    wide = str(tmp_path / "wide.duckdb")
    done = advocacy_cli("import", "answers.csv", "--kind", "responses", "--case-window-days",
                        "1000", "--format", "json", "--db", wide, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    cases = json.loads(done.stdout)["cases"]
    assert (cases["opened"], cases["checked"], cases["too_old"]) == (3, 4, 0)
    assert cases["by_rule"] == {"detractor": 3}
    none = str(tmp_path / "none.duckdb")
    skipped = advocacy_cli("import", "answers.csv", "--kind", "responses", "--no-cases",
                           "--db", none, cwd=tmp_path)  # fmt: skip
    assert skipped.returncode == 0 and "cases:" not in skipped.stdout
    with advocacy.open(none) as ws:
        assert ws.cases.count() == 0
    # A dry run writes nothing, so it opens nothing.
    advocacy_cli("import", "answers.csv", "--kind", "responses", "--dry-run", "--db", none,
                 cwd=tmp_path)  # fmt: skip
    with advocacy.open(none) as ws:
        assert ws.cases.count() == 0


def test_an_import_without_rules_says_so(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db) as ws:
        replace_rules(ws.db, [], actor="ana")
    _answers(tmp_path / "answers.csv")
    done = advocacy_cli("import", "answers.csv", "--kind", "responses", "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "cases: none opened, no enabled case rule reads these records" in done.stdout


def test_load_rules_says_what_each_rule_would_open(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    _answers(tmp_path / "answers.csv")
    advocacy_cli("import", "answers.csv", "--kind", "responses", "--no-cases", "--db", db,
                 cwd=tmp_path)  # fmt: skip
    (tmp_path / "rules.yaml").write_text(
        "rules:\n  - id: very-unhappy\n    trigger: nps_at_most\n    params: {threshold: 1}\n"
        "    due_hours: 24\n",
        encoding="utf-8",
    )
    dry = advocacy_cli("cases", "load-rules", "rules.yaml", "--dry-run", "--format", "json",
                       "--db", db, cwd=tmp_path)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    (row,) = json.loads(dry.stdout)
    assert (row["rule_id"], row["checked"], row["would_open"], row["share"]) == (
        "very-unhappy", 4, 1, 0.25,
    )  # fmt: skip
    with advocacy.open(db) as ws:  # a dry run stores nothing
        assert [rule.rule_id for rule in ws.cases.rules()] == [r.rule_id for r in default_rules()]
    loaded = advocacy_cli("cases", "load-rules", "rules.yaml", "--db", db, cwd=tmp_path)
    assert "loaded 1 rule(s)" in loaded.stdout
    assert "very-unhappy" in loaded.stdout and "25.0%" in loaded.stdout


def test_the_window_backfill_and_volumes_on_both_engines(db_url: str) -> None:
    records = [
        {"response_id": "r-new", "submitted_at": _day(2), "nps": 2},
        {"response_id": "r-old", "submitted_at": _day(400), "nps": 1},
        {"response_id": "r-fan", "submitted_at": _day(1), "nps": 10},
    ]
    with advocacy.open(db_url) as ws:
        with ws.transaction():
            written = ws.write_records("responses", records)
            bulk = ws.cases.open_for_import("responses", written.import_id)
        assert ([case.evidence_id for case in bulk.cases], bulk.checked, bulk.too_old) == (
            ["r-new"], 2, 1,
        )  # fmt: skip
        (detractor, *_) = ws.cases.rule_volumes()
        assert (detractor.rule_id, detractor.checked, detractor.would_open) == ("detractor", 3, 2)
        found = ws.cases.open(since=TODAY - timedelta(days=500), kinds=["responses"])
        assert [case.evidence_id for case in found["responses"].cases] == ["r-old"]
        assert ws.cases.count() == 2
