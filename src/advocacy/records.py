"""Frames and values as plain records: what JSON, templates and chart specs can hold.

Analyses return pandas frames and numpy scalars; the API, the pages, the chart specs and the
CLI's JSON output want Python values. :func:`plain` turns one value (recursively through
mappings, lists and tuples) into one: dates and times as ISO text, numpy scalars as Python
numbers, and every kind of missing (None, NaN, NaT, NA) as None. :func:`frame_records` does the
same for every cell of a frame, row by row.

NumPy and pandas are imported when first needed, so the CLI can import this module at start.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def plain(value: Any) -> Any:
    """``value`` with dates as ISO text, missing values as None and numpy scalars as Python ones.

    Mappings (their keys become text), lists and tuples are converted item by item.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> plain({"n": np.int64(3), "at": pd.Timestamp("2024-05-01"), "score": float("nan")})
    {'n': 3, 'at': '2024-05-01T00:00:00', 'score': None}
    """
    # A value can only be a NumPy or pandas object once those are loaded, so rows read with
    # plain SQL (cases, plans) are converted without importing them (~0.3 s).
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    if value is None or (pd is not None and (value is pd.NaT or value is pd.NA)):
        return None
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple) or (np is not None and isinstance(value, np.ndarray)):
        return [plain(item) for item in value]  # DuckDB gives list cells as arrays
    if np is not None and isinstance(value, np.datetime64):
        import pandas

        stamp: Any = pandas.Timestamp(value)  # NaT for a missing datetime64
        return None if stamp is pandas.NaT else stamp.isoformat()
    if isinstance(value, dt.date | dt.time):  # datetimes and pandas' Timestamp included
        return value.isoformat()
    if np is not None and isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def frame_records(
    frame: pd.DataFrame, columns: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of :func:`plain` values, keyed by column name as text.

    ``columns`` keeps those of them the frame has, in that order (all columns when omitted).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame_records(pd.DataFrame({"unit": ["North", None], "nps": [12.5, np.nan]}))
    [{'unit': 'North', 'nps': 12.5}, {'unit': None, 'nps': None}]
    """
    if columns is not None:
        frame = frame[[column for column in columns if column in frame.columns]]
    names = [str(column) for column in frame.columns]
    return [
        {name: plain(value) for name, value in zip(names, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


__all__ = ["frame_records", "plain"]
