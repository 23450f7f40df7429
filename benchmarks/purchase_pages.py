"""Benchmark: the CPU of the first view of ``/advocates`` and then of a customer page on CDNOW.

Both pages read the purchase models' predictions (BG/NBD and Gamma-Gamma fitted on every
purchase): ``/advocates`` for its slipping-away table, the customer page for the buyer's
standing. The workspace holds CDNOW's master file (23,570 buyers, 69,659 purchases, as Fader,
Hardie & Lee (2005) use it), imported once as transactions. Each run is a fresh process on a
fresh copy of that workspace: the app is created and started (its start-up warm-up is left out
of the figures), then ``/advocates`` and the page of the buyer with the most purchase days are
asked for in turn, and the process's CPU time (every thread: user + system) is read around each.

``--source NAME=DIR`` (repeatable) runs the package in ``DIR`` (another commit's ``src``, e.g.
from ``git archive``); the sources take turns ``--repeat`` times so they face the same machine.

Run: ``.venv/bin/python benchmarks/purchase_pages.py --source before=/tmp/before/src
--source after=src [--repeat 3] [--data ../shared/data]``
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
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from fastapi.testclient import TestClient
import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

url, customer = sys.argv[1], sys.argv[2]
with advocacy.open(url) as ws:
    token = create_token(ws.db, role="analyst", name="bench").secret
headers = {"Authorization": f"Bearer {token}"}
with TestClient(create_app(url), base_url="https://testserver") as client:
    time.sleep(2.0)  # let the start-up warm-up finish: it is not what is measured
    start = cpu()
    advocates = client.get("/advocates", headers=headers)
    middle = cpu()
    page = client.get(f"/customers/{customer}", headers=headers)
    end = cpu()
assert advocates.status_code == 200 and page.status_code == 200
assert "Will they buy again?" in page.text and "Slipping away" in advocates.text
print(json.dumps({"advocates": middle - start, "customer": end - middle}))
"""


def build(data: Path, folder: Path) -> tuple[Path, str]:
    """CDNOW's master file imported as transactions; and the buyer with most purchase days."""
    import pandas as pd

    import advocacy

    master = data / "cdnow" / "CDNOW_master.txt"
    frame = pd.read_csv(master, sep=r"\s+", dtype={"customer_id": str, "date": str})
    customer = str(frame.groupby("customer_id")["date"].nunique().idxmax())
    url = folder / "cdnow.duckdb"
    with advocacy.open(str(url)) as ws:
        ws.import_file(master, kind="transactions")
    return url, customer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", action="append", required=True, metavar="NAME=DIR")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=REPOSITORY.parent / "shared" / "data")
    arguments = parser.parse_args()
    sources = dict(item.split("=", 1) for item in arguments.source)
    with tempfile.TemporaryDirectory(prefix="purchase-pages-") as scratch:
        folder = Path(scratch)
        url, customer = build(arguments.data, folder)
        results: dict[str, list[dict[str, float]]] = {name: [] for name in sources}
        for run in range(arguments.repeat):
            for name, source in sources.items():
                copy = folder / f"run-{run}-{name}.duckdb"
                shutil.copy(url, copy)
                environment = {**os.environ, "PYTHONPATH": str(Path(source).resolve())}
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(copy), customer],
                    capture_output=True,
                    text=True,
                    env=environment,
                    check=True,
                )
                results[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
                copy.unlink()
                print(name, run, results[name][-1], flush=True)
    print("\n| source | /advocates CPU s (median, runs) | then customer page CPU s |")
    print("|---|---|---|")
    for name, runs in results.items():
        first = [run["advocates"] for run in runs]
        then = [run["customer"] for run in runs]
        print(
            f"| {name} | {statistics.median(first):.2f} ({', '.join(f'{v:.2f}' for v in first)})"
            f" | {statistics.median(then):.2f} ({', '.join(f'{v:.2f}' for v in then)}) |"
        )
    print(f"\nload average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
