"""Benchmark: import 1,000,000 responses whose submitted_at is written in each form people use.

Issue #16 item 1: every common form must read, vectorised. Each form's import is compared with
the same file written in ISO 8601 with an offset (the form of ``benchmarks/import.py``),
measured in the same run, so the ratios are what to compare across machines.

    .venv/bin/python benchmarks/dates.py [--rows 1000000] [--forms iso,twitter,...]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

import advocacy

START = np.datetime64("2024-01-01T00:00:00")
OFFSETS = np.array([-480, -300, 0, 60, 120, 330])  # minutes east of UTC


def _texts(
    seconds: np.ndarray, offsets: np.ndarray, write: Callable[[datetime, int], str]
) -> list[str]:
    moments = (START + seconds.astype("timedelta64[s]")).astype(datetime)
    return [write(moment, int(offset)) for moment, offset in zip(moments, offsets, strict=True)]


def _offset(minutes: int, colon: bool) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{rest:02d}"


FORMS: dict[str, Callable[[datetime, int], str]] = {
    "iso": lambda m, o: f"{m:%Y-%m-%dT%H:%M:%S}{_offset(o, True)}",
    "iso-naive": lambda m, o: f"{m:%Y-%m-%d %H:%M:%S}",
    "space-offset": lambda m, o: f"{m:%Y-%m-%d %H:%M:%S} {_offset(o, False)}",
    "rfc2822": lambda m, o: f"{m:%a, %d %b %Y %H:%M:%S} {_offset(o, False)}",
    "twitter": lambda m, o: f"{m:%a %b %d %H:%M:%S} {_offset(o, False)} {m:%Y}",
    "day-first": lambda m, o: f"{m:%d/%m/%Y %H:%M}",
    "month-name": lambda m, o: f"{m:%B} {m.day}, {m:%Y %I:%M %p}",
    "epoch": lambda m, o: str(int((m - datetime(1970, 1, 1)).total_seconds())),
}


def generate(path: Path, rows: int, form: str, seed: int = 1) -> None:
    """A responses CSV like benchmarks/import.py's, its submitted_at written in ``form``."""
    rng = np.random.default_rng(seed)
    seconds = rng.integers(0, 540 * 86400, rows)
    offsets = OFFSETS[rng.integers(0, len(OFFSETS), rows)]
    table = pa.table(
        {
            "response_id": [f"R{i:08d}" for i in range(rows)],
            "customer_id": [f"C{i:06d}" for i in rng.integers(0, 200_000, rows)],
            "submitted_at": _texts(seconds, offsets, FORMS[form]),
            "nps": rng.integers(0, 11, rows),
            "comment": np.array(["Quick and friendly", "Waited forty minutes", ""])[
                rng.integers(0, 3, rows)
            ],
        }
    )
    pa_csv.write_csv(table, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--forms", default=",".join(FORMS))
    args = parser.parse_args()
    forms = ["iso", *(form for form in args.forms.split(",") if form != "iso")]
    work = Path(tempfile.mkdtemp(prefix="advocacy-dates-"))
    try:
        timings: dict[str, float] = {}
        for form in forms:
            path = work / f"{form}.csv"
            generate(path, args.rows, form)
            began = time.perf_counter()
            with advocacy.open(str(work / f"{form}.duckdb")) as ws:
                result = ws.import_file(path, kind="responses", cases=False)
            timings[form] = time.perf_counter() - began
            assert (result.rows_loaded, result.rows_quarantined) == (args.rows, 0), form
            path.unlink()
        print(f"rows: {args.rows:,}")
        for form, seconds in timings.items():
            ratio = seconds / timings["iso"]
            print(f"{form:14s} {seconds:6.2f} s  ({ratio:.2f}x ISO 8601 with offset)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
