"""Start-up cost: `import advocacy`, `import advocacy; advocacy.open` and `advocacy --help`.

Each command runs in a fresh interpreter, several times; the table gives the median wall time,
the peak memory of the process, the number of modules it loaded, and the ratio to a bare
interpreter measured in the same run (machines are noisy, ratios less so). Goals (issue #18):
`import advocacy` under 0.3 s; the CLI's `--help` without pandas, SciPy, Ibis or the text models.

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
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


if __name__ == "__main__":
    main()
