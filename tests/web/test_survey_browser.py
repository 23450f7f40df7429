"""The hosted survey in Debian's Chromium on a phone-sized screen, against a real uvicorn server.

A detractor answers through their signed link and a case opens; the case is resolved with a
follow-up survey, and the follow-up is answered through its own link, which joins the re-score
to the case. Screenshots land in ``test-artifacts/web/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from advocacy.loop.cases.rule_store import ensure_default_rules
from advocacy.loop.cases.work import contact_case, resolve_case
from advocacy.loop.surveys.invitations import invite
from advocacy.present.web import create_app
from support.live_server import free_port, serving
from web.site import Site, prepare_site
from web.test_browser import ARTIFACTS, chromium  # noqa: F401 - a fixture

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def survey_server(
    demo_directory: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Any, Site]]:
    site = prepare_site(demo_directory, tmp_path_factory.mktemp("survey-browser"))
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "browser-test-key")
        patch.setenv("ADVOCACY_PUBLIC_URL", f"http://localhost:{port}")
        app = create_app(site.url)
        with serving(app, port=port, name="localhost") as url:
            yield url, app.state.web, site


def _answer(browser: Any, url: str, *, nps: int, comment: str, shot: str) -> str:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    foreign: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(url.split("/s/")[0]) else (foreign.append(request.url))
        ),
    )
    page.goto(url)
    page.get_by_text(str(nps), exact=True).first.click()  # the large 0-10 tap target
    page.get_by_label("What is the main reason").fill(comment)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}-form.png"), full_page=True)
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_selector("h1:has-text('Thank you')")
    page.screenshot(path=str(ARTIFACTS / f"{shot}-thanks.png"), full_page=True)
    text: str = page.inner_text("main")
    context.close()
    assert not foreign, foreign
    return text


def test_a_detractor_answers_a_case_opens_and_the_follow_up_is_answered(
    chromium: Any,  # noqa: F811 - the fixture imported above
    survey_server: tuple[str, Any, Site],
) -> None:
    base, state, site = survey_server
    customer = site.north_customer
    with state.use:
        ensure_default_rules(state.ws.db)
        first = invite(
            state.ws.db,
            survey_id="default",
            customer_id=customer,
            purpose="follow-up",
            settings=state.ws.settings,
        )
    assert first.url.startswith(base + "/s/")
    _answer(chromium, first.url, nps=2, comment="Broken on arrival, no reply.", shot="survey")

    with state.use:
        db = state.ws.db
        [(case_id,)] = db.fetchall(
            "SELECT case_id FROM cases WHERE evidence_id = ?", ["web-" + first.invitation_id]
        )
        contact_case(
            db, case_id, actor="ada", text="called, replacement sent", settings=state.ws.settings
        )
        resolve_case(db, case_id, actor="ada", follow_up=True, settings=state.ws.settings)
    [follow] = _follow_up_links(state, case_id)
    assert follow.startswith(base + "/s/")
    thanks = _answer(
        chromium, follow, nps=9, comment="Sorted quickly, thank you.", shot="follow-up"
    )
    assert "Thank you" in thanks
    with state.use:
        answered = state.ws.db.fetchall(
            "SELECT r.customer_id, r.nps FROM survey_invitations i "
            "JOIN responses r ON r.response_id = i.response_id WHERE i.case_id = ?",
            [case_id],
        )
    assert answered == [(customer, 9)]


def _follow_up_links(state: Any, case_id: str) -> list[str]:
    """The follow-up link recorded in the case's resolve event."""
    import json

    with state.use:
        rows = state.ws.db.fetchall(
            "SELECT detail FROM case_events WHERE case_id = ? AND kind = 'resolve'", [case_id]
        )
    return [json.loads(row[0])["url"] for row in rows if row[0]]
