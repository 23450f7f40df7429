"""The CLI: exit codes, one-line errors, JSON summaries; and a few runs as a real process.

Most tests go through Typer's runner (``support.cli``), which sees the same exit codes and messages
as a process because the error boundary lives inside the app. The end-to-end tests at the bottom
start real processes: the installed console script, ``python -m advocacy``, ``--help`` start-up and
a traceback under ``--debug``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import require
from support.cli import advocacy_cli


def advocacy_process(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_import_status_quarantine_and_export(tmp_path: Path) -> None:
    data = tmp_path / "responses.csv"
    data.write_text(
        "response_id,submitted_at,nps,comment\n"
        "R1,2024-01-02T10:00:00Z,9,great\n"
        "R2,2024-01-03T10:00:00Z,eleven,hmm\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "ws.duckdb")
    done = advocacy_cli(
        "import", str(data), "--kind", "responses", "--format", "json", "--db", db, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert {
        k: summary[k]
        for k in ("rows_read", "rows_loaded", "rows_updated", "rows_unchanged", "rows_quarantined")
    } == {
        "rows_read": 2,
        "rows_loaded": 1,
        "rows_updated": 0,
        "rows_unchanged": 0,
        "rows_quarantined": 1,
    }
    status = json.loads(advocacy_cli("status", "--format", "json", "--db", db, cwd=tmp_path).stdout)
    counts = {table["table"]: table["rows"] for table in status["tables"]}
    assert counts["responses"] == 1 and status["quarantined_rows"] == 1
    listed = json.loads(
        advocacy_cli("quarantine", "list", "--format", "json", "--db", db, cwd=tmp_path).stdout
    )
    assert [(row["row"], row["column"], row["value"]) for row in listed] == [(3, "nps", "eleven")]
    fixed = tmp_path / "fix.csv"
    assert (
        advocacy_cli(
            "quarantine", "export", "--out", str(fixed), "--db", db, cwd=tmp_path
        ).returncode
        == 0
    )
    assert "eleven" in fixed.read_text(encoding="utf-8")
    out = tmp_path / "responses.parquet"
    exported = advocacy_cli("export", "responses", "--out", str(out), "--db", db, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(out).column("response_id").to_pylist() == ["R1"]


def test_library_errors_are_one_line_and_exit_1(tmp_path: Path) -> None:
    done = advocacy_cli(
        "import",
        "missing.csv",
        "--kind",
        "responses",
        "--db",
        str(tmp_path / "ws.duckdb"),
        cwd=tmp_path,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing.csv" in lines[0] and "fix:" in lines[0]
    assert "Traceback" not in done.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "x.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    done = advocacy_cli(
        "import", str(data), "--kind", "nonsense", "--db", str(tmp_path / "ws.duckdb"), cwd=tmp_path
    )
    assert done.returncode == 2
    assert "nonsense" in done.stderr and "customers" in done.stderr
    assert advocacy_cli("frobnicate", cwd=tmp_path).returncode == 2


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    done = advocacy_process(
        sys.executable,
        "-m",
        "advocacy",
        "--debug",
        "import",
        "missing.csv",
        "--kind",
        "responses",
        "--db",
        str(tmp_path / "ws.duckdb"),
        cwd=tmp_path,
    )
    assert done.returncode != 0 and "Traceback" in done.stderr


def test_the_cli_starts_without_the_analysis_libraries() -> None:
    # `advocacy --help` and every command's start paid seconds of imports; each command now
    # imports what it uses when it runs (advocacy.lazy_names for the packages' public names).
    heavy = ("pandas", "ibis", "scipy", "altair", "duckdb", "pyarrow", "sklearn")
    probe = (
        "import sys, advocacy.present.cli.main; "
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_the_console_script_reports_a_library_error_in_one_line(tmp_path: Path) -> None:
    script = shutil.which("advocacy", path=str(Path(sys.executable).parent))
    require(script is not None, "the advocacy console script is not installed (pip install -e .)")
    assert script is not None
    done = advocacy_process(
        script, "import", "missing.csv", "--kind", "responses", "--db", "ws.duckdb", cwd=tmp_path
    )
    assert done.returncode == 1
    assert done.stderr == "error: missing.csv: file not found; fix: check the path\n"


def test_python_dash_m_exits_2_on_an_unknown_command(tmp_path: Path) -> None:
    done = advocacy_process(sys.executable, "-m", "advocacy", "frobnicate", cwd=tmp_path)
    assert done.returncode == 2 and "frobnicate" in done.stderr


def test_help_starts_as_a_process(tmp_path: Path) -> None:
    done = advocacy_process(sys.executable, "-m", "advocacy", "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Customer advocacy analytics" in done.stdout and "metrics" in done.stdout


def test_a_command_process_ends_without_a_final_collection(tmp_path: Path) -> None:
    # The interpreter's last garbage collection walked every object an analysis left (~0.2 s
    # of CPU per command); run() freezes them first, and collects less often while it runs.
    probe = (
        "import gc\n"
        "from advocacy.present.cli.app import GC_THRESHOLD, run\n"
        "frozen = gc.get_freeze_count()\n"
        "try:\n    run(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(frozen, gc.get_freeze_count() > frozen, gc.get_threshold()[0] == GC_THRESHOLD)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[0].startswith("advocacy ")
    assert done.stdout.splitlines()[-1] == "0 True True"


def test_a_process_builds_only_the_command_it_runs(tmp_path: Path) -> None:
    # run() leaves the other groups off the app (Typer reads every command's signature before
    # it runs one); root help, a group, an old top-level name and an old name inside a group
    # still work as processes.
    root = advocacy_process(sys.executable, "-m", "advocacy", "--help", cwd=tmp_path)
    assert "plans" in root.stdout and "metrics" in root.stdout
    group = advocacy_process(sys.executable, "-m", "advocacy", "gaps", "--help", cwd=tmp_path)
    assert group.returncode == 0 and "register" in group.stdout and "plans" not in group.stdout
    old = advocacy_process(sys.executable, "-m", "advocacy", "drivers", "--help", cwd=tmp_path)
    assert old.returncode == 0 and "Key drivers" in old.stdout
    probe = (
        "from advocacy.present.cli.app import app\n"
        "from advocacy.present.cli.main import run\n"
        "try:\n    run(['gaps', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(group.name for group in app.registered_groups), app.registered_commands)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "['gaps'] []"


def test_the_global_db_option_names_the_workspace_of_the_command(tmp_path: Path) -> None:
    # audit4 L2: "advocacy --db x.duckdb import ..." said "No such option: --db".
    data = tmp_path / "responses.csv"
    data.write_text("response_id,submitted_at,nps\nR1,2024-01-02,9\n", encoding="utf-8")
    first, second = str(tmp_path / "first.duckdb"), str(tmp_path / "second.duckdb")
    done = advocacy_cli("--db", first, "import", str(data), "--kind", "responses", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # It wins over ADVOCACY_DB, and the command's own --db wins over it.
    shown = advocacy_cli(
        "--db", first, "status", "--format", "json", cwd=tmp_path, env={"ADVOCACY_DB": second}
    )
    assert shown.returncode == 0, shown.stderr
    tables = {table["table"]: table["rows"] for table in json.loads(shown.stdout)["tables"]}
    assert (json.loads(shown.stdout)["url"], tables["responses"]) == (first, 1)
    refused = advocacy_cli("--db", first, "status", "--db", second, cwd=tmp_path)
    assert refused.returncode == 1
    assert "second.duckdb" in refused.stderr
    assert not (tmp_path / "second.duckdb").exists()
    assert not (tmp_path / "advocacy.duckdb").exists()


def test_commands_without_a_workspace_refuse_the_global_db(tmp_path: Path) -> None:
    # review11 item 4: "advocacy --db x.duckdb demo" built advocacy.duckdb in the demo folder,
    # and maturity took the option without a word.
    named = str(tmp_path / "x.duckdb")
    for command in (["demo", str(tmp_path / "demo")], ["maturity"]):
        refused = advocacy_cli("--db", named, *command, cwd=tmp_path)
        assert refused.returncode == 2, refused.stdout
        assert f"advocacy {command[0]} opens no workspace, so --db {named}" in refused.stderr
        assert "fix: drop --db" in refused.stderr
    assert list(tmp_path.iterdir()) == []  # no demo built, no workspace made
    helped = advocacy_cli("--help", cwd=tmp_path)
    assert "Commands that open no workspace (demo, maturity) refuse it." in " ".join(
        helped.stdout.split()
    )


SPARK_COMMANDS = (
    ["report"],
    ["metrics", "scores"],
    ["gaps", "drivers"],
    ["retention", "predict", "--horizon", "52"],
    ["text", "analyze"],
)


@pytest.mark.parametrize("command", SPARK_COMMANDS, ids=lambda command: " ".join(command[:2]))
def test_commands_on_spark_refuse_db(tmp_path: Path, command: list[str]) -> None:
    # With --engine spark these read --data, never a workspace: a --db (global or the
    # command's own) was taken and ignored. ADVOCACY_DB in the environment is a default, not a
    # request. (report refused it first; metrics, gaps drivers, retention and text did not.)
    named = str(tmp_path / "x.duckdb")
    data, out = str(tmp_path / "parquet"), str(tmp_path / "out")
    spark = [*command, "--engine", "spark", "--data", data]
    if command[0] in ("retention", "text"):
        spark += ["--out", out]
    name = " ".join(word for word in command if not word.startswith("-") and word != "52")
    for line in (["--db", named, *spark], [*spark, "--db", named]):
        refused = advocacy_cli(*line, cwd=tmp_path)
        assert refused.returncode == 2, refused.stdout
        assert (
            f"advocacy {name} --engine spark opens no workspace (it reads --data), so --db {named}"
            in " ".join(refused.stderr.split())
        )
        assert "fix: drop --db" in refused.stderr
    ambient = advocacy_cli(*spark, cwd=tmp_path, env={"ADVOCACY_DB": named})
    assert "opens no workspace" not in ambient.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written, no workspace
