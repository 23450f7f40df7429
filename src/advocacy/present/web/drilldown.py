"""From a number to what is behind it: links from chart points to their answers, and the
explorer's CSV download."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi.responses import Response

from advocacy.namespaces.metrics import period_end
from advocacy.present.web.filters import URL_DIMENSIONS, Filters

#: Answers listed per page of the drill-down.
ANSWERS_PER_PAGE = 50  # paged on the server: sorting in the browser sorts this page


def period_links(
    frame: pd.DataFrame,
    filters: Filters,
    by: str,
    period: str,
    metric: str,
    *,
    slices: Sequence[str] = (),
) -> list[str]:
    """Per row of a trend, the answers page for its period and slice under ``filters``.

    ``by`` (one dimension) or ``slices`` (several) name the row's slice columns.
    """
    links = []
    dimensions = [name for name in ([by] if by else list(slices)) if name]
    for row in frame.to_dict("records"):
        start = row["period"]
        start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start)[:10])
        narrowed = filters.between(start, period_end(start, period) - dt.timedelta(days=1))
        for name in dimensions:
            if name in URL_DIMENSIONS and name in row:
                narrowed = narrowed.narrowed(name, str(row[name]))
        links.append(narrowed.link("/answers", metric=metric if metric != "enps" else None))
    return links


def csv_response(records: Sequence[Mapping[str, Any]], name: str) -> Response:
    """``records`` as a CSV download, formulas neutralised as every export does."""
    from advocacy.exports import ExportFormat, records_table, write_table

    table = records_table(list(records), nested_as_text=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.csv"
        write_table(table, path, ExportFormat.csv)
        content = path.read_bytes()
    return Response(
        content,
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
