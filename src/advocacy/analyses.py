"""The analyses users can export: a name, the workspace method that computes it, and its options.

``advocacy export analysis NAME``, the web app's download links and ``ws.export_analysis`` all
read :data:`ANALYSES`, so an analysis registered here is exportable everywhere at once as CSV,
Parquet or XLSX (one sheet per analysis). Each entry names a workspace method by its dotted path
from the workspace (``"gaps.drivers"`` is ``ws.gaps.drivers``) returning a pandas DataFrame or a
typed result holding one, and the keyword arguments to call it with:

>>> register(Analysis("ipa", "gaps.ipa", "importance-performance quadrants"))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from advocacy.errors import AdvocacyError, UsageError
from advocacy.exports import ExportFormat, cell_text, format_for, write_table, write_xlsx

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

ALL_METRICS = ("nps", "csat", "top-box", "ces", "enps")


@dataclass(frozen=True)
class Analysis:
    """An exportable analysis: ``ws.<method>(**options)`` returns its DataFrame.

    ``method`` is a dotted path from the workspace (``"advocates.ladder"``).
    """

    name: str
    method: str
    help: str
    options: Mapping[str, Any] = field(default_factory=dict)
    part: str | None = None  # the result's attribute holding the frame, for typed results

    def frame(self, ws: Workspace) -> pd.DataFrame:
        """Run the analysis on ``ws``.

        Key drivers explain the workspace's own outcome unless told (NPS, else CSAT, else CES,
        as the CLI and the web's Gaps page choose it), and their rows carry an ``outcome``
        column naming it: a CSAT-only client's download never reads as drivers of NPS.
        """
        options = dict(self.options)
        if self.method == "gaps.drivers":
            options.setdefault("outcome", None)
        result = attrgetter(self.method)(ws)(**options)
        if self.part is not None:
            result = getattr(result, self.part)
        if not isinstance(result, pd.DataFrame):
            raise TypeError(f"ws.{self.method} returned {type(result).__name__}")
        if "outcome" in result.attrs and "outcome" not in result.columns:
            result = result.assign(outcome=str(result.attrs["outcome"]))
        return result


#: Every exportable analysis by name, in the order an XLSX of them all lists its sheets.
ANALYSES: dict[str, Analysis] = {}


def register(analysis: Analysis) -> Analysis:
    """Add ``analysis`` to :data:`ANALYSES` (replacing one of the same name) and return it."""
    ANALYSES[analysis.name] = analysis
    return analysis


for _analysis in (
    Analysis(
        "scores",
        "metrics.scores",
        "NPS, CSAT, top-box, CES and eNPS with intervals",
        {"metrics": ALL_METRICS},
    ),
    Analysis(
        "scores-by-unit",
        "metrics.scores",
        "scores per unit, each tested against the rest",
        {"metrics": ALL_METRICS, "by": "unit", "compare": "rest"},
    ),
    Analysis(
        "scores-by-month",
        "metrics.scores",
        "scores per month with intervals",
        {"metrics": ALL_METRICS, "period": "month"},
    ),
    Analysis(
        "score-changes",
        "metrics.scores",
        "scores per unit and quarter, each tested against the quarter before",
        {"metrics": ALL_METRICS, "by": "unit", "period": "quarter", "compare": "previous"},
    ),
    Analysis(
        "themes",
        "text.themes",
        "text themes with size, sentiment mix and effect on NPS, CSAT, CES or rating",
    ),
    Analysis("ladder", "advocates.ladder", "each customer's advocacy rung and the reason"),
    Analysis("say-do", "advocates.say_do", "share of promoters who went on to advocate"),
    Analysis(
        "silent-promoters", "advocates.silent_promoters", "promoters who have not advocated yet"
    ),
    Analysis("referrals", "advocates.referrals", "referral value per referrer and fraud signals"),
    Analysis("behavior", "advocates.behavior", "repurchase, spend and referral by NPS band"),
    Analysis(
        "fans-to-be", "advocates.fans_to_be", "non-advocates most likely to advocate", part="scores"
    ),
    Analysis("churn-risk", "retention.churn", "customers slipping away", part="scores"),
    Analysis(
        "drivers",
        "gaps.drivers",
        "relative importance of attributes on the workspace's outcome (NPS, else CSAT, else CES)",
    ),
    Analysis(
        "theme-drivers",
        "gaps.drivers",
        "relative importance of comment themes (mentioned or not) on the workspace's outcome",
        {"level": "theme"},
    ),
    Analysis("ipa", "gaps.ipa", "importance-performance quadrants", part="frame"),
    Analysis("servqual-items", "gaps.servqual", "SERVQUAL gaps per item", part="items"),
    Analysis(
        "servqual-dimensions", "gaps.servqual", "SERVQUAL gaps per dimension", part="dimensions"
    ),
    Analysis("targets", "gaps.targets", "current vs desired for every target"),
    Analysis("gaps", "gaps.register", "the gap register, ranked by priority"),
    Analysis("culture", "gaps.culture", "culture gaps, current vs desired", part="items"),
    Analysis(
        "culture-by-unit",
        "gaps.culture",
        "culture gaps by unit (small units suppressed)",
        part="units",
    ),
):
    register(_analysis)


def analysis_names() -> list[str]:
    return list(ANALYSES)


def get_analysis(name: str) -> Analysis:
    """The analysis called ``name``, or a :class:`UsageError` listing the known ones."""
    key = name.strip().lower().replace("_", "-")
    if key not in ANALYSES:
        raise UsageError(
            f"no analysis called {name!r}",
            value=name,
            parameter="NAME",
            fix="use one of: " + ", ".join(ANALYSES) + " (or all, with --format xlsx)",
        )
    return ANALYSES[key]


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """The frame as Arrow, with object columns of mixed types made text (Parquet needs one type)."""
    clean = frame.copy()
    for column in clean.columns:
        if clean[column].dtype == object:
            values = clean[column]
            kinds = {type(value) for value in values if value is not None and value == value}
            if len(kinds) > 1 or (kinds and not kinds <= {str, bool, int, float, date}):
                clean[column] = values.map(lambda v: None if v is None or v != v else cell_text(v))
    return pa.Table.from_pandas(clean, preserve_index=False)


def _table_or_reason(ws: Workspace, analysis: Analysis, among_many: bool) -> pa.Table:
    """The analysis as a table; among many, one this workspace cannot support says why."""
    try:
        return _arrow(analysis.frame(ws))
    except AdvocacyError as error:
        if not among_many:
            raise
        return pa.table({"not available": [str(error)]})


def export_analyses(
    ws: Workspace, names: Sequence[str], *, out: str | Path, format: str | None = None
) -> dict[str, int]:
    """Write analyses to ``out``; return rows written per analysis.

    ``names`` may be ``["all"]``. CSV, Parquet and JSON take one analysis; XLSX takes any number,
    one sheet each, named after the analysis.
    """
    path = Path(out)
    output = format_for(path, format)
    chosen = (
        list(ANALYSES.values())
        if list(names) in ([], ["all"])
        else [get_analysis(name) for name in dict.fromkeys(names)]
    )
    if output is not ExportFormat.xlsx and len(chosen) != 1:
        raise UsageError(
            f"{output.value} holds one analysis; {len(chosen)} were asked for",
            value=", ".join(analysis.name for analysis in chosen),
            parameter="--format",
            fix="name one analysis, or use --format xlsx for one sheet per analysis",
        )
    tables = {analysis.name: _table_or_reason(ws, analysis, len(chosen) > 1) for analysis in chosen}
    if output is ExportFormat.xlsx:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        write_xlsx(tables, partial)
        partial.replace(path)
    else:
        [(_, table)] = tables.items()
        write_table(table, path, output)
    return {name: int(table.num_rows) for name, table in tables.items()}
