"""The text page's theme cards and its table of each theme's strongest sentences come from one
ranking of the sentences (``ws.text.theme_quote_sets``), on the demo."""

from __future__ import annotations

import pandas as pd
from fastapi.testclient import TestClient

from web.site import Site, bearer


def test_one_ranking_gives_both_the_cards_quotes_and_the_table(client: TestClient) -> None:
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        ws = state.ws
        units = sorted({str(unit) for (unit,) in ws.db.fetchall("SELECT unit FROM responses")})
        for where in (None, {"unit": units[:1]}):
            quotes, sentences = ws.text.theme_quote_sets(count=2, where=where)
            assert not quotes.empty and sentences["negative_sentence"].notna().any()
            pd.testing.assert_frame_equal(quotes, ws.text.theme_quotes(count=2, where=where))
            pd.testing.assert_frame_equal(sentences, ws.text.theme_sentences(where=where))


def test_the_text_page_ranks_the_sentences_once(client: TestClient, site: Site) -> None:
    state = client.app.state.web  # type: ignore[attr-defined]
    page = client.get("/text", headers=bearer(site, "analyst"))
    assert page.status_code == 200
    with state._cache_lock:
        keys = [key for key in state._cache if isinstance(key, tuple)]
    assert [key[0] for key in keys].count("theme-quote-sets") == 1
    assert not [key for key in keys if key[0] == "theme-quotes"]
    _, sentences = next(state._cache[key].value for key in keys if key[0] == "theme-quote-sets")
    # The table on the page is the one ranked with the cards.
    shown = next(
        state._cache[key].value
        for key in keys
        if key[0] == "topic" and key[1] == "text.theme_sentences"
    )
    # With which reading made each side's sentiment beside it (webcal).
    readings = ["negative_reading", "positive_reading"]
    pd.testing.assert_frame_equal(shown.drop(columns=readings), sentences)
    assert set(shown[readings].stack()) <= {"calibration", "model alone"}
