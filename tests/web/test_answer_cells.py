"""The answers page of answers without a customer and with giant comments (audit2 N5): no
"nan" customer links, a giant comment cut with its length, the customer's page showing it whole.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.present.web.pages.text_cells import TEXT_CELL_CHARACTERS, cut_text

GIANT = "The refund never came and nobody answered. " * 5_000  # 220,000 characters
NAMED = "C-1"


@pytest.fixture(scope="module")
def answers_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    folder = tmp_path_factory.mktemp("answers")
    source = folder / "responses.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["response_id", "customer_id", "submitted_at", "nps", "comment"])
        writer.writerow(["R1", "", "2026-11-02", "3", GIANT])
        writer.writerow(["R2", "", "2026-11-03", "9", "Quick and friendly."])
        writer.writerow(["R3", NAMED, "2026-11-01", "2", GIANT])
    url = str(folder / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="responses")
        token = create_token(ws.db, role="analyst", name="ana").secret
    with TestClient(create_app(url), base_url="https://testserver") as client:
        yield client, token


def _get(site: tuple[TestClient, str], path: str) -> str:
    client, token = site
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_answers_without_a_customer_link_to_no_one(answers_site: tuple[TestClient, str]) -> None:
    page = _get(answers_site, "/answers")
    links = re.findall(r'href="/customers/([^"]*)"', page)
    assert links == [NAMED]
    assert "nan" not in re.sub(r"<[^>]+>", " ", page).split()
    # Moments are still shown as people read them, not as ISO text.
    assert ">2026-11-03 00:00<" in page and "2026-11-03T00:00" not in page


def test_a_giant_comment_is_cut_with_its_length_and_whole_through_the_api(
    answers_site: tuple[TestClient, str],
) -> None:
    page = _get(answers_site, "/answers")
    assert len(page) < 3 * TEXT_CELL_CHARACTERS + 20_000  # two cut comments, not 440,000 chars
    shown = html.unescape(page)
    assert shown.count(f"(cut: {len(GIANT):,} characters in all)") == 2
    assert "Quick and friendly." in shown
    cut, length = cut_text(GIANT)
    assert length == len(GIANT) and shown.count(cut) == 2
    kept = cut.removesuffix("…")
    assert GIANT.startswith(kept) and GIANT[len(kept)] == " "  # ends at a word
    assert TEXT_CELL_CHARACTERS // 2 < len(cut) <= TEXT_CELL_CHARACTERS
    # The customer's page cuts it at 20,000 characters and says where to read it whole.
    customer = html.unescape(_get(answers_site, f"/customers/{NAMED}"))
    assert GIANT.strip() not in customer and cut_text(GIANT, 20_000)[0] in customer
    assert f"Read it whole: <code>GET /api/v1/customers/{NAMED}</code>" in customer
    assert GIANT.strip() in html.unescape(_get(answers_site, f"/api/v1/customers/{NAMED}"))


def test_a_cut_ends_at_a_word_and_a_short_text_is_left_alone() -> None:
    assert cut_text("word " * 10, 12) == ("word word…", 50)
    assert cut_text("x" * 30, 12) == ("x" * 11 + "…", 30)  # no word to end at
    assert cut_text("fine", 12) == ("fine", None)
    assert cut_text(float("nan")) == ("", None)
