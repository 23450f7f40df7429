"""``benchmarks/cli_start.py`` runs the real commands on a copy and reports what it measured.

Each run must start from the same unanalysed workspace (a first run, as the docs quote it), a
failing command must stop the benchmark rather than be timed, and the end-to-end rates must be
the documents over the two commands' seconds (the re-run with nothing new shown apart).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

import pytest

from support.benchmark_modules import load_benchmark


@pytest.fixture(scope="module")
def cli_start() -> ModuleType:
    return load_benchmark("cli_start")


def test_a_first_run_leaves_the_built_workspace_as_it_was(
    cli_start: ModuleType, shared_data: Path, tmp_path: Path
) -> None:
    texts, stars = cli_start.text_analyze.reviews(shared_data, 20)
    pristine = tmp_path / "w20.duckdb"
    cli_start.build(pristine, texts, [9 if s > 3 else 2 for s in stars])
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(cli_start.text_analyze.TAXONOMY, encoding="utf-8")
    before = hashlib.sha256(pristine.read_bytes()).hexdigest()
    usages = cli_start.first_run(pristine, taxonomy, None, 1)
    assert len(usages) == 3 and all(u.cpu > 0 and u.wall > 0 for u in usages)
    assert hashlib.sha256(pristine.read_bytes()).hexdigest() == before
    with pytest.raises(SystemExit, match="assign-themes"):
        cli_start.first_run(pristine, tmp_path / "missing.yaml", None, 1)


def test_the_rates_are_the_documents_over_both_commands(cli_start: ModuleType) -> None:
    usage = cli_start.Usage
    small = [[usage(wall=2.0, cpu=1.0), usage(wall=1.0, cpu=0.5), usage(wall=0.9, cpu=0.8)]]
    large = [[usage(wall=6.0, cpu=4.0), usage(wall=4.0, cpu=1.5), usage(wall=1.1, cpu=0.9)]]
    lines = cli_start.table({("this", 20): small, ("this", 1020): large}, 1020, ["this"])
    # 1,020 documents over 10 wall s and 5.5 CPU s; the marginal 1,000 over 5.5 - 1.5 CPU s.
    assert lines[-1] == "| this | 102 | 185 | 1.50 | 250 |"
    assert "| this | 1,020 | both | 10.00 | 5.50 |" in lines
    # The re-run with nothing new is shown apart, not in the first run's totals.
    assert "| this | 1,020 | `advocacy text analyze` again, nothing new | 1.10 | 0.90 |" in lines


def test_the_one_command_is_timed_alone_and_rated_on_its_own_seconds(
    cli_start: ModuleType, shared_data: Path, tmp_path: Path
) -> None:
    texts, stars = cli_start.text_analyze.reviews(shared_data, 20)
    pristine = tmp_path / "w20.duckdb"
    cli_start.build(pristine, texts, [9 if s > 3 else 2 for s in stars])
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(cli_start.text_analyze.TAXONOMY, encoding="utf-8")
    one = cli_start.commands_of("this" + cli_start.ONE)
    assert one == (("text", "analyze", "--taxonomy", "{taxonomy}"),)
    usages = cli_start.first_run(pristine, taxonomy, None, 1, one)
    assert len(usages) == 2 and all(u.cpu > 0 and u.wall > 0 for u in usages)
    with pytest.raises(SystemExit, match="analyze --taxonomy"):
        cli_start.first_run(pristine, tmp_path / "missing.yaml", None, 1, one)
    usage = cli_start.Usage
    side = "this" + cli_start.ONE
    small = [[usage(wall=2.0, cpu=1.5), usage(wall=0.9, cpu=0.8)]]
    large = [[usage(wall=8.0, cpu=5.5), usage(wall=1.1, cpu=0.9)]]
    lines = cli_start.table({(side, 20): small, (side, 1020): large}, 1020, [side])
    # 1,020 documents over the one command's 8 wall s and 5.5 CPU s; no "both" row.
    assert lines[-1] == f"| {side} | 128 | 185 | 1.50 | 250 |"
    assert f"| {side} | 1,020 | `advocacy text analyze --taxonomy` | 8.00 | 5.50 |" in lines
    assert not any("| both |" in line for line in lines)


def test_another_commits_workspace_is_built_by_that_commits_package(
    cli_start: ModuleType, shared_data: Path, tmp_path: Path
) -> None:
    """``--before SRC`` times code whose schema may be older than this one's: its workspace is
    built by the package in SRC (a fresh process), holding the same responses."""
    import advocacy

    texts, stars = cli_start.text_analyze.reviews(shared_data, 5)
    scores = [9 if s > 3 else 2 for s in stars]
    source = Path(__file__).resolve().parents[2] / "src"
    built = tmp_path / "before" / "w5.duckdb"
    built.parent.mkdir()
    cli_start.build_with(str(source), built, texts, scores)
    ws = advocacy.open(f"duckdb:///{built}")
    try:
        rows = ws.db.fetchall("SELECT response_id, comment, nps FROM responses ORDER BY 1")
    finally:
        ws.close()
    assert rows == sorted(
        (f"r{i}", text, score) for i, (text, score) in enumerate(zip(texts, scores, strict=True))
    )


def test_a_workspace_past_one_requests_records_is_built_whole(
    cli_start: ModuleType, tmp_path: Path
) -> None:
    """A request holds at most 10,000 records: a larger workspace is written in several."""
    import advocacy

    count = cli_start.text_analyze.BATCH + 1
    built = tmp_path / "large.duckdb"
    cli_start.build(built, [f"review {i}" for i in range(count)], [7] * count)
    ws = advocacy.open(f"duckdb:///{built}")
    try:
        assert ws.db.fetchone("SELECT count(*) FROM responses") == (count,)
    finally:
        ws.close()
