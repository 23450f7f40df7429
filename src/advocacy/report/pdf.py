"""Publish the report: render the HTML once, write it, and print the same document to PDF.

The PDF is WeasyPrint's rendering of the very HTML file written beside it (charts are inline
SVG, styles inline), so the two never disagree; only each chart's SVG reaches WeasyPrint as an
image of the same SVG (:func:`_charts_as_images`), which it draws alike and reads faster. The
charts are drawn by a helper process once the sections are done
(:mod:`advocacy.report.chart_process`). WeasyPrint needs Debian's pango libraries.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from advocacy.errors import UsageError
from advocacy.report.collector import collector_paused, collector_skips_older_objects
from advocacy.report.section import ReportScope
from advocacy.settings import Settings

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

#: The title when neither ``title`` nor the ``report_title`` setting gives one.
DEFAULT_TITLE: str = Settings.model_fields["report_title"].default


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`publish_report` wrote."""

    html: Path | None
    pdf: Path | None
    pages: int | None = None


def _atomic_write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(data)
    partial.replace(path)
    return path


#: A chart's inline SVG (as :func:`advocacy.report.section.chart_svg` writes it).
_CHART_SVG = re.compile(r'(<figure class="chart"[^>]*>)(<svg\b.*?</svg>)(</figure>)', re.S)


def _charts_as_images(html: str) -> str:
    """Each chart's inline SVG as an ``<img>`` of the same SVG, for WeasyPrint only.

    WeasyPrint draws the two alike (vectors, same size), but inline SVG first goes through its
    HTML parser, token by token, and stays in the document tree; as an image it is parsed once
    by an XML parser. The charts are most of the document's bytes: this saves about 0.4 s and
    15 MB on the demo's report.
    """

    def image(match: re.Match[str]) -> str:
        data = base64.b64encode(match.group(2).encode("utf-8")).decode("ascii")
        return (
            f'{match.group(1)}<img src="data:image/svg+xml;base64,{data}" alt="">{match.group(3)}'
        )

    return _CHART_SVG.sub(image, html)


def html_to_pdf(html: str, *, base_url: str | None = None) -> tuple[bytes, int]:
    """Print ``html`` to PDF with WeasyPrint; return the PDF's bytes and its page count."""
    try:
        with collector_paused():
            from weasyprint import HTML  # type: ignore[import-untyped]
    except OSError as error:  # pango or its fonts are missing
        raise UsageError(
            f"cannot make a PDF: WeasyPrint's system libraries are missing ({error})",
            fix="install pango (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0), "
            "or write only the HTML report",
        ) from error
    document = HTML(string=_charts_as_images(html), base_url=base_url).render()
    data = document.write_pdf()
    if data is None:  # only when given a target; never here
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(data), len(document.pages)


def publish_report(
    ws: Workspace,
    *,
    out: str | Path | None = "report.html",
    pdf: str | Path | None = None,
    title: str | None = None,
    scope: ReportScope | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ReportFiles:
    """Write the report as standalone HTML (``out``) and/or PDF (``pdf``).

    Parameters
    ----------
    ws
        The workspace to report on.
    out, pdf
        Where to write the HTML and the PDF; either may be None, not both.
    title
        The report's title (default: the ``report_title`` setting).
    scope
        Dates, unit and redaction (see :class:`ReportScope`).
    progress
        Told ``(stage, done, total)`` after each section (stage ``sections``) and when the PDF
        is laid out (stage ``PDF``), for a progress bar.

    Returns
    -------
    ReportFiles
        The paths written and the PDF's page count.
    """
    if out is None and pdf is None:
        raise UsageError(
            "nothing to write", parameter="--out", fix="give --out report.html or --pdf report.pdf"
        )
    from advocacy.report.section import charts_aside

    # Charts made inside this block are drawn by a helper process once the sections are done.
    with charts_aside():
        with collector_paused():
            from advocacy.report.build import render_report  # the analyses' libraries: heavy

        with collector_skips_older_objects():
            html = render_report(ws, title=title, scope=scope or ReportScope(), progress=progress)
    html_path = None if out is None else _atomic_write(Path(out), html.encode("utf-8"))
    if pdf is None:
        return ReportFiles(html=html_path, pdf=None)
    if progress is not None:
        progress("PDF", 0, 1)
    with collector_skips_older_objects():
        data, pages = html_to_pdf(html)
    if progress is not None:
        progress("PDF", 1, 1)
    return ReportFiles(html=html_path, pdf=_atomic_write(Path(pdf), data), pages=pages)
