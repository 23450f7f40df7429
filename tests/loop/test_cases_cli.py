"""``advocacy cases``: its rules and casework through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import advocacy
from advocacy.access import add_user
from advocacy.loop.cases.opening import open_cases_for
from support.cli import Outcome
from support.cli import advocacy_cli as run_advocacy


def advocacy_cli(*args: str, cwd: Path) -> Outcome:
    return run_advocacy(*args, cwd=cwd, env={"USER": "ana", "HOME": str(cwd)})


RULES = """\
rules:
  - id: detractor
    trigger: nps_at_most
    routes: [{unit: North, owner: hal}]
    default_owner: ana
    due_hours: 48
"""


def test_rules_and_cases_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    unknown = advocacy_cli(
        "--create", "cases", "load-rules", "rules.yaml", "--db", db, cwd=tmp_path
    )
    assert unknown.returncode == 1  # the owners are no users yet
    assert "rule 'detractor' names owner(s) 'hal', 'ana'" in unknown.stderr
    with advocacy.open(db) as ws:
        for name in ("hal", "ana"):
            add_user(ws.db, name, role="analyst", password="correct horse battery")
    loaded = advocacy_cli("cases", "load-rules", "rules.yaml", "--db", db, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 1 rule(s)" in loaded.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(RULES.replace("due_hours: 48", "due_hours: never"), encoding="utf-8")
    refused = advocacy_cli("cases", "load-rules", "bad.yaml", "--db", db, cwd=tmp_path)
    assert refused.returncode == 1
    assert "bad.yaml" in refused.stderr and "line 6" in refused.stderr

    with advocacy.open(db) as ws:
        record = {"response_id": "r1", "customer_id": "C1", "nps": 1, "unit": "North"}
        ws.write_records("responses", [record])
        (case,) = open_cases_for(ws.db, "responses", ["r1"], settings=ws.settings)

    listed = advocacy_cli("cases", "list", "--customer", "C1", "--format", "json", "--db", db,
                          cwd=tmp_path)  # fmt: skip
    assert [(c["case_id"], c["owner"], c["status"]) for c in json.loads(listed.stdout)] == [
        (case.case_id, "hal", "new")
    ]
    refused = advocacy_cli("cases", "assign", case.case_id, "--owner", "nobody", "--db", db,
                           cwd=tmp_path)  # fmt: skip
    assert refused.returncode == 2 and "'nobody' cannot own cases" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1  # one clear line, no traceback
    missing = advocacy_cli("cases", "close", case.case_id, "--root-cause", " ",
                           "--action-taken", "refund", "--db", db, cwd=tmp_path)  # fmt: skip
    assert missing.returncode == 2 and "root cause" in missing.stderr
    closed = advocacy_cli("cases", "close", case.case_id, "--root-cause", "late courier",
                          "--action-taken", "refund", "--db", db, cwd=tmp_path)  # fmt: skip
    assert closed.returncode == 0 and "closed" in closed.stdout
    shown = json.loads(
        advocacy_cli(
            "cases", "show", case.case_id, "--format", "json", "--db", db, cwd=tmp_path
        ).stdout
    )
    assert [(e["kind"], e["actor"]) for e in shown["events"]] == [
        ("open", "rules"),
        ("close", "ana"),
    ]
    results = advocacy_cli("cases", "results", "--by", "owner", "--format", "json", "--db", db,
                           cwd=tmp_path)  # fmt: skip
    assert [row["owner"] for row in json.loads(results.stdout)] == ["hal"]
    exported = advocacy_cli("cases", "export-rules", "--out", "out.yaml", "--db", db, cwd=tmp_path)
    assert exported.returncode == 0
    assert "owner: hal" in (tmp_path / "out.yaml").read_text(encoding="utf-8")


def test_workload_by_owner_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    (tmp_path / "rules.yaml").write_text(RULES, encoding="utf-8")
    with advocacy.open(db) as ws:
        for name in ("hal", "ana"):
            add_user(ws.db, name, role="analyst", password="correct horse battery")
        ws.cases.load_rules(tmp_path / "rules.yaml")
        records = [
            {"response_id": "r1", "customer_id": "C1", "nps": 1, "unit": "North"},
            {"response_id": "r2", "customer_id": "C2", "nps": 2, "unit": "North"},
            {"response_id": "r3", "customer_id": "C3", "nps": 0, "unit": "South"},
        ]
        ws.write_records("responses", records)
        open_cases_for(ws.db, "responses", ["r1", "r2", "r3"], settings=ws.settings)
    ran = advocacy_cli("cases", "workload", "--format", "json", "--db", db, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    loads = {
        row["owner"]: (row["open"], row["new"], row["overdue"]) for row in json.loads(ran.stdout)
    }
    assert loads == {"hal": (2, 2, 0), "ana": (1, 1, 0)}
    south = advocacy_cli("cases", "workload", "--unit", "South", "--db", db, cwd=tmp_path)
    assert south.returncode == 0 and "ana" in south.stdout and "hal" not in south.stdout
