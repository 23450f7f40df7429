"""Closing the loop from a file: a new workspace has the shipped rules, ``advocacy import`` opens
cases in its transaction (not on history older than the case window), ``cases open --since``
opens them over stored evidence, and ``cases load-rules`` says what each rule would open."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

import advocacy
from advocacy.loop.cases.backfill import IMPORT_WINDOW_DAYS
from advocacy.loop.cases.rule_format import default_rules
from advocacy.loop.cases.rule_store import replace_rules
from support.case_answers import TODAY, four_answers
from support.case_answers import day as _day
from support.cli import Outcome
from support.cli import advocacy_cli as run_advocacy


def advocacy_cli(*args: str, cwd: Path) -> Outcome:
    return run_advocacy(*args, cwd=cwd, env={"USER": "ana", "HOME": str(cwd)})


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
    four_answers(tmp_path / "answers.csv")
    done = advocacy_cli("import", "answers.csv", "--kind", "responses", "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    assert "cases: 1 opened (detractor 1) by the case rules over 2 records" in said
    assert f"1 dated before {_day(IMPORT_WINDOW_DAYS)} " in said  # then the time, UTC
    assert re.search(r"dated before \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\) opened none", said)
    assert (
        "; 1 undated: no case (their age is unknown; to open cases on them: advocacy cases open "
        "--since DATE --include-undated, or on the web: /cases/open, ticking “also evidence "
        "without a date”)"
    ) in said
    # The web page too (review9 item 4): a DuckDB file held by serve refuses the command.
    assert (
        "opened none (older than the 30-day case window; to open them: advocacy cases open "
        "--since DATE, or on the web: /cases/open)" in said
    )
    with advocacy.open(db) as ws:
        opened = {case.evidence_id for case in ws.cases.list()}
    assert opened == {"r-new"}  # undated evidence may be as old as the history: no case

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
    assert (rows["responses"]["checked"], rows["responses"]["opened"]) == (3, 0)  # no undated
    again = advocacy_cli("cases", "open", "--since", _day(500), "--include-undated", "--format",
                         "json", "--db", db, cwd=tmp_path)  # fmt: skip
    rows = {row["kind"]: row for row in json.loads(again.stdout)}
    assert (rows["responses"]["checked"], rows["responses"]["opened"]) == (4, 1)  # r-undated
    with advocacy.open(db) as ws:
        assert {case.evidence_id for case in ws.cases.list()} == {"r-new", "r-undated", "r-old"}


def test_the_window_and_the_choice_to_open_no_cases(tmp_path: Path) -> None:
    four_answers(tmp_path / "answers.csv")
    wide = str(tmp_path / "wide.duckdb")
    done = advocacy_cli("import", "answers.csv", "--kind", "responses", "--case-window-days",
                        "1000", "--format", "json", "--db", wide, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    cases = json.loads(done.stdout)["cases"]
    assert (cases["opened"], cases["checked"], cases["too_old"], cases["undated"]) == (2, 3, 0, 1)
    assert cases["by_rule"] == {"detractor": 2}
    none = str(tmp_path / "none.duckdb")
    skipped = advocacy_cli("import", "answers.csv", "--kind", "responses", "--no-cases",
                           "--db", none, cwd=tmp_path)  # fmt: skip
    assert skipped.returncode == 0 and "cases:" not in skipped.stdout
    with advocacy.open(none) as ws:
        assert ws.cases.count() == 0
    # A dry run says what would open, and writes nothing (again: evidence with a case opens none).
    dry = advocacy_cli("import", "answers.csv", "--kind", "responses", "--dry-run", "--format",
                       "json", "--db", wide, cwd=tmp_path)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert (json.loads(dry.stdout)["cases"]["opened"], json.loads(dry.stdout)["dry_run"]) == (
        0, True,
    )  # fmt: skip
    fresh = str(tmp_path / "fresh.duckdb")
    check = advocacy_cli("import", "answers.csv", "--kind", "responses", "--dry-run",
                         "--db", fresh, cwd=tmp_path)  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert "cases: 1 would open (detractor 1) by the case rules over 2 records" in " ".join(
        check.stdout.split()
    )
    with advocacy.open(wide) as ws:
        assert ws.cases.count() == 2
    with advocacy.open(fresh) as ws:
        assert ws.cases.count() == 0 and ws.db.fetchall("SELECT * FROM responses") == []


def test_a_failing_import_leaves_neither_rows_nor_cases(tmp_path: Path) -> None:
    """The rows and the cases they open commit together: when the case step fails, the rows
    written before it are rolled back too (and no case, event or notification stays)."""
    db = str(tmp_path / "w.duckdb")
    four_answers(tmp_path / "answers.csv")
    with advocacy.open(db) as ws:
        # A rule stored with a threshold no one can read: it fails once it runs.
        ws.db.execute(
            "UPDATE case_rules SET params = ? WHERE rule_id = 'champion-turned-detractor'",
            ['{"detractor_at_most": "six", "promoter_at_least": 9}'],
        )
    with pytest.raises(ValueError, match="six"):
        advocacy_cli("import", "answers.csv", "--kind", "responses", "--db", db, cwd=tmp_path)
    with advocacy.open(db) as ws:
        assert ws.db.fetchall("SELECT count(*) FROM responses") == [(0,)]
        assert ws.db.fetchall("SELECT count(*) FROM imports") == [(0,)]
        assert ws.cases.count() == 0


def test_importing_a_file_again_opens_no_second_case(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    four_answers(tmp_path / "answers.csv")
    first = advocacy_cli("import", "answers.csv", "--kind", "responses", "--format", "json",
                         "--db", db, cwd=tmp_path)  # fmt: skip
    assert json.loads(first.stdout)["cases"]["opened"] == 1
    # The same rows with a changed comment are written again (updated), and checked again.
    text = (tmp_path / "answers.csv").read_text(encoding="utf-8")
    (tmp_path / "answers.csv").write_text(text.replace("never came", "never came!"), "utf-8")
    again = advocacy_cli("import", "answers.csv", "--kind", "responses", "--format", "json",
                         "--db", db, cwd=tmp_path)  # fmt: skip
    summary = json.loads(again.stdout)
    assert summary["rows_updated"] == 1
    assert (summary["cases"]["checked"], summary["cases"]["opened"]) == (1, 0)
    with advocacy.open(db) as ws:
        assert sorted(case.evidence_id for case in ws.cases.list()) == ["r-new"]


def test_kinds_no_rule_reads_get_no_cases_line(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    (tmp_path / "customers.csv").write_text("customer_id,name\nC1,Ada\n", encoding="utf-8")
    done = advocacy_cli("import", "customers.csv", "--kind", "customers", "--db", db,
                        cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "cases:" not in done.stdout and "load-rules" not in done.stdout
    as_json = advocacy_cli("import", "customers.csv", "--kind", "customers", "--format", "json",
                           "--db", db, cwd=tmp_path)  # fmt: skip
    assert "cases" not in json.loads(as_json.stdout)


def test_a_backfill_checks_undated_evidence_only_when_asked(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    four_answers(tmp_path / "answers.csv")
    advocacy_cli("import", "answers.csv", "--kind", "responses", "--no-cases", "--db", db,
                 cwd=tmp_path)  # fmt: skip
    # Without --include-undated the undated answer is left out, even with dates reaching today.
    past = advocacy_cli("cases", "open", "--since", _day(500), "--until", _day(300), "--kind",
                        "responses", "--db", db, cwd=tmp_path)  # fmt: skip
    assert past.returncode == 0, past.stderr
    assert (
        "1 responses without a date were not checked: their age is unknown (--include-undated "
        "checks them)"
    ) in " ".join(past.stdout.split())
    # A repeated --kind is read once.
    both = advocacy_cli("cases", "open", "--since", _day(500), "--kind", "responses", "--kind",
                        "responses", "--format", "json", "--db", db, cwd=tmp_path)  # fmt: skip
    (row,) = json.loads(both.stdout)
    assert (row["kind"], row["checked"], row["opened"], row["undated"]) == ("responses", 3, 1, 1)
    # --include-undated checks it, whatever the dates.
    undated = advocacy_cli("cases", "open", "--since", _day(500), "--until", _day(300),
                           "--include-undated", "--db", db, cwd=tmp_path)  # fmt: skip
    said = " ".join(undated.stdout.split())
    assert "opened 1 case (detractor 1) over 2 records" in said, said
    assert "1 responses without a date were checked (--include-undated)" in said
    with advocacy.open(db) as ws:
        assert sorted(case.evidence_id for case in ws.cases.list()) == [
            "r-new", "r-old", "r-undated",
        ]  # fmt: skip


def test_cases_open_says_what_the_user_typed_wrong(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    backwards = advocacy_cli("cases", "open", "--since", "2026-10-05", "--until", "2026-10-03",
                             "--db", db, cwd=tmp_path)  # fmt: skip
    assert backwards.returncode == 2
    said = " ".join(backwards.stderr.split())
    assert "--until 2026-10-03 is before --since 2026-10-05" in said
    wrong = advocacy_cli("cases", "open", "--since", "2026-10-05", "--kind", "transactions",
                         "--db", db, cwd=tmp_path)  # fmt: skip
    assert wrong.returncode == 2
    assert "case rules run on responses or mentions, not 'transactions'" in " ".join(
        wrong.stderr.split()
    )
    assert "kind=" not in wrong.stderr


def test_import_names_old_rules_and_dates_far_ahead(tmp_path: Path) -> None:
    """A workspace that stored an older release's angry-mention thresholds is told once per
    import that its rules differ (they are not changed); mentions dated a year ahead (a day and
    month swapped?) are counted."""
    db = str(tmp_path / "w.duckdb")
    (tmp_path / "old.yaml").write_text(
        "rules:\n  - id: angry-mention\n    trigger: angry_mention\n"
        "    params: {anger_at_least: 0.5, negative_at_least: 0.7, complaint_at_least: 0.6}\n"
        "    due_hours: 24\n",
        encoding="utf-8",
    )
    with advocacy.open(db):
        pass  # a new workspace, with the shipped rules
    assert advocacy_cli("cases", "load-rules", "old.yaml", "--db", db, cwd=tmp_path).returncode == 0
    ahead = (TODAY + timedelta(days=365)).strftime("%Y-%m-%d")
    (tmp_path / "mentions.csv").write_text(
        "mention_id,posted_at,text\n"
        f"m1,{ahead},The parcel never came and nobody answers\n"
        f"m2,{_day(1)},Lovely service\n",
        encoding="utf-8",
    )
    done = advocacy_cli("import", "mentions.csv", "--kind", "mentions", "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    assert "note: 1 of the records checked are dated more than a day ahead" in said
    assert "note: the workspace's rule(s) angry-mention differ from the shipped ones" in said
    with advocacy.open(db) as ws:
        (rule,) = ws.cases.rules()
    assert rule.params["anger_at_least"] == 0.5  # the user's rule is left as it was
    shipped = advocacy_cli("cases", "load-rules", "--shipped", "--db", db, cwd=tmp_path)
    assert shipped.returncode == 0
    (tmp_path / "mentions.csv").write_text("mention_id,posted_at,text\nm3,,Fine\n", "utf-8")
    quiet = advocacy_cli("import", "mentions.csv", "--kind", "mentions", "--db", db, cwd=tmp_path)
    assert "differ from the shipped" not in quiet.stdout and "ahead" not in quiet.stdout


def test_an_import_without_rules_says_so(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    with advocacy.open(db) as ws:
        replace_rules(ws.db, [], actor="ana")
    four_answers(tmp_path / "answers.csv")
    done = advocacy_cli("import", "answers.csv", "--kind", "responses", "--db", db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "cases: none opened, no enabled case rule reads these records" in done.stdout


def test_load_rules_says_what_each_rule_would_open(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    four_answers(tmp_path / "answers.csv")
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


def test_the_window_backfill_and_volumes_on_both_engines(db_url: str, tmp_path: Path) -> None:
    records = [
        {"response_id": "r-new", "submitted_at": _day(2), "nps": 2},
        {"response_id": "r-old", "submitted_at": _day(400), "nps": 1},
        {"response_id": "r-fan", "submitted_at": _day(1), "nps": 10},
    ]
    with advocacy.open(db_url) as ws:
        with ws.transaction():
            written = ws.write_records("responses", records)
            bulk = ws.cases.open_for_import("responses", written.import_id)
        assert bulk is not None
        assert ([case.evidence_id for case in bulk.cases], bulk.checked, bulk.too_old) == (
            ["r-new"], 2, 1,
        )  # fmt: skip
        (detractor, *_) = ws.cases.rule_volumes()
        # r-new has its case: only r-old would open one.
        assert (detractor.rule_id, detractor.checked, detractor.would_open) == ("detractor", 3, 1)
        assert detractor.has_case == 1
        found = ws.cases.open(since=TODAY - timedelta(days=500), kinds=["responses"])
        assert [case.evidence_id for case in found["responses"].cases] == ["r-old"]
        assert ws.cases.count() == 2
        # import_file opens cases (by default): the rows and their cases commit together.
        done = ws.import_file(four_answers(tmp_path / "answers.csv"), kind="responses")
        assert done.cases is not None  # r-undated, the only new detractor, is undated: no case
        assert (done.cases["by_rule"], done.cases["undated"]) == ({}, 1)
        assert done.summary()["cases"] == done.cases
        ws.db.execute("UPDATE case_rules SET params = ? WHERE rule_id = 'detractor'",
                      ['{"threshold": "six"}'])  # fmt: skip
        (tmp_path / "more.csv").write_text(
            f"response_id,submitted_at,nps\nr-more,{_day(1)},0\n", encoding="utf-8"
        )
        with pytest.raises(ValueError, match="six"):
            ws.import_file(tmp_path / "more.csv", kind="responses")
        assert ws.db.fetchall("SELECT count(*) FROM responses WHERE response_id = 'r-more'") == [
            (0,)
        ]
        assert ws.cases.count() == 2
