"""``--engine spark`` from a virtual environment, as a user runs it: nothing says which Python
Spark's workers use.

PySpark's own default for its Python workers is the ``python3`` on ``PATH``; from a virtual
environment that is usually the system's, without pandas, and every step that runs Python on
the rows failed with "No module named 'pandas'" (the last session's CI, and any user with
``PYSPARK_PYTHON`` unset). Here ``PATH`` starts with a ``python3`` that has no site-packages
(this Python with ``-S``: no pandas, no PySpark), and the CLI's purchase scoring, a Python step
on Spark with no master named (Spark's default: local mode), must still score every customer.
Without Java or PySpark this skips locally and fails in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import advocacy
from support import require
from support.spark import missing_component

pytestmark = pytest.mark.spark


def _purchases(shared_data: Path, folder: Path) -> Path:
    """``transactions.parquet`` as ``advocacy export`` writes it, of the CDNOW sample's first
    400 customers."""
    cdnow = pd.read_csv(
        shared_data / "cdnow" / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["customer_id", "sample_id", "date", "quantity", "amount"],
        dtype={"customer_id": str, "date": str},
    )
    cdnow = cdnow[cdnow["sample_id"] <= 400]
    pd.DataFrame(
        {
            "transaction_id": [f"T{i}" for i in range(len(cdnow))],
            "customer_id": cdnow["customer_id"],
            "occurred_at": pd.to_datetime(cdnow["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d"),
            "amount": cdnow["amount"],
        }
    ).to_csv(folder / "purchases.csv", index=False)
    data = folder / "data"
    data.mkdir()
    with advocacy.open(str(folder / "w.duckdb")) as ws:
        ws.import_file(folder / "purchases.csv", kind="transactions")
        ws.export("transactions", out=data / "transactions.parquet", format="parquet")
    return data


def test_spark_workers_run_this_python_when_nothing_says_which(
    shared_data: Path, tmp_path: Path
) -> None:
    reason = missing_component()
    require(reason is None, f"Spark is not available: {reason}")
    data = _purchases(shared_data, tmp_path)
    shims = tmp_path / "bin"
    shims.mkdir()
    bare = shims / "python3"  # a Python without pandas, first on PATH
    bare.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n', encoding="utf-8")
    bare.chmod(0o755)
    unset = ("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "SPARK_HOME", "PYSPARK_SUBMIT_ARGS")
    env = {name: value for name, value in os.environ.items() if name not in unset}
    env["PATH"] = f"{shims}{os.pathsep}{env.get('PATH', '')}"
    env["SPARK_LOCAL_IP"] = "127.0.0.1"
    out = tmp_path / "out"
    command = [
        sys.executable, "-m", "advocacy", "retention", "predict", "--engine", "spark",
        "--horizon", "52", "--data", str(data), "--out", str(out), "--format", "json",
    ]  # fmt: skip
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "No module named" not in done.stderr
    scores = pd.read_parquet(out / "retention_scores.parquet")
    assert scores["customer_id"].nunique() == len(scores) == 400
    assert scores["probability_alive"].between(0, 1).all()
