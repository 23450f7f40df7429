"""The whole ask path in Debian's Chromium against a real uvicorn server.

A promoter answers the hosted survey through their signed link and the thank-you page shows the
campaign's referral prompt; they open it and get the link to share; a friend opens that link,
leaves a name and e-mail with consent and is recorded as a referral; a later transactions import
carries the friend's referral code and converts it; the Advocates > Asks page then shows the
converted referral in the asked group against the control group. Screenshots land in
``test-artifacts/web/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import advocacy
from advocacy.access import add_user
from advocacy.loop.asks.audience import arm_of
from advocacy.present.web import create_app
from support.live_server import free_port, serving
from web.site import PASSWORD
from web.test_browser import ARTIFACTS, Visit, _all_drawn, chromium

__all__ = ["chromium"]  # a fixture shared with test_browser

CAMPAIGN = {
    "id": "thanks-refer",
    "name": "Refer a friend <b>after</b> a 10",
    "audience": {"kind": "recent-promoters"},
    "action": "refer",
    "channel": "survey-prompt",
    "targets": {"welcome": "https://shop.example.com/welcome"},
    "seed": 4,
    "final_n": 200,
}


@pytest.fixture(scope="module")
def ask_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    folder = tmp_path_factory.mktemp("asks-browser")
    url = str(folder / "advocacy.duckdb")
    port = free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ADVOCACY_SECRET_KEY", "browser-test-key")
        patch.setenv("ADVOCACY_PUBLIC_URL", f"http://localhost:{port}")
        with advocacy.open(url) as ws:
            for index in range(40):
                ws.db.execute(
                    "INSERT INTO customers (customer_id, name, email) VALUES (?, ?, ?)",
                    [f"C{index:02d}", f"Customer {index}", f"c{index:02d}@example.com"],
                )
            add_user(ws.db, "ana", role="analyst", password=PASSWORD)
        app = create_app(url)
        with serving(app, port=port, name="localhost") as base:
            yield base, app.state.web


def test_a_promoters_referral_is_recorded_converted_and_measured_against_control(
    chromium: Any, ask_server: tuple[str, Any], tmp_path: Path
) -> None:
    base, state = ask_server
    with state.use:
        campaign = state.ws.asks.add(CAMPAIGN, actor="ana")
        asked = [f"C{i:02d}" for i in range(40) if arm_of(campaign, f"C{i:02d}") == "ask"]
        promoter, others = asked[0], [f"C{i:02d}" for i in range(40) if f"C{i:02d}" != asked[0]]
        # Other promoters answered earlier: the campaign assigned each of them to an arm.
        for customer_id in others:
            state.ws.asks.prompt(customer_id, 10)
        [link] = state.ws.surveys.links("default", customers=[promoter]).links
    control = sum(arm_of(campaign, c) == "control" for c in others)
    assert control > 0

    # The promoter answers and sees the prompt on the thank-you page.
    advocate = chromium.new_context(viewport={"width": 390, "height": 844})
    page = advocate.new_page()
    page.goto(link["url"])
    page.get_by_text("10", exact=True).first.click()
    page.get_by_label("What is the main reason").fill("Fast delivery, lovely staff.")
    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_selector("h2:has-text('Would you tell a friend?')")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ask-prompt.png"), full_page=True)
    page.get_by_role("link", name="Get your link to share").click()
    page.wait_for_url(f"{base}/r/*/share")
    shared = page.get_by_label("Your invitation link").input_value()
    assert shared.startswith(f"{base}/r/") and "<" not in shared
    advocate.close()

    # A friend opens the shared link, leaves their details with consent, and gets a code.
    friend = chromium.new_context(viewport={"width": 390, "height": 844})
    page = friend.new_page()
    page.goto(shared)
    page.get_by_label("Your name (optional)").fill("Zoë <script>alert(1)</script>")
    page.get_by_label("Your e-mail (optional)").fill("zoe@example.org")
    page.get_by_label("I agree that the company may contact me").check()
    page.get_by_role("button", name="Accept the invitation").click()
    page.wait_for_selector("#referral-code")
    code = page.locator("#referral-code").inner_text()
    assert len(code) == 8
    assert page.get_by_role("link", name="Continue").get_attribute("href") == (
        "https://shop.example.com/welcome"
    )
    page.screenshot(path=str(ARTIFACTS / "ask-landed.png"), full_page=True)
    friend.close()
    with state.use:
        recorded = state.ws.db.fetchall(
            "SELECT referrer_id, referred_contact, code FROM referrals WHERE channel = ?",
            ["ask:thanks-refer"],
        )
    assert recorded == [(promoter, "zoe@example.org", code)]

    # Later, the shop's transactions arrive: the friend bought with the code.
    purchases = tmp_path / "transactions.csv"
    purchases.write_text(
        "transaction_id,customer_id,occurred_at,amount,referral_code\n"
        f"T-1,NEW-1,2099-01-01,120.50,{code}\n",
        encoding="utf-8",
    )
    with state.use:
        state.ws.import_file(purchases, kind="transactions")
    state.wrote()

    visit = Visit(chromium, base)
    try:
        visit.sign_in("ana")
        page = visit.page
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Advocates").click()
        page.get_by_role("link", name="Asks", exact=True).click()
        page.wait_for_url(base + "/advocates/asks")
        assert page.get_by_role("heading", name=CAMPAIGN["name"]).is_visible()  # escaped text
        converted = page.locator("tr[data-outcome='converted referral']").inner_text()
        cells = converted.split("\t")
        assert cells[1].startswith("1 of ") and cells[2] == f"0 of {control}", cells
        assert page.locator(".verdict").first.inner_text() == "too early"  # an interim look
        assert _all_drawn(visit.charts_drawn())
        visit.shot("asks")
        assert visit.errors == [] and visit.foreign == []
    finally:
        visit.close()
