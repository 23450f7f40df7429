"""Benchmark: a 1,000,000-row CSV with 10% broken records, against the same file clean.

Goal (issue 16, per-record recovery): a clean file keeps pyarrow's speed (recovery costs it one
byte scan), and a file where one record in ten cannot be split into the header's columns still
imports, quarantining those records, in under 1.2x the time of the clean file's import. Both
files are read (``read_file``) and imported into fresh workspaces in the same run.

    .venv/bin/python benchmarks/broken_records.py [--rows 1000000] [--every 10]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pa_csv

import advocacy
from advocacy.ingest.readers import read_file


def _import_benchmark() -> object:
    """benchmarks/import.py, whose generator writes the file (its name is a keyword)."""
    spec = importlib.util.spec_from_file_location(
        "import_benchmark", Path(__file__).with_name("import.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def break_records(clean: Path, broken: Path, every: int) -> int:
    """Copy ``clean`` to ``broken``, cutting the last cell off every ``every``-th record."""
    count = 0
    with clean.open("rb") as source, broken.open("wb") as target:
        target.write(source.readline())
        for number, line in enumerate(source):
            if number % every == every - 1:
                line = line.rstrip(b"\n").rsplit(b",", 1)[0] + b"\n"
                count += 1
            target.write(line)
    return count


def _timed(action: object) -> tuple[float, object]:
    began = time.perf_counter()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--every", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="advocacy-broken-"))
    try:
        clean = work / "clean.csv"
        broken = work / "broken.csv"
        _import_benchmark().generate(clean, args.rows)  # type: ignore[attr-defined]
        cut = break_records(clean, broken, args.every)
        bare, _ = _timed(lambda: pa_csv.read_csv(clean))
        read_clean, raw_clean = _timed(lambda: read_file(clean))
        read_broken, raw_broken = _timed(lambda: read_file(broken))
        assert len(raw_broken.broken) == cut, len(raw_broken.broken)  # type: ignore[attr-defined]
        assert raw_clean.rows.num_rows == args.rows  # type: ignore[attr-defined]
        with advocacy.open(str(work / "clean.duckdb")) as ws:
            import_clean, result_clean = _timed(
                lambda: ws.import_file(clean, kind="responses", cases=False)
            )
        with advocacy.open(str(work / "broken.duckdb")) as ws:
            import_broken, result = _timed(
                lambda: ws.import_file(broken, kind="responses", cases=False)
            )
        assert result.rows_quarantined == cut, result.summary()  # type: ignore[attr-defined]
        assert result.rows_loaded == args.rows - cut  # type: ignore[attr-defined]
        assert result_clean.rows_loaded == args.rows  # type: ignore[attr-defined]
        print(f"rows: {args.rows:,}; broken records: {cut:,} (one in {args.every})")
        print(f"pyarrow read_csv, clean file:      {bare:6.2f} s")
        print(f"read_file, clean file:             {read_clean:6.2f} s")
        print(f"read_file, broken records:         {read_broken:6.2f} s")
        print(f"import, clean file:                {import_clean:6.2f} s")
        ratio = import_broken / import_clean
        print(f"import, broken records:            {import_broken:6.2f} s  ({ratio:.2f}x clean)")
        print(f"goal: under 1.2x the clean import: {'met' if ratio < 1.2 else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
