"""A client with purchases and no survey answers (the CDNOW sample of Fader, Hardie & Lee 2005)
sees on the Overview what its purchases say, not only "No survey answers yet".

Buyers and repeat buyers are counted here from the source file (a repeat buyer bought on more
than one day); the slipping-away count is the Advocates page's list (its values are checked
against the file in ``test_purchases_only.py``).
"""

from __future__ import annotations

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from support.page_text import page_words

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def url(cdnow: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("cdnow-overview")
    source = folder / "cdnow.txt"  # as CDNOW's master is written, imported without a mapping
    written = cdnow.assign(date=cdnow["date"].dt.strftime("%Y%m%d"))
    written.rename(columns={"amount": "dollar_value", "quantity": "number_of_cds"})[
        ["customer_id", "date", "number_of_cds", "dollar_value"]
    ].to_csv(source, sep=" ", index=False)
    url = str(folder / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="transactions")
    return url


def test_the_overview_counts_buyers_and_who_is_slipping_away(url: str, cdnow: pd.DataFrame) -> None:
    days = cdnow.groupby("customer_id")["date"].nunique()
    buyers, repeat = len(days), int((days > 1).sum())
    with advocacy.open(url) as ws:
        slipping = len(ws.retention.slipping_away(horizon=52))
        analyst = create_token(ws.db, role="analyst", name="ana").secret
        handler = create_token(ws.db, role="case-handler", name="cy", units=["North"]).secret
    assert 0 < slipping < repeat < buyers
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get("/", headers={"Authorization": f"Bearer {analyst}"})
        limited = client.get("/", headers={"Authorization": f"Bearer {handler}"})
    assert page.status_code == 200, page.text[:300]
    said = page_words(page.text)
    assert (
        f"{buyers:,} buyers, {repeat:,} bought on more than one day; {slipping:,} repeat "
        "buyers slipping away (more likely gone than active): see Advocates ." in said
    )
    assert "No survey answers yet" in said
    # A user limited to some units sees no count of every unit's customers.
    assert limited.status_code == 200
    assert "buyers" not in page_words(limited.text)
