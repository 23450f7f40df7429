"""Small, seeded data sets for the metric tests, loaded into a workspace through SQL.

Rows go in with ``Database.load_temporary`` and ``INSERT ... SELECT`` (the canonical columns
only), so these tests exercise the metrics, not the importer.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

_TYPES = {
    "response_id": "TEXT",
    "customer_id": "TEXT",
    "survey": "TEXT",
    "submitted_at": "TIMESTAMPTZ",
    "channel": "TEXT",
    "touchpoint": "TEXT",
    "journey_stage": "TEXT",
    "unit": "TEXT",
    "nps": "BIGINT",
    "csat": "DOUBLE PRECISION",
    "csat_scale_min": "BIGINT",
    "csat_scale_max": "BIGINT",
    "ces": "DOUBLE PRECISION",
    "ces_scale_min": "BIGINT",
    "ces_scale_max": "BIGINT",
    "weight": "DOUBLE PRECISION",
    "segment": "TEXT",
    "region": "TEXT",
    "value_tier": "TEXT",
    "attrs": "TEXT",
    "employee_response_id": "TEXT",
    "enps": "BIGINT",
}


def insert(ws: Any, table: str, frame: pd.DataFrame) -> None:
    """Insert ``frame``'s columns into ``table`` of workspace ``ws``."""
    data = pa.Table.from_pandas(frame, preserve_index=False)
    columns = list(frame.columns)
    ws.db.load_temporary("metric_rows", data, {name: _TYPES[name] for name in columns})
    selected = ", ".join(
        f'CAST("{name}" AS JSON)' if name == "attrs" else f'"{name}"' for name in columns
    )
    names = ", ".join(f'"{name}"' for name in columns)
    ws.db.execute(f'INSERT INTO {table} ({names}) SELECT {selected} FROM "metric_rows"')
    ws.db.execute('DROP TABLE "metric_rows"')


def responses(size: int = 1200, *, seed: int = 7) -> pd.DataFrame:
    """Responses over six months of 2024 in three units, with NPS, CSAT (1-5), CES (1-7)."""
    rng = np.random.default_rng(seed)
    units = rng.choice(["North", "South", "East"], size, p=[0.5, 0.3, 0.2])
    # South gets better over time, so comparisons have something real to find.
    hours = rng.integers(0, 182 * 24, size)
    lift = np.where(units == "South", hours / (182 * 24) * 4, 0).round().astype(int)
    nps = np.clip(rng.integers(0, 11, size) + lift, 0, 10)
    frame = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(size)],
            "customer_id": [f"c{i % 40}" for i in range(size)],
            "submitted_at": pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(hours, "h"),
            "unit": units,
            "channel": rng.choice(["email", "web", None], size),
            "nps": pd.array(np.where(rng.random(size) < 0.05, None, nps), dtype="Int64"),
            "csat": rng.integers(1, 6, size).astype(float),
            "ces": rng.integers(1, 8, size).astype(float),
            "weight": rng.uniform(0.5, 2.0, size).round(3),
        }
    )
    return frame


def customers(count: int = 40) -> pd.DataFrame:
    """Customers ``c0``..``c{count-1}`` with a segment, region and a JSON ``plan`` attribute."""
    ids = [f"c{i}" for i in range(count)]
    return pd.DataFrame(
        {
            "customer_id": ids,
            "segment": ["smb" if i % 3 else "enterprise" for i in range(count)],
            "region": ["emea" if i % 2 else "amer" for i in range(count)],
            "attrs": [
                json.dumps({"plan": "pro" if i % 4 == 0 else "basic", "seats": i % 3})
                for i in range(count)
            ],
        }
    )


def employee_responses(size: int = 300, *, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "employee_response_id": [f"e{i}" for i in range(size)],
            "unit": rng.choice(["North", "South"], size),
            "submitted_at": pd.Timestamp("2024-01-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 90 * 24, size), "h"),
            "enps": rng.integers(0, 11, size),
        }
    )


#: Metric requests run on every engine; each must give the same rows everywhere.
CASES: list[dict[str, Any]] = [
    {"metrics": ["nps", "csat", "ces"], "by": ["unit"], "period": "month", "compare": "previous"},
    {"metrics": ["nps", "top-box"], "by": ["segment", "attrs.plan"], "compare": "rest"},
    {"metrics": ["nps", "csat-mean"], "period": "week", "rolling": 4, "weighted": True},
    {"metrics": ["enps"], "by": ["unit"], "since": "2024-02-01", "until": "2024-03-15"},
]


def same_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with plain Python values, to compare results across engines."""
    return frame.astype(object).where(frame.notna(), None).reset_index(drop=True)


def workspace_with_data(url: str) -> Any:
    """A workspace at ``url`` holding :func:`responses`, :func:`customers` and employee answers."""
    import advocacy

    ws = advocacy.open(url)
    insert(ws, "responses", responses())
    insert(ws, "customers", customers())
    insert(ws, "employee_responses", employee_responses())
    return ws
