"""Benchmark: import a 1,000,000-row responses CSV without ids, against the same file with ids.

Rows without ids get keys derived from everything they hold (every column, by name) plus their
occurrence number. Goal: that costs at most 1.25x the import of the same rows with ids, measured
in the same run, and re-importing the file finds every row unchanged.

    .venv/bin/python benchmarks/derived_keys.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import tempfile
import time
from pathlib import Path
from types import ModuleType

import pyarrow.csv as pa_csv

import advocacy
from advocacy.importer import ImportResult

GOAL = 1.25


def _import_benchmark() -> ModuleType:
    """benchmarks/import.py, whose generator writes the same responses file."""
    spec = importlib.util.spec_from_file_location(
        "import_benchmark", Path(__file__).with_name("import.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _timed_import(database: Path, path: Path) -> tuple[float, ImportResult]:
    began = time.perf_counter()
    with advocacy.open(str(database)) as ws:
        result: ImportResult = ws.import_file(path, kind="responses", cases=False)
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="advocacy-keys-bench-"))
    try:
        with_ids = work / "with_ids.csv"
        _import_benchmark().generate(with_ids, args.rows)
        without_ids = work / "without_ids.csv"
        pa_csv.write_csv(pa_csv.read_csv(with_ids).drop_columns(["response_id"]), without_ids)

        baseline, result = _timed_import(work / "ids.duckdb", with_ids)
        assert result.rows_loaded == args.rows
        derived, result = _timed_import(work / "derived.duckdb", without_ids)
        assert result.rows_loaded == args.rows, "rows without ids were merged"
        again, result = _timed_import(work / "derived.duckdb", without_ids)
        assert result.rows_unchanged == args.rows and result.rows_loaded == 0

        ratio = derived / baseline
        print(f"rows: {args.rows:,}")
        print(f"import with ids:               {baseline:6.2f} s")
        print(f"import without ids (derived):  {derived:6.2f} s  ({ratio:.2f}x with ids)")
        print(f"re-import without ids (no-op): {again:6.2f} s")
        print(f"goal: at most {GOAL}x the import with ids: {'met' if ratio <= GOAL else 'NOT met'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
