"""Assemble the report from its sections and write one standalone HTML file."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment

from advocacy import display
from advocacy.report.collector import return_freed_memory
from advocacy.report.cover import Cover
from advocacy.report.section import (
    ReportScope,
    Section,
    charts_aside,
    place_charts,
    report_day,
    report_run,
)
from advocacy.report.sections import (
    advocates,
    asks,
    culture,
    gaps,
    loop,
    methods,
    metrics,
    summary,
    text,
)

if TYPE_CHECKING:
    from advocacy.workspace import Workspace

SectionBuilder = Callable[["Workspace", ReportScope], Section]

#: The report's sections, in reading order. Each analysis adds its module here.
SECTIONS: list[SectionBuilder] = [
    summary.build,
    metrics.build,
    text.build,
    gaps.build,
    culture.build,
    advocates.build,
    asks.build,
    loop.build,
    # analyses' sections go here, in reading order; the methods appendix stays last
    methods.build,
]


#: ``progress(stage, done, total)``: told after each step of a long report.
Progress = Callable[[str, int, int], None]


def build_sections(
    ws: Workspace, scope: ReportScope, progress: Progress | None = None
) -> list[Section]:
    """Every section, in reading order; sections share what they read within the run.
    ``progress("sections", done, total)`` is told after each section."""
    built: list[Section] = []
    with report_run():
        for builder in SECTIONS:
            built.append(builder(ws, scope))
            if progress is not None:
                progress("sections", len(built), len(SECTIONS))
    return built


def render_report(
    ws: Workspace,
    *,
    title: str | None = None,
    scope: ReportScope | None = None,
    progress: Progress | None = None,
) -> str:
    """The report as one HTML document (styles and charts inline, nothing fetched).

    The cover's title (``title`` or the ``report_title`` setting), client, logo and date come
    from the workspace's settings; the date is today in the ``timezone`` setting.
    """
    scope = scope or ReportScope()
    cover = Cover.from_settings(ws.settings, day=report_day(ws, scope), title=title)
    with charts_aside():
        sections = build_sections(ws, scope, progress)
        html = _document(cover, scope, sections)
        return_freed_memory()
        html = place_charts(html)
    # Data and texts reach the document through many sections and charts: one pass over the
    # finished document, so no reordering control survives anywhere in it.
    html = display.without_bidi_controls(html)
    if scope.redact:
        # One pass over the finished document, so no section can forget to redact.
        from advocacy.report.redaction import redact_html
        from advocacy.text.pii import Redactor

        html = redact_html(html, Redactor.for_workspace(ws.db))
    return html


def _document(cover: Cover, scope: ReportScope, sections: list[Section]) -> str:
    """The sections in the report's template (charts may still be placeholders)."""
    template_text = (
        resources.files("advocacy.report")
        .joinpath("templates/report.html.j2")
        .read_text(encoding="utf-8")
    )
    environment = Environment(autoescape=True)  # every value escaped; sections are Markup
    template = environment.from_string(template_text)
    return template.render(
        title=cover.title,
        cover=cover.html(),
        generated=cover.day.isoformat(),
        scope=scope,
        present=[section for section in sections if section.missing is None],
        absent=[section for section in sections if section.missing is not None],
    )


def write_report(
    ws: Workspace,
    path: str | Path,
    *,
    title: str | None = None,
    scope: ReportScope | None = None,
) -> Path:
    """Write the HTML report to ``path`` (atomically) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(render_report(ws, title=title, scope=scope), encoding="utf-8")
    partial.replace(target)
    return target
