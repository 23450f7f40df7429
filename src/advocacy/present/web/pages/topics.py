"""The topic pages (text, advocates, gaps, people): each analysis the workspace can compute, and,
for what is missing, how to add it.

A topic lists the evidence its analyses need and the :class:`~advocacy.Workspace` methods that
compute them. A method not in this version of advocacy is listed as not yet available; one that
cannot run on this workspace (too little data, no text analysed yet) shows its error's fix.
The text page says which reading made the stored sentiments (the workspace's calibration, the
model alone) and how many texts each made, the calibration's known weakness, and, beside each
sentence it quotes, which reading made its sentiment (``ws.text.sentiment_readings``,
``ws.text.readings_of``), as ``text analyze`` and the report do.
Viewers see every table through :func:`advocacy.access.masking.mask_frame`: customers' names
and contacts masked, theme names, key phrases, quotes, sentences and root causes redacted.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import pandas as pd

from advocacy.analyses import ANALYSES
from advocacy.errors import AdvocacyError
from advocacy.namespaces.access import Principal, TextRedactor, mask_frame
from advocacy.present.web.dashboards import topic_key, viewer_redactor
from advocacy.present.web.derived import derived
from advocacy.present.web.filters import Filters
from advocacy.present.web.pages.customer_standing import purchase_predictions
from advocacy.present.web.pages.paging import PAGE_ROWS, Paging, pages_of
from advocacy.present.web.pages.result_tables import (
    ResultTable,
    result_table,
    shown_columns,
    sorted_frame,
)
from advocacy.present.web.pages.theme_cards import ThemeCard, quote_sets, theme_cards
from advocacy.present.web.state import WebState

if TYPE_CHECKING:
    from advocacy.namespaces.text import SentimentReadings

#: The text page's themes section when texts are stored but none is grouped into a theme (after
#: an import from the web, say): what makes the themes, and where it runs.
NO_THEMES_YET = (
    "No themes yet. Themes come from reading the texts and grouping them: run 'advocacy text "
    "analyze' and then 'advocacy text discover-themes' (or 'advocacy text assign-themes "
    "TAXONOMY.yaml' for themes of your own) where the workspace is, then reload this page"
)
#: The same when the filters keep no text of any theme.
NO_THEMES_FILTERED = (
    "No theme has a text among the answers these filters keep: widen the dates or clear a "
    "filter to see the themes"
)
#: The slipping-away table's title, before what it is sorted by.
SLIPPING_AWAY = "Slipping away: repeat buyers more likely gone than active"
#: Gaps of the register the Gaps page asks for (the highest priorities); the page links to the
#: whole register as a CSV.
SHOWN_ROWS = 250


@dataclass(frozen=True)
class Need:
    """Evidence an analysis needs: a table, and how to add it when it is empty."""

    table: str
    label: str
    how: str
    #: The kind of text the table holds (``ws.text.count_texts``' kinds): the rows with a text
    #: are counted (a survey's comments), not its rows (its answers). None: its rows.
    texts: str | None = None


@dataclass(frozen=True)
class Part:
    """One analysis on a topic page: ``ws.<method>(**options)`` (``method`` a dotted path such as
    ``"gaps.drivers"``), and which frame to show
    (``attribute`` of the result, or the result itself when it is a DataFrame)."""

    label: str
    method: str
    options: tuple[tuple[str, Any], ...] = ()
    attribute: str = ""
    hidden: tuple[str, ...] = ()  # columns left off the page (structured twins of a text column)
    first: tuple[str, ...] = ()  # columns shown first, in this order (what a reader looks for)
    # Why the analysis cannot follow some filter (filter name -> reason), beyond its signature.
    unfiltered: tuple[tuple[str, str], ...] = ()
    units_only: bool = False  # only the unit filter reaches it (employee answers)
    needs: str = ""  # a table that must hold rows for the part to be shown at all
    name: str = ""  # in the URL's paging parameters; default the method's last word

    @property
    def key(self) -> str:
        """The table's name in the URL (``ladder_page``, ``ladder_sort``) and its anchor."""
        return self.name or self.method.rsplit(".", 1)[-1].replace("_", "-")


@dataclass(frozen=True)
class Topic:
    title: str
    question: str
    parts: tuple[Part, ...]
    needs: tuple[Need, ...]
    planned: tuple[str, ...] = ()


@dataclass
class Shown:
    """One table of a topic page: the page of rows shown, and where it is in the whole."""

    label: str
    key: str = ""
    rows: int = 0  # in the whole analysis
    problem: str | None = None
    table: ResultTable | None = None
    download: str | None = None  # the whole analysis as a CSV
    paging: Paging = field(default_factory=Paging)
    pages: int = 1

    @property
    def first(self) -> int:
        """The number of the first row shown (1-based)."""
        return min(self.rows, (self.paging.page - 1) * PAGE_ROWS + 1)

    @property
    def last(self) -> int:
        """The number of the last row shown."""
        return min(self.rows, self.paging.page * PAGE_ROWS)


@dataclass
class TopicView:
    name: str
    topic: Topic
    present: list[tuple[Need, int]] = field(default_factory=list)
    missing: list[Need] = field(default_factory=list)
    shown: list[Shown] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    restricted: bool = False
    cards: list[ThemeCard] = field(default_factory=list)
    cards_problem: str | None = None
    # Which reading made the stored sentiments, and what the calibration is worth (text page)
    readings: SentimentReadings | None = None
    filters: Filters = field(default_factory=Filters)
    # filter name -> why -> the parts of the page that do not follow it for that reason
    not_applied: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    paging: dict[str, Paging] = field(default_factory=dict)  # table key -> as asked

    def link(self, key: str, *, page: int | None = None, sort: str | None = None) -> str:
        """This page with table ``key`` on ``page`` or sorted by column ``sort`` (ascending,
        or descending when it is sorted ascending by it now: a second click turns it; a new
        order starts at the first page), the filters and the other tables' order and page
        kept, and an anchor to the table."""
        shown = self.paging.get(key, Paging())
        if sort is not None:
            shown = shown.turned(sort)
        elif page is not None:
            shown = Paging(page, shown.sort, shown.descending)
        extra: dict[str, str] = {}
        for other, paging in {**self.paging, key: shown}.items():
            extra.update(paging.pairs(other))
        return self.filters.link(f"/{self.name}", **extra) + f"#table-{key}"

    def kept(self) -> dict[str, str]:
        """What the filter bar keeps when filters change: each table's order (not its page:
        other filters give other rows)."""
        extra: dict[str, str] = {}
        for key, paging in self.paging.items():
            extra.update(Paging(1, paging.sort, paging.descending).pairs(key))
        return extra

    def unapplied(self) -> list[str]:
        """Each active filter something on the page does not follow, what and why, in words:
        ``Segment filter not applied here: Targets (each target has its own scope)``."""
        lines = []
        for name, reasons in self.not_applied.items():
            if sum(map(len, reasons.values())) >= self.parts_shown:
                what = f"anything on this page ({'; '.join(reasons)})"
            else:
                what = "; ".join(f"{', '.join(parts)} ({why})" for why, parts in reasons.items())
            lines.append(f"{name.capitalize()} filter not applied here: {what}")
        return lines

    @property
    def parts_shown(self) -> int:
        """How many analyses the page shows (the theme cards count as one)."""
        return len(self.shown) + (1 if self.cards or self.cards_problem else 0)


def _import(kind: str) -> str:
    return f"advocacy import FILE.csv --kind {kind}"


#: What employee answers cannot follow: they carry a unit and a date, nothing else.
_UNIT_ONLY = (
    ("segment", "employee answers carry only a unit"),
    ("touchpoint", "employee answers carry only a unit"),
    ("channel", "employee answers carry only a unit"),
)

TOPICS: dict[str, Topic] = {
    "text": Topic(
        "What customers say",
        "Themes with quotes, the sentiment of their texts and each theme's effect on NPS, "
        "else on the survey's CSAT or CES, else on the reviews' rating (the report shows the "
        "emotions).",
        (
            Part(
                "Each theme's most negative and most positive sentence (score -1 to 1), and "
                "which reading made its sentiment (the workspace's calibration or the model "
                "alone)",
                "text.theme_sentences",
                first=(
                    "name",
                    "negative_sentence",
                    "negative_score",
                    "negative_reading",
                    "positive_sentence",
                    "positive_score",
                    "positive_reading",
                ),
                hidden=(
                    "theme_id",
                    "negative_document_kind",
                    "negative_document_id",
                    "positive_document_kind",
                    "positive_document_id",
                ),
            ),
        ),
        (
            Need("responses", "survey comments", _import("responses"), texts="response"),
            Need("mentions", "reviews and social posts", _import("mentions"), texts="mention"),
            Need("notes", "interview and call notes", _import("notes"), texts="note"),
        ),
    ),
    "advocates": Topic(
        "Who advocates, in deeds",
        "The advocacy ladder, the say-do gap, silent promoters, fans-to-be, referral value and "
        "who is slipping away.",
        (
            Part("The say-do gap: promoters who advocated afterwards", "advocates.say_do"),
            Part("What promoters, passives and detractors go on to do", "advocates.behavior"),
            Part("The advocacy ladder, customer by customer", "advocates.ladder"),
            Part(
                "Silent promoters: promoters who have not advocated yet",
                "advocates.silent_promoters",
            ),
            Part(
                "Fans-to-be: the likeliest next advocates",
                "advocates.fans_to_be",
                attribute="scores",
            ),
            Part(
                "Referrals with attribution and value",
                "advocates.referrals",
                unfiltered=(("*", "a referral is not tied to a survey answer"),),
            ),
            Part(
                f"{SLIPPING_AWAY}, by value at risk (a year's spend at their past pace, times "
                "the chance they have gone)",
                "retention.slipping_away",
                unfiltered=(("*", "the purchase model reads every purchase"),),
                needs="transactions",
            ),
        ),
        (
            Need("responses", "survey answers", _import("responses")),
            Need("referrals", "referrals", _import("referrals")),
            Need("mentions", "reviews", _import("mentions")),
            Need("transactions", "purchases", _import("transactions")),
        ),
    ),
    "gaps": Topic(
        "Where the gaps are",
        "The gap register, key drivers, importance-performance quadrants and SERVQUAL gaps.",
        (
            Part(
                "Gap register, highest priority first (root causes name touchpoints and themes)",
                "gaps.register",
                (("top", SHOWN_ROWS),),
                hidden=("root_cause_themes", "root_cause_touchpoints"),
                first=("rank", "subject", "scope", "gap", "priority", "class", "root_causes"),
                unfiltered=(
                    ("segment", "its culture gaps: employee answers carry only a unit"),
                    ("touchpoint", "its culture gaps: employee answers carry only a unit"),
                    ("channel", "its culture gaps: employee answers carry only a unit"),
                ),
            ),
            # The workspace's own outcome (NPS, else CSAT, else CES), named by _shown.
            Part("Key drivers of the outcome", "gaps.drivers"),
            Part(
                "Comment themes as drivers of the outcome (respondents with a comment)",
                "gaps.drivers",
                (("level", "theme"),),
                name="theme-drivers",
            ),
            Part("Importance-performance quadrants", "gaps.ipa", attribute="frame"),
            Part("SERVQUAL gaps by dimension", "gaps.servqual", attribute="dimensions"),
            Part(
                "Targets",
                "gaps.targets",
                unfiltered=(("*", "each target has its own scope"),),
            ),
        ),
        (
            Need("response_items", "attribute ratings", _import("responses") + " (item columns)"),
            Need("targets", "targets", _import("targets")),
        ),
    ),
    "people": Topic(
        "People and culture",
        "Culture gaps from employee surveys and their link to customer outcomes by unit.",
        (
            Part(
                "Culture and eNPS by unit",
                "gaps.culture",
                attribute="units",
                name="culture-units",
                units_only=True,
                unfiltered=_UNIT_ONLY,
            ),
            Part(
                "Culture items, current against desired",
                "gaps.culture",
                attribute="items",
                name="culture-items",
                units_only=True,
                unfiltered=_UNIT_ONLY,
            ),
            Part(
                "Employee results against customer NPS, by unit",
                "gaps.culture_link",
                attribute="units",
                name="culture-link",
                unfiltered=(("*", "it relates the units to each other"),),
            ),
        ),
        (
            Need("employees", "employees", _import("employees")),
            Need("employee_responses", "employee survey answers", _import("employee-responses")),
            Need(
                "employee_response_items",
                "culture ratings",
                _import("employee-responses") + " (current/desired item columns)",
            ),
        ),
    ),
}


def _offered(state: WebState, method: str) -> bool:
    """Whether this version of the workspace has ``method`` (a dotted path such as
    ``"gaps.drivers"``)."""
    try:
        attrgetter(method)(state.ws)
    except AttributeError:
        return False
    return True


#: What a filter is called on a page ("segment filter not applied here").
DATE_RANGE = "date range"


def _active(filters: Filters) -> list[str]:
    """The names of the active filters: dimensions, then the date range."""
    names = list(filters.where)
    if filters.since is not None or filters.until is not None:
        names.append(DATE_RANGE)
    return names


def _filtering(
    state: WebState, part: Part, filters: Filters
) -> tuple[dict[str, Any], dict[str, str]]:
    """The filter options ``part``'s method takes, and the active filters it cannot follow
    (name -> why)."""
    parameters = inspect.signature(attrgetter(part.method)(state.ws)).parameters
    options: dict[str, Any] = {}
    ignored: dict[str, str] = {}
    if filters.where:
        if "where" in parameters:
            options["where"] = filters.where
        else:
            ignored.update((name, "not tied to survey answers") for name in filters.where)
    if filters.since is not None or filters.until is not None:
        if "since" in parameters and "until" in parameters:
            options.update(since=filters.since, until=filters.until)
        else:
            ignored[DATE_RANGE] = "it covers the whole history"
    for name, why in part.unfiltered:
        # "*": no dimension filter (the date range keeps its own reason)
        for active in _active(filters):
            if name == active or (name == "*" and active != DATE_RANGE):
                ignored[active] = why
        if name == "*":
            options.pop("where", None)
    if part.units_only and "where" in options:
        units = {name: values for name, values in options["where"].items() if name == "unit"}
        if units:
            options["where"] = units
        else:
            options.pop("where")
    return options, ignored


def _run(
    state: WebState,
    part: Part,
    options: dict[str, Any],
    principal: Principal,
    paging: Paging,
    timezone: str,
) -> Shown:
    method = attrgetter(part.method)(state.ws)
    chosen = {**dict(part.options), **options}
    if part.method == "gaps.drivers":
        chosen.setdefault("outcome", None)  # the workspace's own: CSAT when no NPS is answered
    key = topic_key(part.method, chosen)

    def compute() -> Any:
        if part.method == "retention.slipping_away":
            # read from the predictions the customer page and the Overview share (one fit)
            return method(**chosen, predicted=purchase_predictions(state))
        if part.method == "text.theme_sentences":
            if not (chosen.get("since") or chosen.get("until")):
                # Ranked once with the theme cards' quotes (the same answers, the whole history).
                return _with_readings(state, quote_sets(state, chosen.get("where"))[1])
            return _with_readings(state, method(**chosen))
        return method(**chosen)

    try:
        result = state.cached(key, compute)
    except AdvocacyError as error:
        return Shown(
            part.label, part.key, problem=error.message + (f"; {error.fix}" if error.fix else "")
        )
    except Exception as error:  # an analysis' own defect: shown, not hidden, never the page
        return Shown(
            part.label,
            part.key,
            problem=f"could not be computed ({type(error).__name__}: {error})",
        )
    redactor = viewer_redactor(state, principal)
    masked = principal.masks_personal_data
    # Masking, sorting and formatting the page of rows, once per result, order and page.
    return derived(
        ("topic-table", key, part.attribute, part.key, masked, paging, timezone),
        (result, redactor),
        lambda: _shown(part, result, principal, redactor, paging, timezone),
    )


def _shown(
    part: Part,
    result: Any,
    principal: Principal,
    redactor: TextRedactor | None,
    paging: Paging,
    timezone: str,
) -> Shown:
    """The page ``paging`` asks for of ``part``'s table in ``result``, as ``principal`` sees it."""
    frame = getattr(result, part.attribute) if part.attribute else result
    if not isinstance(frame, pd.DataFrame):
        return Shown(part.label, part.key, problem="this analysis returned no table")
    label = part.label
    if part.method == "gaps.drivers" and frame.attrs.get("outcome"):
        # Drivers explain the workspace's own outcome: say which (CSAT for a CSAT-only client).
        label = label.replace("the outcome", str(frame.attrs["outcome"]).upper())
    if part.method == "retention.slipping_away" and frame.attrs.get("order_fallback"):
        # No value at risk to sort by (every amount 0): say the order the rows are in instead.
        label = f"{SLIPPING_AWAY}; {frame.attrs['order_fallback']}"
    if part.method == "retention.slipping_away" and frame.attrs.get("interval"):
        label += f". In brackets: {frame.attrs['interval']}"
    frame = frame.drop(columns=[name for name in part.hidden if name in frame.columns])
    leading = [name for name in part.first if name in frame.columns]
    frame = frame[leading + [name for name in frame.columns if name not in leading]]
    frame = mask_frame(frame, principal, redactor=redactor)
    if paging.sort not in shown_columns(frame, method=part.method, attribute=part.attribute):
        paging = Paging(paging.page)  # a column this table does not show: its own order
    if paging.sort:
        frame = sorted_frame(frame, paging.sort, descending=paging.descending)
    pages = pages_of(len(frame))
    paging = paging.within(len(frame))
    start = paging.start
    return Shown(
        label,
        part.key,
        rows=len(frame),
        table=result_table(
            frame,
            method=part.method,
            attribute=part.attribute,
            timezone=timezone,
            rows=slice(start, start + PAGE_ROWS),
        ),
        download=_download(part),
        paging=paging,
        pages=pages,
    )


#: The sides of ``ws.text.theme_sentences``' rows.
SIDES = ("negative", "positive")


def _with_readings(state: WebState, frame: pd.DataFrame) -> pd.DataFrame:
    """``ws.text.theme_sentences``' rows with, per side, which reading made the quoted
    sentence's sentiment (``negative_reading``, ``positive_reading``: the calibration, the model
    alone; None where the side has no sentence)."""
    keys = {
        side: [
            (str(kind), str(key)) if isinstance(kind, str) and isinstance(key, str) else None
            for kind, key in zip(
                frame[f"{side}_document_kind"], frame[f"{side}_document_id"], strict=True
            )
        ]
        for side in SIDES
        if f"{side}_document_kind" in frame and f"{side}_document_id" in frame
    }
    found = state.ws.text.readings_of([pair for pairs in keys.values() for pair in pairs if pair])
    return frame.assign(
        **{
            f"{side}_reading": pd.Series(
                [None if pair is None else found.get(pair) for pair in pairs],
                index=frame.index,
                dtype=object,
            )
            for side, pairs in keys.items()
        }
    )


def _download(part: Part) -> str | None:
    """The API address of the whole analysis behind ``part`` as a CSV, if it is registered."""
    for analysis in ANALYSES.values():
        if (
            analysis.method == part.method
            and dict(analysis.options) == dict(part.options)
            and (analysis.part or "") == part.attribute
        ):
            return f"/api/v1/analyses/{analysis.name}?format=csv"
    return None


def _texts_stored(state: WebState) -> int:
    """How many non-empty texts the workspace holds (answers' comments, mentions, notes...)."""
    counted: int = state.cached(("texts-stored",), state.ws.text.count_texts)
    return counted


def _no_cards(state: WebState, filters: Filters) -> str | None:
    """Why the text page shows no theme card, when that needs saying: the filters keep no
    answer of a theme, or texts are stored but none is in a theme yet; None when there is no
    text at all (the evidence list says what to add)."""
    if (
        filters.active
        and not state.cached(("topic", "text.themes", Filters().key), state.ws.text.themes).empty
    ):
        return NO_THEMES_FILTERED
    if _texts_stored(state) == 0:
        return None
    return NO_THEMES_YET


def topic_view(
    state: WebState,
    principal: Principal,
    name: str,
    filters: Filters | None = None,
    query: Mapping[str, str] | None = None,
) -> TopicView:
    """What topic ``name`` can show ``principal`` on this workspace (callers use the workspace):
    of each table the page and order ``query`` (the URL's parameters) asks for."""
    topic = TOPICS[name]
    filters = filters or Filters()
    view = TopicView(name, topic, pending=list(topic.planned), filters=filters)
    view.paging = {part.key: Paging.read(query or {}, part.key) for part in topic.parts}
    counts = {item.table: item.rows for item in state.cached(("status",), state.ws.status).tables}
    for need in topic.needs:
        rows = counts.get(need.table, 0)
        if need.texts is not None and rows:
            # A survey's comments, not its answers (review27 finding 21).
            count = partial(state.ws.text.count_texts, [need.texts])
            rows = state.cached(("text-count", need.texts), count)
        if rows:
            view.present.append((need, rows))
        else:
            view.missing.append(need)
    # These analyses are not broken down by unit, so they are not for unit-limited roles.
    view.restricted = principal.limited_to_units
    timezone = state.ws.settings.timezone
    if name == "text" and not view.restricted:
        try:
            view.cards = theme_cards(state, principal, filters)
        except AdvocacyError as error:
            view.cards_problem = error.message + (f"; {error.fix}" if error.fix else "")
        if not view.cards and not view.cards_problem:
            view.cards_problem = _no_cards(state, filters)
        if state.ws.unavailable("text_features", "text_calibration") is None:
            view.readings = state.cached(("sentiment-readings",), state.ws.text.sentiment_readings)
    for part in topic.parts:
        if part.needs and not counts.get(part.needs, 0):
            continue
        if not _offered(state, part.method):
            view.pending.append(part.label)
        elif not view.restricted:
            options, ignored = _filtering(state, part, filters)
            for filter_name, why in ignored.items():
                reasons = view.not_applied.setdefault(filter_name, {})
                reasons.setdefault(why, []).append(part.label.split(":")[0].split(" (")[0])
            shown = _run(state, part, options, principal, view.paging[part.key], timezone)
            view.paging[part.key] = shown.paging
            view.shown.append(shown)
    return view
