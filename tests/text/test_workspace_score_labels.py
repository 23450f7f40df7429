"""A workspace's labelled texts are the same asked in SQL on its engine as asked through Ibis.

``text analyze`` asks a workspace for its labelled texts before its workers can start; in SQL on
the workspace's own engine that costs no Ibis import (about 0.3 CPU s in a new process). The
Ibis selection stays what Spark runs (:func:`labelled_texts` on Parquet tables), so both must
label the same texts the same way: whitespace-only and non-answer comments, overall-rating
items of any case beside other kinds, two items on one answer, reviews on several scales, and
hostile text, on both engines.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import advocacy
from advocacy.text.documents import document_table
from advocacy.text.score_labels import labelled_texts, workspace_labelled_texts

PAYLOAD = "<script>alert('x')</script> =HYPERLINK(\"http://evil\") slow refund"

RESPONSES = [
    {"response_id": "r01", "comment": "Great shop  ", "nps": 10},
    {"response_id": "r02", "comment": "\t\n ", "nps": 0},
    {"response_id": "r03", "comment": "\x0b\x0c ", "nps": 3},
    {"response_id": "r04", "comment": PAYLOAD, "csat": 2, "csat_scale_min": 1, "csat_scale_max": 5},
    {"response_id": "r05", "comment": "The box was fine"},
    {"response_id": "r06", "comment": "Stars only, broken lid"},
    {"response_id": "r07", "comment": "Two ratings on one answer"},
    {"response_id": "r08", "comment": "Easy to return", "ces": 7, "ces_scale_min": 1,
     "ces_scale_max": 7},
    {"response_id": "r09", "comment": "No score at all"},
    {"response_id": "r10", "comment": "N/A", "nps": 9},
    {"response_id": "r11", "comment": "Ça marche très bien, 日本語も", "nps": 9},
]  # fmt: skip
#: (response, item, kind, value, scale_min, scale_max) rows of ``response_items``.
ITEMS = [
    ("r05", "Overall Rating", "rating", 5.0, 1.0, 5.0),
    ("r06", "STARS", "rating", 1.0, None, None),
    ("r06", "rating", "importance", 5.0, 1.0, 5.0),
    ("r07", "stars", "rating", 5.0, 1.0, 5.0),
    ("r07", "overall", "rating", 1.0, 1.0, 5.0),
    ("r09", "speed", "rating", 1.0, 1.0, 5.0),
]
#: Reviews by import: each import's ratings are read on its own scale (1-5, 0-10, none).
MENTIONS = [
    [
        {"mention_id": "m1", "text": "Awful, never again", "rating": 1},
        {"mention_id": "m3", "text": "Lovely", "rating": 5},
        {"mention_id": "m8", "text": PAYLOAD, "rating": 2},
    ],
    [
        {"mention_id": "m4", "text": "Middling app", "rating": 7},
        {"mention_id": "m5", "text": "Best app", "rating": 10},
        {"mention_id": "m6", "text": "Zero stars", "rating": 0},
    ],
    [{"mention_id": "m7", "text": "Off the scale", "rating": 150}],
]


def _workspace(url: str) -> advocacy.Workspace:
    ws = advocacy.open(url, create=True)
    ws.write_records("responses", RESPONSES)
    for reviews in MENTIONS:
        ws.write_records("mentions", reviews)
    # A blank review (an import refuses one; an older workspace may hold it).
    ws.db.execute(
        "INSERT INTO mentions (mention_id, text, rating, source) VALUES ('m2', ' \t ', 5, 'shop')"
    )
    for row in ITEMS:
        ws.db.execute(
            "INSERT INTO response_items (response_id, item, kind, value, scale_min, scale_max) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            row,
        )
    return ws


def _through_ibis(ws: advocacy.Workspace) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """The Ibis selection (what Spark runs on Parquet tables) of the workspace's tables."""
    table = ws.db.ibis.table
    return labelled_texts(
        table("responses"),
        items=table("response_items"),
        mentions=table("mentions"),
        taught=table("text_labels"),
        documents=document_table(table),
    )


def test_sql_and_ibis_label_the_same_texts(db_url: str, tmp_path: Path) -> None:
    with _workspace(db_url) as ws:
        found = workspace_labelled_texts(ws.db)
        assert found == _through_ibis(ws)
        assert {key: label for key, (_, label, _) in found.items()} == {
            ("response", "r01"): "positive",
            ("response", "r04"): "negative",  # CSAT 2 of 1-5
            ("response", "r05"): "positive",  # "Overall Rating" 5 of 1-5
            ("response", "r06"): "negative",  # "STARS" 1 (1-5 by default), not the importance
            ("response", "r07"): "negative",  # "overall" sorts before "stars"
            ("response", "r08"): "positive",  # CES 7 of 1-7: easy
            ("response", "r11"): "positive",
            ("mention", "m1"): "negative",
            ("mention", "m3"): "positive",
            ("mention", "m4"): "neutral",  # 7 of 0-10
            ("mention", "m5"): "positive",
            ("mention", "m6"): "negative",
            ("mention", "m8"): "negative",
        }
        assert found[("response", "r04")][0] == PAYLOAD  # the text as written, not altered
        assert found[("response", "r01")][0] == "Great shop  "

        # A taught label replaces the score's, as through Ibis.
        teach = tmp_path / "teach.csv"
        teach.write_text(
            "document_id,kind,sentiment\nr01,response,negative\nm8,mention,positive\n", "utf-8"
        )
        ws.text.teach(teach)
        taught = workspace_labelled_texts(ws.db)
        assert taught == _through_ibis(ws)
        assert taught[("response", "r01")] == ("Great shop  ", "negative", True)
        assert taught[("mention", "m8")] == (PAYLOAD, "positive", True)


_LABELLED = """
import json, sys
import advocacy
from advocacy.text.score_labels import workspace_labelled_texts
with advocacy.open("duckdb:///" + sys.argv[1]) as ws:
    found = workspace_labelled_texts(ws.db)
print(json.dumps({"labels": len(found), "ibis": "ibis" in sys.modules}))
"""


def test_the_labelled_texts_of_a_workspace_need_no_ibis(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _workspace(f"duckdb:///{db}").close()
    done = subprocess.run(
        [sys.executable, "-c", _LABELLED, str(db)], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == {"labels": 13, "ibis": False}
