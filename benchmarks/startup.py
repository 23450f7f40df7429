"""Start-up cost: `import advocacy`, `advocacy.open`, `advocacy --help`, and with `--db` the
common commands on a workspace (the demo's), each the way a user runs it.

Each row runs in a fresh interpreter, several times; the first table gives the median wall time,
the peak memory of the process, the number of modules it loaded, and the ratio to a bare
interpreter measured in the same run (machines are noisy, ratios less so). Goals (issue #18):
`import advocacy` under 0.3 s; the CLI's `--help` without pandas, SciPy, Ibis or the text
models. Goals (issue #19): `advocacy --help` under 0.5 s and common commands under 1.5 s on the
demo. The command table gives each command's median wall time and its median CPU time (user +
system: what the command itself costs, which other processes on a shared machine do not
inflate; the goals are read on it), with its peak memory; the load average is printed beside
it.

    .venv/bin/python -m advocacy demo /tmp/demo      # the demo workspace, once
    .venv/bin/python benchmarks/startup.py [--runs 7] [--db /tmp/demo/advocacy.duckdb]

With ``--before SRC`` (the ``src`` folder of another checkout, e.g. ``git archive`` of an older
commit) each command also runs from that code, alternating with this one run by run, so both
see the same load; the before/after table gives each side's median CPU and wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

#: What each row runs (the child prints its loaded-module count and heavy modules as JSON).
_PROBE = (
    "import json, sys, resource\n"
    "{code}\n"
    "heavy = sorted(m for m in ('pandas', 'scipy', 'ibis', 'sklearn', 'tokenizers', 'duckdb')"
    " if m in sys.modules)\n"
    "print(json.dumps({{'modules': len(sys.modules), 'heavy': heavy,"
    " 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))\n"
)
ROWS = {
    "bare interpreter (baseline)": "pass",
    "import advocacy": "import advocacy",
    "advocacy.open + Workspace (names only)": "import advocacy; advocacy.open; advocacy.Workspace",
    "advocacy --help": (
        "from advocacy.present.cli.main import run\n"
        "sys.argv = ['advocacy', '--help']\n"
        "try:\n    run()\nexcept SystemExit:\n    pass"
    ),
}


def measure(code: str, runs: int) -> tuple[float, dict[str, object]]:
    times, report = [], {}
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _PROBE.format(code=code)],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(time.perf_counter() - start)
        report = json.loads(done.stdout.strip().splitlines()[-1])
    return statistics.median(times), report


#: The commands a CX lead runs first on a workspace (issue #19: each under 1.5 s on the demo).
COMMANDS = [
    ["--help"],
    ["status"],
    ["metrics", "scores", "--by", "unit"],
    ["metrics", "scores", "--by", "unit", "--period", "quarter", "--compare", "previous"],
    ["gaps", "drivers"],
    ["gaps", "register"],
    ["advocates", "ladder"],
    ["advocates", "say-do", "--by", "unit"],
    ["cases", "list"],
    ["plans", "list"],
]


def run_command(
    arguments: list[str], db: str, source: str | None = None
) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak MB of one ``advocacy`` process (run
    from the package in ``source`` when given, else from the one this interpreter imports)."""
    extra = [] if arguments == ["--help"] else ["--db", db]
    environment = {**os.environ, "COLUMNS": "100"}
    if source is not None:
        environment["PYTHONPATH"] = source
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "advocacy", *arguments, *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=environment,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        assert child.stderr is not None
        raise SystemExit(f"advocacy {' '.join(arguments)} failed: {child.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def commands_table(db: str, runs: int) -> None:
    print(f"\ncommands on {db}, median of {runs} runs each; load average {_load()}\n")
    print("| command | wall s | CPU s | peak MB | goal |")
    print("|---|---|---|---|---|")
    for arguments in COMMANDS:
        samples = [run_command(arguments, db) for _ in range(runs)]
        wall = statistics.median(sample[0] for sample in samples)
        cpu = statistics.median(sample[1] for sample in samples)
        peak = max(sample[2] for sample in samples)
        goal = 0.5 if arguments == ["--help"] else 1.5
        verdict = f"< {goal} s CPU: " + ("met" if cpu < goal else "NOT met")
        print(
            f"| advocacy {' '.join(arguments)} | {wall:.2f} | {cpu:.2f} | {peak:.0f} | {verdict} |"
        )
    print(f"\nload average after: {_load()}")


def before_after_table(db: str, runs: int, before: str) -> None:
    """Each command from ``before`` and from this code, alternating run by run."""
    print(f"\nbefore ({before}) and after, on {db}, median of {runs} runs each, alternating;")
    print(f"load average {_load()}\n")
    print("| command | CPU s before | CPU s after | wall s before | wall s after | goal |")
    print("|---|---|---|---|---|---|")
    for arguments in COMMANDS:
        old, new = [], []
        for _ in range(runs):
            old.append(run_command(arguments, db, before))
            new.append(run_command(arguments, db))
        cpu = [statistics.median(sample[1] for sample in side) for side in (old, new)]
        wall = [statistics.median(sample[0] for sample in side) for side in (old, new)]
        goal = 0.5 if arguments == ["--help"] else 1.5
        verdict = f"< {goal} s CPU: " + ("met" if cpu[1] < goal else "NOT met")
        print(
            f"| advocacy {' '.join(arguments)} | {cpu[0]:.2f} | {cpu[1]:.2f} "
            f"| {wall[0]:.2f} | {wall[1]:.2f} | {verdict} |"
        )
    print(f"\nload average after: {_load()}")


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", help="Also time the common commands on this workspace.")
    parser.add_argument(
        "--before",
        metavar="SRC",
        help="With --db, also time the commands from the package in this src folder.",
    )
    options = parser.parse_args()
    runs = options.runs
    results = {name: measure(code, runs) for name, code in ROWS.items()}
    base = results["bare interpreter (baseline)"][0]
    print(f"median of {runs} fresh interpreters, Python {sys.version.split()[0]}\n")
    print("| what | wall s | x bare | modules | peak MB | heavy modules loaded |")
    print("|---|---|---|---|---|---|")
    for name, (seconds, report) in results.items():
        heavy = ", ".join(report["heavy"]) or "none"  # type: ignore[arg-type]
        print(
            f"| {name} | {seconds:.3f} | {seconds / base:.1f} | {report['modules']} "
            f"| {report['peak_mb']:.0f} | {heavy} |"
        )
    seconds = results["import advocacy"][0]
    verdict = "met" if seconds < 0.3 else "NOT met"
    print(f"\n`import advocacy` {seconds:.3f} s: goal < 0.3 s {verdict}")
    if options.db:
        commands_table(options.db, runs)
    if options.db and options.before:
        before_after_table(options.db, runs, options.before)


if __name__ == "__main__":
    main()
