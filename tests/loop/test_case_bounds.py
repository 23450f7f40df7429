"""The bounds of opening cases in bulk: ``cases open`` asks only a person at a terminal, after
its progress bar, and opens the cases it already chose; a case window longer than the calendar is
no window (never a crash); an import that would open more than 500 cases opens none and says how
to open them, on every way in; an import's check says what it would open; the window's start is
stated in the workspace's time zone."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import advocacy
from advocacy.errors import UsageError
from advocacy.loop.cases.import_lines import CASES_AT_ONCE
from support.cli import Outcome
from support.cli import advocacy_cli as run_advocacy

TODAY = datetime.now(UTC)


def advocacy_cli(*args: str, cwd: Path) -> Outcome:
    return run_advocacy(*args, cwd=cwd, env={"USER": "ana", "HOME": str(cwd)})


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).strftime("%Y-%m-%d")


def _detractors(path: Path, count: int, *, days_ago: int) -> Path:
    lines = [f"r-{number},{_day(days_ago)},{number % 7}" for number in range(count)]
    path.write_text("response_id,submitted_at,nps\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stored(tmp_path: Path, count: int) -> str:
    """A workspace holding ``count`` detractors of 200 days ago, no case opened."""
    db = str(tmp_path / "w.duckdb")
    _detractors(tmp_path / "many.csv", count, days_ago=200)
    done = advocacy_cli("import", "many.csv", "--kind", "responses", "--no-cases", "--db", db,
                        cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return db


def _on_a_terminal(
    args: list[str], cwd: Path, *, answer: str | None, stdout_too: bool = True
) -> tuple[int, str, str]:
    """Run ``advocacy *args`` with stdin (and stdout unless not ``stdout_too``) on a pseudo
    terminal; type ``answer`` once the question shows. Returns (exit code, terminal, stdout)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "USER": "ana", "HOME": str(cwd), "TERM": "xterm", "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "advocacy", *args],
        cwd=cwd, env=env, stdin=follower, stderr=follower,
        stdout=follower if stdout_too else subprocess.PIPE,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 120
    answered = answer is None
    while process.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                seen += os.read(leader, 65536)
            except OSError:
                break
        if not answered and b"Open them all?" in seen:
            os.write(leader, answer.encode() + b"\n")  # type: ignore[union-attr]
            answered = True
    try:
        process.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"the command waited on a terminal: {seen.decode(errors='replace')[-500:]}")
    while True:  # what is left on the terminal
        ready, _, _ = select.select([leader], [], [], 0.2)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    out = process.stdout.read().decode() if process.stdout is not None else ""
    return process.wait(), seen.decode(errors="replace"), out


def test_a_large_backfill_asks_at_a_terminal_after_its_bar_and_opens_what_it_chose(
    tmp_path: Path,
) -> None:
    db = _stored(tmp_path, CASES_AT_ONCE + 1)
    args = ["cases", "open", "--since", _day(365), "--db", db]
    code, screen, _ = _on_a_terminal(args, tmp_path, answer="y")
    assert code == 0, screen
    # The question comes after the bar's last redraw (which would wipe it), with the way out.
    question = screen.rindex("Open them all?")
    assert screen.rfind("\x1b[2K") < question, screen[-800:]
    told = " ".join(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen[:question]).split())
    assert "would open 501 cases (responses: detractor 501), more than 500" in told
    assert "--dry-run" in told and "--yes" in told and "nothing was opened" not in told
    after = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen[question:])
    assert "opened 501 cases (detractor 501)" in " ".join(after.split())
    with advocacy.open(db) as ws:
        assert ws.cases.count() == 501


def test_a_large_backfill_with_its_output_redirected_is_refused_not_stuck(
    tmp_path: Path,
) -> None:
    db = _stored(tmp_path, CASES_AT_ONCE + 1)
    code, screen, out = _on_a_terminal(
        ["cases", "open", "--since", _day(365), "--db", db], tmp_path, answer=None,
        stdout_too=False,
    )  # fmt: skip
    assert code == 2, screen
    assert "Open them all?" not in out + screen
    assert "would open 501 cases" in " ".join(screen.split()) and "--yes" in screen
    with advocacy.open(db) as ws:
        assert ws.cases.count() == 0


def test_a_confirmed_backfill_opens_the_cases_it_chose_without_running_the_rules_again(
    db_url: str, tmp_path: Path
) -> None:
    _detractors(tmp_path / "four.csv", 4, days_ago=120)
    asked: list[str] = []
    stages: list[tuple[str, int, int]] = []

    def say(answer: bool):  # type: ignore[no-untyped-def]
        def confirm(refusal: UsageError) -> bool:
            asked.append(refusal.message)
            return answer

        return confirm

    with advocacy.open(db_url) as ws:
        ws.import_file(tmp_path / "four.csv", kind="responses")  # too old: no case
        since = TODAY - timedelta(days=365)
        with pytest.raises(UsageError, match="would open 4 cases"):
            ws.cases.open(since=since, at_most=3, confirm=say(False))
        assert ws.cases.count() == 0
        done = ws.cases.open(
            since=since, at_most=3, kinds=["responses"], confirm=say(True),
            progress=lambda *at: stages.append(at),
        )  # fmt: skip
        assert done["responses"].by_rule() == {"detractor": 4} and ws.cases.count() == 4
    assert len(asked) == 2 and "more than 3 at once" in asked[1]
    assert stages == [("case rules", 0, 1), ("case rules", 1, 1)]  # one run of the rules


@pytest.mark.parametrize("days", [800_000, 10**12])
def test_a_case_window_longer_than_the_calendar_is_no_window(
    db_url: str, tmp_path: Path, days: int
) -> None:
    _detractors(tmp_path / "old.csv", 3, days_ago=5000)
    with advocacy.open(db_url) as ws:
        done = ws.import_file(tmp_path / "old.csv", kind="responses", case_window_days=days)
        assert done.cases is not None
        assert (done.cases["opened"], done.cases["too_old"], done.cases["window_days"]) == (
            3, 0, None,
        )  # fmt: skip
    cli = str(tmp_path / "cli.duckdb")
    printed = advocacy_cli("import", "old.csv", "--kind", "responses", "--case-window-days",
                           "800000", "--db", cli, cwd=tmp_path)  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    assert "cases: 3 opened (detractor 3) by the case rules over 3 records" in " ".join(
        printed.stdout.split()
    )


def test_an_import_over_the_bound_opens_none_and_says_how_to_open_them(
    db_url: str, tmp_path: Path
) -> None:
    many = _detractors(tmp_path / "many.csv", CASES_AT_ONCE + 1, days_ago=3)
    with advocacy.open(db_url) as ws:
        done = ws.import_file(many, kind="responses")
        assert done.cases is not None
        assert (done.cases["opened"], done.cases["withheld"]) == (0, {"detractor": 501})
        assert done.cases["withheld_since"] == _day(3)
        assert ws.cases.count() == 0 and done.rows_loaded == 501  # the rows are in
        opened = ws.cases.open(
            since=datetime.fromisoformat(done.cases["withheld_since"]), at_most=None
        )
        assert len(opened["responses"].cases) == 501
    cli = tmp_path / "cli.duckdb"
    printed = advocacy_cli("import", "many.csv", "--kind", "responses", "--db", str(cli),
                           cwd=tmp_path)  # fmt: skip
    said = " ".join(printed.stdout.split())
    assert (
        "cases: none opened: the case rules would open 501 (detractor 501) over 501 records, "
        f"more than 500 at once; see them with advocacy cases open --since {_day(3)} --dry-run; "
        "open them with that command without --dry-run and with --yes, or on the web: "
        f"/cases/open?since={_day(3)} (a DuckDB workspace takes the web or the command, not both "
        "at once)"
    ) in said
    # Before the import, the check offers the import's own yes, and --all-cases opens them all.
    check = advocacy_cli("import", "many.csv", "--kind", "responses", "--dry-run", "--db",
                         str(tmp_path / "all.duckdb"), cwd=tmp_path)  # fmt: skip
    assert "to open them all, import with --all-cases" in " ".join(check.stdout.split())
    every = advocacy_cli("import", "many.csv", "--kind", "responses", "--all-cases", "--db",
                         str(tmp_path / "all.duckdb"), cwd=tmp_path)  # fmt: skip
    assert "cases: 501 opened (detractor 501)" in " ".join(every.stdout.split()), every.stderr
    with advocacy.open(str(tmp_path / "py.duckdb")) as ws:
        done = ws.import_file(many, kind="responses", cases_at_once=None)
        assert done.cases is not None and done.cases["opened"] == 501
        assert ws.cases.count() == 501
    as_json = advocacy_cli("import", "many.csv", "--kind", "responses", "--format", "json",
                           "--db", str(tmp_path / "j.duckdb"), cwd=tmp_path)  # fmt: skip
    assert json.loads(as_json.stdout)["cases"]["withheld"] == {"detractor": 501}
    # Exactly the bound still opens.
    bound = _detractors(tmp_path / "bound.csv", CASES_AT_ONCE, days_ago=3)
    with advocacy.open(str(tmp_path / "b.duckdb")) as ws:
        assert ws.import_file(bound, kind="responses").cases["opened"] == 500  # type: ignore[index]


def test_the_window_is_stated_in_the_workspace_time_zone(tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    _detractors(tmp_path / "old.csv", 1, days_ago=100)
    york = {"HOME": str(tmp_path), "ADVOCACY_TIMEZONE": "America/New_York"}
    done = run_advocacy("import", "old.csv", "--kind", "responses", "--db", db, cwd=tmp_path,
                        env=york)  # fmt: skip
    assert done.returncode == 0, done.stderr
    start = (datetime.now(UTC) - timedelta(days=30)).astimezone(ZoneInfo("America/New_York"))
    said = " ".join(done.stdout.split())
    assert f"dated before {start:%Y-%m-%d %H}:" in said, said
    assert "(America/New_York) (older than the 30-day case window" in said
