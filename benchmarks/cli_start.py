"""End to end through the real CLI: what a user's `advocacy text analyze` pays (issue #17).

``benchmarks/text_analyze.py`` times ``ws.text.analyze()`` in a warm process; a user runs the
console script, a fresh interpreter that imports the CLI, opens the workspace and loads the
models before it reads a word. Here each run is two fresh processes on a fresh copy of a DuckDB
workspace, as a user types them:

    advocacy text analyze --db WS
    advocacy text assign-themes --taxonomy TAXONOMY --db WS

then ``advocacy text analyze --db WS`` once more, with nothing new (the calibration kept, no
document stale: what a re-run costs when nothing changed; shown apart, not in the totals);
and, alternated with those, the one command that does both (code ``this, one command``):

    advocacy text analyze --taxonomy TAXONOMY --db WS

then the same re-run with nothing new (the remembered taxonomy is not assigned again),

on two workspaces built once from the same Blitzer reviews cut to 60 words (text_analyze.py's
``reviews``), each comment with an NPS drawn in the band its stars imply (text_analyze.py's
"NPS from the stars"): ``--documents`` of them (default 3,000) and 20 (the fixed cost: what
the same commands pay for almost no text). Each command's CPU is the process's and its worker
processes' (user + system, from ``wait4``), its wall time beside; the machine is shared, so CPU
is what compares, and the load average is printed. Documents per second end to end are the
large workspace's documents over the two commands' wall (and CPU) seconds; the marginal rate
leaves out the fixed cost (large minus small).

With ``--before SRC`` (the ``src`` folder of a ``git archive`` of another commit) every run of
the two commands, and of the one command, is repeated from that code, alternating run by run,
so every side sees the same load; the table gives each side's median. ``--no-one-command``
leaves the one command out (code that has no ``--taxonomy`` on ``text analyze``).

    .venv/bin/python benchmarks/cli_start.py [--documents 3000] [--runs 3] [--before SRC]
        [--data ../shared/data] [--workers 0] [--no-one-command]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import text_analyze
import text_corpora as corpora

import advocacy

#: The two commands of a first run, as a user types them (``{taxonomy}`` filled in).
COMMANDS = (("text", "analyze"), ("text", "assign-themes", "--taxonomy", "{taxonomy}"))
#: The one command that does what :data:`COMMANDS` do.
ONE_COMMAND = (("text", "analyze", "--taxonomy", "{taxonomy}"),)
#: The code label of the one command's runs, after the side's.
ONE = ", one command"
#: Then once more, with nothing new (not in the first run's totals).
AGAIN = ("text", "analyze")
#: The small workspace's size: what the commands cost with almost nothing to read.
FIXED_DOCUMENTS = 20


@dataclass(frozen=True)
class Usage:
    """One command's wall seconds and CPU seconds (user + system, process and workers)."""

    wall: float
    cpu: float


def build(path: Path, texts: list[str], scores: list[int]) -> None:
    """A DuckDB workspace at ``path`` holding the survey responses, nothing analysed."""
    ws = advocacy.open(f"duckdb:///{path}", create=True)
    records = [
        {"response_id": f"r{i}", "comment": text, "nps": score}
        for i, (text, score) in enumerate(zip(texts, scores, strict=True))
    ]
    text_analyze.write_in_requests(ws, records)
    ws.close()


def build_with(source: str | None, path: Path, texts: list[str], scores: list[int]) -> None:
    """:func:`build` by the package in ``source`` (another commit's ``src``: its own schema
    version, which a newer package's workspace would refuse) or, when None, by this one."""
    if source is None:
        build(path, texts, scores)
        return
    rows = path.with_suffix(".json")
    rows.write_text(json.dumps({"texts": texts, "scores": scores}), encoding="utf-8")
    script = (
        "import json, sys; from pathlib import Path; import cli_start; "
        "rows = json.loads(Path(sys.argv[2]).read_text(encoding='utf-8')); "
        "cli_start.build(Path(sys.argv[1]), rows['texts'], rows['scores'])"
    )
    here = str(Path(__file__).resolve().parent)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([source, here])}
    subprocess.run(
        [sys.executable, "-c", script, str(path), str(rows)], check=True, env=environment
    )


def command(arguments: list[str], db: Path, source: str | None, workers: int) -> Usage:
    """Run ``advocacy ARGUMENTS --db DB`` in a fresh interpreter (from the package in
    ``source`` when given, else this interpreter's) with ``workers`` as its ``text_workers``
    setting; fail loudly if the command fails."""
    environment = {**os.environ, "COLUMNS": "100", "ADVOCACY_TEXT_WORKERS": str(workers)}
    if source is not None:
        environment["PYTHONPATH"] = source
    start = os.times().elapsed
    child = subprocess.Popen(
        [sys.executable, "-m", "advocacy", *arguments, "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = os.times().elapsed - start
    if os.waitstatus_to_exitcode(status) != 0:
        assert child.stderr is not None
        raise SystemExit(f"advocacy {' '.join(arguments)} failed: {child.stderr.read().decode()}")
    return Usage(wall, usage.ru_utime + usage.ru_stime)


def first_run(
    pristine: Path,
    taxonomy: Path,
    source: str | None,
    workers: int,
    commands: tuple[tuple[str, ...], ...] = COMMANDS,
) -> list[Usage]:
    """The ``commands`` of a first run, each in a fresh process, on a fresh copy of
    ``pristine``, then :data:`AGAIN` on that copy."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / pristine.name
        shutil.copyfile(pristine, db)
        return [
            command([part.format(taxonomy=taxonomy) for part in line], db, source, workers)
            for line in (*commands, AGAIN)
        ]


def commands_of(side: str) -> tuple[tuple[str, ...], ...]:
    """The commands a side's label says it ran."""
    return ONE_COMMAND if side.endswith(ONE) else COMMANDS


def _median(runs: list[list[Usage]], index: int) -> Usage:
    return Usage(
        statistics.median(run[index].wall for run in runs),
        statistics.median(run[index].cpu for run in runs),
    )


def _total(runs: list[list[Usage]], count: int = len(COMMANDS)) -> Usage:
    """The first run's ``count`` commands together (not :data:`AGAIN`)."""
    return Usage(
        statistics.median(sum(u.wall for u in run[:count]) for run in runs),
        statistics.median(sum(u.cpu for u in run[:count]) for run in runs),
    )


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def table(
    results: dict[tuple[str, int], list[list[Usage]]], documents: int, sides: list[str]
) -> list[str]:
    """The report's lines: per side and workspace, each command, the two together and the
    re-run with nothing new; then documents/s end to end and the marginal rate (of the two, or
    of the one command on a side labelled ``..., one command``)."""
    lines = [
        "| code | documents | step | wall s | CPU s |",
        "|---|---:|---|---:|---:|",
    ]
    for side in sides:
        commands = commands_of(side)
        for size in (FIXED_DOCUMENTS, documents):
            runs = results[side, size]
            for index, line in enumerate(commands):
                usage = _median(runs, index)
                step = (
                    f"`advocacy {' '.join(line[:2])}{' --taxonomy' if side.endswith(ONE) else ''}`"
                )
                lines.append(f"| {side} | {size:,} | {step} | {usage.wall:.2f} | {usage.cpu:.2f} |")
            if len(commands) > 1:
                usage = _total(runs, len(commands))
                lines.append(f"| {side} | {size:,} | both | {usage.wall:.2f} | {usage.cpu:.2f} |")
            if all(len(run) > len(commands) for run in runs):
                usage = _median(runs, len(commands))
                step = f"`advocacy {' '.join(AGAIN)}` again, nothing new"
                lines.append(f"| {side} | {size:,} | {step} | {usage.wall:.2f} | {usage.cpu:.2f} |")
    lines += [
        "",
        "| code | documents/s end to end (wall) | documents/CPU s end to end "
        "| fixed CPU s (20 documents) | marginal documents/CPU s |",
        "|---|---:|---:|---:|---:|",
    ]
    for side in sides:
        count = len(commands_of(side))
        large = _total(results[side, documents], count)
        small = _total(results[side, FIXED_DOCUMENTS], count)
        marginal = (documents - FIXED_DOCUMENTS) / max(large.cpu - small.cpu, 1e-9)
        lines.append(
            f"| {side} | {documents / large.wall:,.0f} | {documents / large.cpu:,.0f} "
            f"| {small.cpu:.2f} | {marginal:,.0f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=corpora.DATA)
    parser.add_argument("--workers", type=int, default=0, help="text_workers (0: the cores)")
    parser.add_argument(
        "--before", metavar="SRC", help="also run from the package in this src folder"
    )
    parser.add_argument(
        "--no-one-command",
        dest="one_command",
        action="store_false",
        help="leave out text analyze --taxonomy (code without it)",
    )
    options = parser.parse_args()
    texts, stars = text_analyze.reviews(options.data, options.documents)
    rng = np.random.default_rng(0)
    scores = [int(rng.integers(*text_analyze.STAR_NPS[s])) for s in stars]
    sides: list[tuple[str, str | None]] = [("this", None)]
    if options.one_command:
        sides.append((f"this{ONE}", None))
    if options.before:
        sides[:0] = [("before", options.before)]
        if options.one_command:  # the one command from the other code too, to compare with
            sides[1:1] = [(f"before{ONE}", options.before)]
    results: dict[tuple[str, int], list[list[Usage]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        taxonomy = Path(folder) / "taxonomy.yaml"
        taxonomy.write_text(text_analyze.TAXONOMY, encoding="utf-8")
        workspaces: dict[tuple[str | None, int], Path] = {}
        for source in {source for _, source in sides}:
            for size in (FIXED_DOCUMENTS, options.documents):
                path = Path(folder) / f"w{len(workspaces)}" / f"w{size}.duckdb"
                path.parent.mkdir(exist_ok=True)
                build_with(source, path, texts[:size], scores[:size])
                workspaces[source, size] = path
        print(f"Blitzer reviews cut to {text_analyze.WORDS} words, NPS from the stars")
        print(f"load average at the start {_load()} ({os.cpu_count()} cores)")
        print(f"text_workers = {options.workers}; median of {options.runs} runs, alternated\n")
        for _ in range(options.runs):
            for size in (FIXED_DOCUMENTS, options.documents):
                for side, source in sides:
                    pristine = workspaces[source, size]
                    results.setdefault((side, size), []).append(
                        first_run(pristine, taxonomy, source, options.workers, commands_of(side))
                    )
    print("\n".join(table(results, options.documents, [side for side, _ in sides])))
    print(f"\nload average at the end {_load()}")


if __name__ == "__main__":
    main()
