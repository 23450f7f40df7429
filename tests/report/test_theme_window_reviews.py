"""A date window keeps a workspace of reviews' stored themes (review27 finding 18): the window
counts the reviews posted in it, whatever kind of text holds the themes, in ``ws.text.themes``,
the report and the web's date filter; and a window no themed text falls in says the themes are
stored, never "none are stored"."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.report.section import ReportScope, report_run
from advocacy.report.sections.text import build

DELIVERY = [
    "The parcel arrived two weeks late and the courier lost it once.",
    "Delivery was slow, the parcel came after three weeks.",
    "The courier left the parcel in the rain.",
    "Late delivery again, the parcel was damaged.",
]
OTHER = [
    "Lovely soft fabric, I wear it every day.",
    "Beautiful colour and a great fit.",
    "Well made and warm, very happy with it.",
    "Nice stitching and a flattering cut.",
]
SPRING = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def _workspace(tmp_path: Path) -> str:
    rows = [(text, 5, f"2026-08-{10 + i:02d}") for i, text in enumerate(OTHER)]  # no theme
    for month, day in ((2, 10), (5, 12)):  # a winter review and a spring one of each text
        rows += [
            (text, 1 + i % 2, f"2026-{month:02d}-{day + i:02d}") for i, text in enumerate(DELIVERY)
        ]
        rows += [
            (text, 4 + i % 2, f"2026-{month:02d}-{day + i:02d}") for i, text in enumerate(OTHER)
        ]
    frame = pd.DataFrame(
        {
            "mention_id": [f"m{i}" for i in range(len(rows))],
            "text": [text for text, _, _ in rows],
            "rating": [stars for _, stars, _ in rows],
            "posted_at": [day for _, _, day in rows],
            "platform": "shop",
        }
    )
    frame.to_csv(tmp_path / "reviews.csv", index=False)
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(
        "themes:\n  - name: Delivery\n    keywords: [parcel, courier, delivery]\n",
        encoding="utf-8",
    )
    url = str(tmp_path / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(tmp_path / "reviews.csv", kind="mentions", cases=False)
        ws.text.analyze(taxonomy=taxonomy)
    return url


def test_a_window_counts_the_reviews_posted_in_it(tmp_path: Path) -> None:
    url = _workspace(tmp_path)
    since, until = SPRING
    with advocacy.open(url) as ws:
        everything = ws.text.themes()
        inside = ws.text.themes(since=since, until=until)
        with report_run():
            report = re.sub(r"\s+", " ", html.unescape(str(build(ws, ReportScope(*SPRING)).body)))
        with report_run():
            summer = re.sub(
                r"\s+",
                " ",
                html.unescape(
                    str(build(ws, ReportScope(dt.date(2026, 8, 1), dt.date(2026, 8, 31))).body)
                ),
            )
        members = {doc for _, _, doc in ws.text.theme_members()}
        posted = ws.db.ibis.table("mentions").select("mention_id", "posted_at").to_pandas()
        token = create_token(ws.db, role="analyst", name="ana").secret
    day = dict(zip(posted["mention_id"], posted["posted_at"].dt.date, strict=True))
    spring = sum(since <= day[doc] <= until for doc in members)
    assert int(everything["size"].iloc[0]) == len(members) >= 8
    assert spring >= 4 and spring < len(members)
    assert inside["name"].tolist() == ["Delivery"]
    assert int(inside["size"].iloc[0]) == spring
    assert "Delivery" in report and f"{spring} texts" in report
    assert "none are stored" not in report
    assert "Rating effect" in report  # its reviews are rated: tested in the window too
    # A window no text falls in: the stored themes are named as stored, none grouped here.
    assert "none are stored" not in summer and "grouped for this report only" not in summer
    assert "Themes are stored, but none has a text in this report's dates" in summer
    with TestClient(create_app(url), base_url="https://testserver") as client:
        page = client.get(
            f"/text?since={since}&until={until}", headers={"Authorization": f"Bearer {token}"}
        )
    assert page.status_code == 200
    cards = re.findall(r'<li class="card".*?</li>', page.text, flags=re.S)
    assert len(cards) == 1 and "<h3>Delivery" in cards[0], page.text[-3000:]
    assert f"{spring} comments" in cards[0]
    assert "Rating effect" in cards[0]
