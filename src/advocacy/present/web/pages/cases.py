"""Case pages: the case list (50 cases a page, sorted and paged by the server, the page and
order in the URL) with the loop's results, the workload by owner, one case with its
timeline and the one form (an action bar) that works it, the case rules with their YAML
editor, and "Open cases over stored evidence" (``/cases/open``, admins and analysts): what
``advocacy cases open`` does, for the cases an import withheld or left out while the server
holds a DuckDB workspace. Its check counts per rule what would open, writing nothing; its
confirmation opens at most the count the user saw (more, from evidence that arrived since, opens
none and shows the new count), and only the evidence the user saw: the form carries a digest of
the evidence ids checked (:func:`evidence_digest`), and a set that changed since the check (new
evidence in, some with a case meanwhile: an equal count can hide both) opens none and shows the
new check. Fewer opened than confirmed (a case opened between the check and the write) is said.

A case opened by a rule that reads a text's sentiment (:data:`SENTIMENT_TRIGGERS`) says which
reading its "Why" gives: the shipped model alone, read as the evidence arrived, never the
workspace's calibration, so the Text page may read the same text otherwise.

Case handlers see the cases of their units only; viewers see cases with personal data masked
and free text redacted (the same rules as the API: :func:`advocacy.present.web.api.cases.shown`).
Owners are picked from a list (``ws.cases.owners``), never typed. A form that cannot be applied
(closing without a root cause, say) shows its error beside the form, keeping everything typed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from advocacy.errors import AdvocacyError, UsageError, ValidationError
from advocacy.namespaces.access import Permission
from advocacy.namespaces.cases import (
    ACTIONS,
    ALLOWED_FROM,
    CASES_AT_ONCE,
    SORTABLE,
    STATUSES,
    dump_rules,
)
from advocacy.present.web.api.cases import shown, units_of
from advocacy.present.web.auth import Caller, requires, web_state
from advocacy.present.web.pages.forms import submit_form
from advocacy.present.web.pages.paging import PAGE_ROWS, Paging, pages_of
from advocacy.present.web.pages.rendering import render
from advocacy.present.web.state import WebState

router = APIRouter(include_in_schema=False)

Reader = Annotated[Caller, Depends(requires(Permission.read_customers))]
Worker = Annotated[Caller, Depends(requires(Permission.work_cases))]
LoopManager = Annotated[Caller, Depends(requires(Permission.manage_loop))]

#: Case rule triggers whose "Why" gives a text's sentiment, read by the shipped model alone
#: (:class:`advocacy.loop.cases.triggers.TextSignals`: case rules run on every submission).
SENTIMENT_TRIGGERS = frozenset({"angry_mention", "theme_sentiment"})
#: What a case page says under such a case's "Why".
CASE_READING = (
    "Sentiment read by the shipped model alone as the evidence arrived: case rules do not read "
    "with the workspace's calibration, so the Text page may read this text otherwise."
)

#: Seconds the loop's results are kept at most, however quiet the server: what is overdue and
#: which outcomes are within their window move with the clock, not only with the data.
LOOP_RESULTS_SECONDS = 60

#: The orders the case list's form offers (``cases_sort`` in the URL -> in words); a heading of
#: the table sorts by its column too, either way.
ORDERS = (
    ("", "newest first"),
    ("opened_at", "oldest first"),
    ("due_at", "due soonest first"),
    ("-priority", "most urgent first"),
    ("status", "by status"),
    ("owner", "by owner"),
    ("customer_id", "by customer"),
    ("unit", "by unit"),
    ("rule", "by rule"),
    ("case_id", "by case"),
)


@router.get("/cases", response_class=HTMLResponse)
def cases_page(
    request: Request,
    caller: Reader,
    status: str | None = "open",
    owner: str | None = None,
    mine: bool = False,
) -> Response:
    state = web_state(request)
    principal = caller.principal
    chosen_status = status or None
    chosen_owner = principal.name if mine else (owner or None)
    units = units_of(principal)
    paging = Paging.read(request.query_params, "cases")
    if paging.sort not in SORTABLE:
        paging = Paging(paging.page)  # not a column of the list: newest first
    with state.use:
        total = state.ws.cases.count(status=chosen_status, owner=chosen_owner, units=units)
        paging = paging.within(total)
        found = state.ws.cases.list(
            status=chosen_status,
            owner=chosen_owner,
            units=units,
            limit=PAGE_ROWS,
            offset=paging.start,
            sort=paging.sort or None,
            descending=paging.descending,
        )
        results = _loop_results(state, units)
        cases = [shown(state, case.to_dict(), principal) for case in found]
        owners = _owners_in_reach(state, units)
    order = ("-" if paging.descending else "") + paging.sort
    orders = dict(ORDERS)
    if order == "priority":  # the priority heading's other direction: by urgency, not name
        orders[order] = "least urgent first"
    elif order not in orders:  # another heading's other direction (ORDERS lists the first)
        orders[order] = f"by {paging.sort.removesuffix('_id').removesuffix('_at')}, last first"
    kept = {"status": chosen_status or "", "owner": owner or "", "mine": "true" if mine else ""}

    def link(*, page: int | None = None, sort: str | None = None) -> str:
        """This list on ``page`` or sorted by ``sort`` (a second click turns the order), its
        filters and order kept."""
        wanted = (
            paging.turned(sort)
            if sort is not None
            else Paging(paging.page if page is None else page, paging.sort, paging.descending)
        )
        pairs = {name: value for name, value in kept.items() if value or name == "status"}
        return "/cases?" + urlencode({**pairs, **wanted.pairs("cases")}) + "#case-list"

    return render(
        request,
        "cases.html.j2",
        {
            "cases": cases,
            "total": total,
            "paging": paging,
            "pages": pages_of(total),
            "first": min(total, paging.start + 1),
            "last": min(total, paging.start + PAGE_ROWS),
            "link": link,
            "orders": list(orders.items()),
            "order": order,
            "order_label": orders[order],
            "results": results,
            "statuses": ("open", *STATUSES),
            "status": chosen_status or "",
            "owner": owner or "",
            "owners": owners,
            "mine": mine,
            "can_open": principal.can(Permission.manage_loop),
        },
        caller=caller,
    )


def _loop_results(state: WebState, units: list[str] | None) -> Any:
    """The loop's results for a caller limited to ``units`` (callers use the workspace).

    Cached like the other aggregates (after new evidence a page may show them up to the
    staleness bound old, labelled), but kept against the work done on cases
    (``ws.cases.work_mark``: a case worked anywhere, in this server, another of its processes
    or the CLI, shows in them on the next view) and against the server's clock, at most
    :data:`LOOP_RESULTS_SECONDS` (what is overdue and which outcomes are within their window
    move with time, not only with the data). The clock is this process's own, so the
    processes of ``serve --workers N`` each compute them once a minute at most.
    """
    minute = int(state.clock() // LOOP_RESULTS_SECONDS)
    mark = state.ws.cases.work_mark()
    key = ("loop-results", tuple(units) if units is not None else None, mark, minute)
    return state.cached(key, lambda: state.ws.cases.results(units=units))


def _owners_in_reach(state: Any, units: list[str] | None) -> list[Any]:
    """The owners a caller limited to ``units`` may filter by (callers hold the lock)."""
    everyone = state.ws.cases.owners()
    if units is None:
        return list(everyone)
    return [o for o in everyone if not o.units or any(unit in o.units for unit in units)]


@router.get("/cases/workload", response_class=HTMLResponse)
def workload_page(request: Request, caller: Reader) -> Response:
    state = web_state(request)
    with state.use:
        loads = state.ws.cases.workload(units=units_of(caller.principal))
    rows = [load.to_dict() for load in loads]
    totals = {
        name: sum(row[name] for row in rows) for name in ("open", "new", "overdue", "due_soon")
    }
    return render(request, "workload.html.j2", {"rows": rows, "totals": totals}, caller=caller)


@router.get("/cases/rules", response_class=HTMLResponse)
def rules_page(request: Request, caller: Reader) -> Response:
    state = web_state(request)
    with state.use:
        rules = state.ws.cases.rules()
    return _rules(request, caller, rules=rules, text=dump_rules(rules))


def _rule_owners(request: Request) -> list[Any]:
    state = web_state(request)
    with state.use:
        return list(state.ws.cases.owners())


def _rules(
    request: Request,
    caller: Caller,
    *,
    rules: Any,
    text: str,
    error: AdvocacyError | None = None,
    saved: bool = False,
) -> Response:
    return render(
        request,
        "rules.html.j2",
        {
            "rules": rules,
            "text": text,
            "error": error,
            "saved": saved,
            "can_edit": caller.principal.can(Permission.manage_loop),
            "owners": _rule_owners(request) if caller.principal.can(Permission.manage_loop) else [],
        },
        caller=caller,
        status_code=422 if error else 200,
    )


@router.post("/cases/rules", response_class=HTMLResponse)
async def save_rules_page(
    request: Request, caller: LoopManager, rules: Annotated[str, Form()] = ""
) -> Response:
    state = web_state(request)

    def refused(error: ValidationError) -> Response:
        with state.use:
            stored = state.ws.cases.rules()
        return _rules(request, caller, rules=stored, text=rules, error=error)

    return await submit_form(
        request,
        lambda state: state.ws.cases.save_rules_text(
            rules, actor=caller.principal.name, source="rules form"
        ),
        done=lambda _: RedirectResponse("/cases/rules?saved=1", status_code=303),
        refused=refused,
        refusal=ValidationError,
    )


#: The kinds of evidence the case rules read, as the open form offers them.
EVIDENCE_KINDS = ("responses", "mentions")


@dataclass(frozen=True)
class OpenRequest:
    """The evidence a user asks the case rules to run over (``advocacy cases open``'s options)."""

    since: date
    until: date | None
    kinds: tuple[str, ...]
    include_undated: bool

    @classmethod
    def read(
        cls, since: str, until: str, kinds: Sequence[str], include_undated: str
    ) -> OpenRequest:
        """The request typed in the form; a refusal names the field and what it takes."""
        first = _day(since, "since")
        last = _day(until, "until") if until.strip() else None
        if last is not None and last < first:
            raise UsageError(
                "the last day comes before the first",
                value=f"{first:%Y-%m-%d} to {last:%Y-%m-%d}",
                parameter="until",
                fix="give the same day as the first or a later one, or leave it empty",
            )
        chosen = tuple(kind for kind in EVIDENCE_KINDS if kind in kinds) or EVIDENCE_KINDS
        return cls(first, last, chosen, include_undated in ("on", "true", "1"))

    def fields(self) -> dict[str, Any]:
        """The form's values, to show them again and to carry them to the confirmation."""
        return {
            "since": f"{self.since:%Y-%m-%d}",
            "until": "" if self.until is None else f"{self.until:%Y-%m-%d}",
            "kinds": self.kinds,
            "include_undated": self.include_undated,
        }

    def run(
        self, state: WebState, *, actor: str, dry_run: bool, at_most: int | None
    ) -> dict[str, Any]:
        """``ws.cases.open`` over these dates (the last day included, as the CLI's)."""
        return state.ws.cases.open(
            since=datetime.combine(self.since, time()),  # naive: the workspace's time zone
            until=None
            if self.until is None
            else datetime.combine(self.until + timedelta(days=1), time()),
            kinds=self.kinds,
            actor=actor,
            dry_run=dry_run,
            at_most=at_most,
            include_undated=self.include_undated,
        )


def evidence_digest(found: dict[str, Any]) -> str:
    """A digest of the evidence ids a check would open cases on (per kind, sorted): what the
    confirmation compares, so that it opens the set the user saw, not merely as many."""
    ids = sorted(f"{kind}\t{case.evidence_id}" for kind, result in found.items()
                 for case in result.cases)  # fmt: skip
    return hashlib.sha256("\n".join(ids).encode()).hexdigest()[:32]


#: A digest as :func:`evidence_digest` writes it (anything else is refused unechoed).
DIGEST = re.compile(r"[0-9a-f]{32}")


def _day(text: str, parameter: str) -> date:
    value = text.strip()
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise UsageError(
            "a day is written YYYY-MM-DD",
            value=value[:20],
            parameter=parameter,
            fix="type the day as 2026-03-31, or pick it from the calendar",
        ) from None


def _open_page(
    request: Request,
    caller: Caller,
    *,
    wanted: OpenRequest | None,
    found: dict[str, Any] | None = None,
    opened: dict[str, Any] | None = None,
    error: AdvocacyError | None = None,
    form: dict[str, Any] | None = None,
    confirmed: int | None = None,
) -> Response:
    """The form, with a check's counts (``found``) or what a confirmation opened (``opened``:
    kind -> its cases, read again after the redirect; how many were checked is not known
    then)."""
    rows: list[dict[str, Any]]
    if opened is not None:
        rows = [
            {"kind": kind, "checked": None, "count": len(cases), "undated": None,
             "undated_checked": False, "by_rule": _by_rule(cases)}
            for kind, cases in opened.items()
        ]  # fmt: skip
    else:
        rows = [
            {"kind": kind, "checked": result.checked, "count": len(result.cases),
             "undated": result.undated, "undated_checked": result.undated_checked,
             "by_rule": result.by_rule()}
            for kind, result in (found or {}).items()
        ]  # fmt: skip
    total = sum(row["count"] for row in rows)
    by_rule: dict[str, int] = {}
    for row in rows:
        for rule, count in row["by_rule"].items():
            by_rule[rule] = by_rule.get(rule, 0) + count
    return render(
        request,
        "cases_open.html.j2",
        {
            "form": form or (wanted.fields() if wanted else {"kinds": EVIDENCE_KINDS}),
            "kinds": EVIDENCE_KINDS,
            "rows": rows,
            "total": total,
            "by_rule": by_rule,
            "checked": found is not None,
            "opened": opened is not None,
            "bound": CASES_AT_ONCE,
            "error": error,
            "digest": evidence_digest(found) if found is not None and opened is None else "",
            "meanwhile": max(confirmed - total, 0) if confirmed is not None else 0,
        },
        caller=caller,
        status_code=error.status_code if error else 200,
    )


def _by_rule(cases: Sequence[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.rule_id] = counts.get(case.rule_id, 0) + 1
    return counts


#: What the confirmation's redirect says opened: the instant its cases opened (ISO 8601, as
#: :meth:`datetime.isoformat` writes it), or ``none`` when every one got a case meanwhile.
OPENED = re.compile(r"none|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00")


def _opened_after_redirect(
    request: Request, caller: Caller, wanted: OpenRequest, opened: str, confirmed: str
) -> Response:
    """What a confirmation opened, shown on the page its redirect leads to: the cases the
    caller opened at that instant, read again (a reload shows them again and opens nothing)."""
    try:
        if not OPENED.fullmatch(opened) or not confirmed.isdecimal() or len(confirmed) > 9:
            raise ValueError(opened)
        moment = None if opened == "none" else datetime.fromisoformat(opened)  # 25:61 raises
    except ValueError:
        error = UsageError(
            "this link does not say which opening to show",
            parameter="opened",
            fix="check again with the form",
        )
        return _open_page(request, caller, wanted=wanted, error=error)
    cases: list[Any] = []
    if moment is not None:
        state = web_state(request)
        with state.use:
            cases = state.ws.cases.opened_together(
                moment, actor=caller.principal.name, units=units_of(caller.principal)
            )
    by_kind = {kind: [case for case in cases if case.evidence_kind == kind]
               for kind in wanted.kinds}  # fmt: skip
    return _open_page(request, caller, wanted=wanted, opened=by_kind, confirmed=int(confirmed))


@router.get("/cases/open", response_class=HTMLResponse)
async def open_cases_page(
    request: Request,
    caller: LoopManager,
    since: str = "",
    until: str = "",
    kind: Annotated[list[str] | None, Query()] = None,
    include_undated: str = "",
    opened: str = "",
    confirmed: str = "",
) -> Response:
    """The form; with a first day, also what the case rules would open (nothing written); after
    a confirmation (``opened``, ``confirmed``: its redirect), what it opened."""
    if not since:
        return _open_page(request, caller, wanted=None)
    form = {"since": since[:20], "until": until[:20], "kinds": kind or EVIDENCE_KINDS,
            "include_undated": bool(include_undated)}  # fmt: skip
    try:
        wanted = OpenRequest.read(since, until, kind or (), include_undated)
    except UsageError as error:
        return _open_page(request, caller, wanted=None, error=error, form=form)
    if opened:
        return _opened_after_redirect(request, caller, wanted, opened[:40], confirmed[:20])
    return await submit_form(
        request,
        lambda state: wanted.run(state, actor=caller.principal.name, dry_run=True, at_most=None),
        done=lambda found: _open_page(request, caller, wanted=wanted, found=found),
    )


@router.post("/cases/open", response_class=HTMLResponse)
async def open_cases_confirmed(
    request: Request,
    caller: LoopManager,
    since: Annotated[str, Form()] = "",
    until: Annotated[str, Form()] = "",
    kind: Annotated[list[str] | None, Form()] = None,
    include_undated: Annotated[str, Form()] = "",
    expected: Annotated[str, Form()] = "",
    evidence: Annotated[str, Form()] = "",
) -> Response:
    """Open the cases the user saw and confirmed: at most as many as the check counted, on the
    evidence it listed.

    The confirmation is the user's yes (``advocacy cases open --yes``) to the number shown;
    more evidence arriving since would open more, so a larger count is refused and checked
    again, as is a set of evidence that changed (:func:`evidence_digest`). Evidence that got a
    case between that comparison and the write opens none, and the page says how many.
    """
    form = {"since": since[:20], "until": until[:20], "kinds": kind or EVIDENCE_KINDS,
            "include_undated": bool(include_undated)}  # fmt: skip
    try:
        wanted = OpenRequest.read(since, until, kind or (), include_undated)
        if not expected.isdecimal() or len(expected) > 9:
            raise UsageError(
                "the confirmation does not say how many cases it opens",
                value=expected[:20],
                parameter="expected",
                fix="check again, then confirm the count shown",
            )
        if not DIGEST.fullmatch(evidence):
            raise UsageError(
                "the confirmation does not say which evidence it opens cases on",
                parameter="evidence",
                fix="check again, then confirm the cases shown",
            )
    except UsageError as error:
        return _open_page(request, caller, wanted=None, error=error, form=form)
    at_most = int(expected)

    def confirmed_open(state: WebState) -> dict[str, Any]:
        # The set the user saw, not merely its size: new evidence in and some with a case
        # meanwhile give an equal count over other evidence (review9 item 5).
        now = wanted.run(state, actor=caller.principal.name, dry_run=True, at_most=None)
        if evidence_digest(now) != evidence:
            count = sum(len(result.cases) for result in now.values())
            raise UsageError(
                f"the cases that would open changed since your check ({count:,} now, on other "
                f"evidence than the {at_most:,} you confirmed: evidence arrived, or some got a "
                "case meanwhile); nothing was opened",
                parameter="evidence",
                fix="read the new list below and confirm it",
            )
        return wanted.run(state, actor=caller.principal.name, dry_run=False, at_most=at_most)

    def refused(error: UsageError) -> Response:
        if error.parameter == "evidence":
            state = web_state(request)
            with state.use:
                found = wanted.run(state, actor=caller.principal.name, dry_run=True, at_most=None)
            return _open_page(request, caller, wanted=wanted, found=found, error=error)
        if error.parameter != "at_most":
            return _open_page(request, caller, wanted=wanted, error=error, form=form)
        # More would open now than the user confirmed (new evidence): show the new count.
        state = web_state(request)
        with state.use:
            found = wanted.run(state, actor=caller.principal.name, dry_run=True, at_most=None)
        changed = UsageError(
            f"more cases would open now than the {at_most:,} you confirmed (evidence arrived "
            "since the check); nothing was opened",
            parameter="expected",
            fix="read the new count below and confirm it",
        )
        return _open_page(request, caller, wanted=wanted, found=found, error=changed)

    def done(opened: dict[str, Any]) -> Response:
        # Post/redirect/get: a reload of the result must not post the confirmation again.
        moments = {case.opened_at for result in opened.values() for case in result.cases}
        moment = max(moments, default=None)  # one batch opens its cases at one instant
        fields = wanted.fields()
        query = {
            "since": fields["since"],
            "until": fields["until"],
            "kind": list(wanted.kinds),
            **({"include_undated": "true"} if wanted.include_undated else {}),
            "opened": "none" if moment is None else moment.astimezone(UTC).isoformat(),
            "confirmed": str(at_most),
        }
        return RedirectResponse(
            "/cases/open?" + urlencode(query, doseq=True) + "#open-done", status_code=303
        )

    return await submit_form(
        request, confirmed_open, done=done, refused=refused, refusal=UsageError
    )


def _case(
    request: Request,
    caller: Caller,
    case_id: str,
    *,
    error: AdvocacyError | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    state = web_state(request)
    principal = caller.principal
    with state.use:
        detail = state.ws.cases.get(case_id, units=units_of(principal)).to_dict()
        case = shown(state, detail, principal)
        owners = state.ws.cases.owners(unit=detail["unit"])
        triggers = {rule.rule_id: rule.trigger for rule in state.ws.cases.rules()}
    status = detail["status"]
    reading = CASE_READING if triggers.get(str(detail.get("rule_id"))) in SENTIMENT_TRIGGERS else ""
    return render(
        request,
        "case.html.j2",
        {
            "case": case,
            "actions": [name for name in ACTIONS if status in ALLOWED_FROM[name]],
            "can_work": principal.can(Permission.work_cases),
            "owners": owners,
            "error": error,
            "form": form or {},
            "reading": reading,
        },
        caller=caller,
        status_code=400 if error else 200,
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_page(case_id: str, request: Request, caller: Reader) -> Response:
    return _case(request, caller, case_id)


@router.post("/cases/{case_id}", response_class=HTMLResponse)
async def work_case_page(
    case_id: str,
    request: Request,
    caller: Worker,
    action: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
    root_cause: Annotated[str, Form()] = "",
    action_taken: Annotated[str, Form()] = "",
    owner: Annotated[str, Form()] = "",
    follow_up: Annotated[str, Form()] = "",
) -> Response:
    principal = caller.principal
    form = {"action": action, "text": text, "root_cause": root_cause}
    form.update({"action_taken": action_taken, "owner": owner, "follow_up": follow_up})
    return await submit_form(
        request,
        lambda state: state.ws.cases.work(
            case_id,
            action,
            actor=principal.name,
            text=text or None,
            root_cause=root_cause or None,
            action_taken=action_taken or None,
            owner=owner or None,
            follow_up=follow_up in ("on", "true", "1"),
            units=units_of(principal),
        ),
        done=lambda _: RedirectResponse(f"/cases/{case_id}", status_code=303),
        refused=lambda error: _case(request, caller, case_id, error=error, form=form),
        refusal=UsageError,
    )
