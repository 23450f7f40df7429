"""The assessment report: a function of a workspace, written as standalone HTML and/or PDF.

The report sits above the :class:`~advocacy.workspace.Workspace` facade: it is given an open
workspace and reads it; the library below never imports it.

>>> import advocacy, advocacy.report
>>> with advocacy.open("advocacy.duckdb") as ws:                     # doctest: +SKIP
...     advocacy.report.write(ws, "report.html", pdf="report.pdf", redact=True)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names
from advocacy.report.pdf import DEFAULT_TITLE, ReportFiles, publish_report
from advocacy.report.section import ReportScope

if TYPE_CHECKING:
    from advocacy.report.sections.asks import ask_lift_spec
    from advocacy.report.sections.loop import plan_movement_specs
    from advocacy.workspace import Workspace

#: The report's charts the web shows too, imported on first use (PEP 562).
_LAZY = {
    "ask_lift_spec": "advocacy.report.sections.asks",
    "plan_movement_specs": "advocacy.report.sections.loop",
}

__all__ = [
    "DEFAULT_TITLE",
    "ReportFiles",
    "ReportScope",
    "ask_lift_spec",
    "plan_movement_specs",
    "write",
]


def write(
    ws: Workspace,
    out: str | Path | None = "report.html",
    *,
    pdf: str | Path | None = None,
    title: str | None = None,
    since: str | date | None = None,
    until: str | date | None = None,
    unit: str | None = None,
    redact: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> ReportFiles:
    """Write the assessment report on ``ws`` as standalone HTML and/or PDF.

    Parameters
    ----------
    ws
        The open workspace to report on.
    out, pdf
        Where to write the HTML and the PDF; either may be None, not both.
    title
        The report's title on its cover (default: the ``report_title`` setting; the client,
        the logo and the date come from the settings too).
    since, until
        The first and last day of evidence, as dates or ISO strings (``"2025-01-01"``).
    unit
        Limit the report to one unit.
    redact
        Remove personal data (e-mails, phones, card numbers, person names) and mask customer
        identities, for sharing outside the company.
    progress
        Told ``(stage, done, total)`` after each section and around the PDF's layout (a
        report on Spark or a large workspace takes a while).

    Returns
    -------
    ReportFiles
        The paths written and the PDF's page count.

    Raises
    ------
    UsageError
        When neither ``out`` nor ``pdf`` is given, a date is not ISO, or the PDF cannot be made.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")  # doctest: +SKIP
    >>> files = write(ws, "report.html", pdf="report.pdf", redact=True)  # doctest: +SKIP
    """
    from advocacy.metrics.slicing import as_date

    scope = ReportScope(
        since=as_date(since, "--since"),
        until=as_date(until, "--until"),
        unit=unit,
        redact=redact,
    )
    return publish_report(ws, out=out, pdf=pdf, title=title, scope=scope, progress=progress)


__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
