"""Render page templates with the context every page shares (caller, navigation, CSRF token).

Every template is HTML-escaped, whatever its name: Starlette's default environment escapes only
``.html``, ``.htm`` and ``.xml`` files, and ours end in ``.j2``. A value is marked safe only when
we built its markup ourselves (:func:`chart`, :func:`script_json`), never user text.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from advocacy import display
from advocacy.present.web.derived import derived
from advocacy.present.web.pages.text_cells import text_cell, without_bidi_controls
from advocacy.present.web.state import figures_as_of

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

#: (path, label) of the navigation, in order.
NAVIGATION = (
    ("/", "Overview"),
    ("/explore", "Explorer"),
    ("/customers", "Customers"),
    ("/cases", "Cases"),
    ("/coaching", "Coaching"),
    ("/text", "Text"),
    ("/advocates", "Advocates"),
    ("/gaps", "Gaps"),
    ("/plans", "Plans"),
    ("/people", "People"),
)

templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, .j2 included
        # The templates ship with the package: not looked at again on every render (a stat
        # of each template and of those it extends, on every page).
        auto_reload=False,
        # No text reorders itself on a page (see text_cells): every printed value passes here.
        finalize=without_bidi_controls,
    )
)


def number(value: Any, digits: int = 1) -> str:
    """A score for people: fixed digits, a dash for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return f"{float(value):,.{digits}f}"


def metric_label(name: Any) -> str:
    """The metric's label from the catalogue ("CES (ease, 1-7)"); other names as they are."""
    from advocacy.namespaces.metrics import METRICS

    metric = METRICS.get(str(name))
    return metric.label if metric is not None and metric.label else str(name)


def when(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "hour") else value)
    return str(value)


def cell(value: Any) -> str:
    """Any analysis value for a table cell: numbers rounded, lists joined, missing as a dash."""
    if hasattr(value, "tolist") and not hasattr(value, "item"):
        value = value.tolist()  # an array of quotes or keywords
    if isinstance(value, float):
        return number(value, 2 if abs(value) < 10 else 1)
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value[:3])
    if hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        return cell(value.item())
    if value is None or value != value:  # None, NaN or NaT
        return "–"
    return str(value)


#: Characters that could end a ``<script>`` element or start markup inside it, as JSON escapes.
#: U+2028 and U+2029 end a line in older JavaScript parsers, so they are escaped too.
_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> Markup:
    """``value`` as JSON that is safe inside ``<script type="application/json">``.

    No ``<``, ``>`` or ``&`` is left in the text, so no value can close the element or open a
    comment; ``JSON.parse`` of the element's text gives ``value`` back unchanged.
    """
    return Markup(json.dumps(value, default=str).translate(_SCRIPT_ESCAPES))


_chart_numbers = itertools.count(1)


def _readable(value: Any) -> Any:
    """``value`` (a chart's spec) with bidirectional controls taken out of every text in it: a
    chart draws its data's labels, and JSON carries the controls as escapes no page filter sees."""
    if isinstance(value, str):
        return display.without_bidi_controls(value)
    if isinstance(value, Mapping):
        return {key: _readable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_readable(item) for item in value]
    return value


def chart(spec: dict[str, Any], *, label: str) -> Markup:
    """A figure whose Vega-Lite spec the page's script draws; the label (escaped) describes it.

    The spec's JSON is written once per spec (pages build their specs once per cached result).
    """
    payload = derived(("chart-json", label), (spec,), lambda: script_json(_readable(spec)))
    label = display.without_bidi_controls(label)
    return Markup(
        '<figure class="chart"><div class="vega" role="img" aria-label="{label}" '
        'data-spec-id="{ident}"></div><script type="application/json" id="{ident}">'
        "{payload}</script><figcaption>{label}</figcaption></figure>"
    ).format(label=label, ident=f"spec-{next(_chart_numbers)}", payload=payload)


@jinja2.pass_context
def local_moment(context: Any, value: Any, seconds: bool = False) -> str:
    """A moment for people in the workspace's time zone (:func:`advocacy.display.moment`)."""
    return display.moment(value, str(context.get("timezone") or "UTC"), seconds=seconds)


templates.env.filters["moment"] = local_moment


def score(value: Any, metric: Any = "nps") -> str:
    """A score at its metric's usual precision: CES to the hundredth, the rest to a tenth."""
    return display.number(value, 2 if str(metric) == "ces" else 1)


templates.env.filters["number"] = number
templates.env.filters["signed"] = display.signed
templates.env.filters["points"] = display.points
templates.env.filters["percent"] = display.percent
templates.env.filters["estimate"] = display.estimate
templates.env.filters["share_estimate"] = display.share_estimate
templates.env.filters["display"] = display.cell
templates.env.filters["score"] = score
templates.env.filters["pvalue"] = display.p_value
templates.env.filters["when"] = when
templates.env.filters["cell"] = cell
templates.env.filters["text_cell"] = text_cell
templates.env.filters["metric_label"] = metric_label
templates.env.filters["script_json"] = script_json
templates.env.globals["chart"] = chart
templates.env.globals["navigation"] = NAVIGATION
templates.env.globals["zip"] = zip
templates.env.globals["digits_for"] = display.digits_for


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    caller: Any = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page ``template`` with ``context`` plus the caller, the current path and the
    workspace's time zone (which the ``moment`` filter shows times in), and when the figures
    are from if some were computed before the latest writes (``figures_as_of``)."""
    web = getattr(request.app.state, "web", None)
    timezone = web.ws.settings.timezone if web is not None else "UTC"
    full = {"caller": caller, "path": request.url.path, "timezone": timezone, **(context or {})}
    full.setdefault("figures_as_of", figures_as_of())  # figures from before the latest writes
    return templates.TemplateResponse(request, template, full, status_code=status_code)
