"""The same metric cases on local Spark over Parquet exports give DuckDB's numbers.

Spark starts once per test run (the shared ``spark_session``); without Java or PySpark these
tests skip locally and fail in CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from advocacy.metrics.engines import parquet_metrics
from metrics.data import CASES, same_rows, workspace_with_data


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    folder = tmp_path_factory.mktemp("parquet")
    ws = workspace_with_data(str(folder / "workspace.duckdb"))
    for table in ("responses", "customers", "employee_responses"):
        ws.export(table, out=folder / f"{table}.parquet", format="parquet")
    yield ws, folder
    ws.close()


@pytest.mark.parametrize("case", CASES, ids=lambda case: "-".join(case["metrics"]))
def test_spark_gives_duckdb_numbers(
    exported: tuple[Any, Path], spark_session: Any, case: dict[str, Any]
) -> None:
    ws, folder = exported
    options = {key: value for key, value in case.items() if key != "metrics"}
    expected = ws.metrics.scores(case["metrics"], **options)
    got = parquet_metrics(folder, case["metrics"], session=spark_session, **options)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(same_rows(got), same_rows(expected), check_exact=False, rtol=1e-9)
