"""``load_documents`` on the workspace's own engine (SQL, no Ibis) gives the frame the Ibis
selection gives (the one Spark runs): the same rows, order, values and dtypes."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pandas as pd

import advocacy
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table
from advocacy.text.documents import check_kinds, document_table, in_document_order, load_documents


def _through_ibis(db: Database, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    chosen = check_kinds(kinds)
    combined = document_table(functools.partial(steady_table, db), chosen).to_pandas()
    return in_document_order(combined, chosen)


def test_documents_in_sql_equal_the_ibis_selection(db_url: str) -> None:
    with advocacy.open(db_url, create=True) as ws:
        pd.testing.assert_frame_equal(load_documents(ws.db), _through_ibis(ws.db))  # empty
        ws.write_records(
            "responses",
            [
                {"response_id": "r1", "comment": "Fine <b>x</b>", "nps": 9,
                 "submitted_at": "2026-01-02T03:04:05+02:00"},
                {"response_id": "r2", "comment": " \t\n ", "nps": 1},
                {"response_id": "r3", "comment": "No score"},
                {"response_id": "r10", "comment": "日本語 ok", "nps": 0},
                {"response_id": "r4", "comment": "\u00a0\u3000"},  # Unicode spaces: no text
            ],
        )  # fmt: skip
        ws.write_records(
            "mentions",
            [
                {
                    "mention_id": "m1",
                    "text": "=cmd|x",
                    "rating": 2,
                    "posted_at": "2025-05-05T00:00:00Z",
                }
            ],
        )
        loaded = load_documents(ws.db)
        assert loaded["document_id"].tolist() == ["r1", "r10", "r3", "m1"]
        for kinds in (None, ["mention", "response"], ["note"]):
            pd.testing.assert_frame_equal(load_documents(ws.db, kinds), _through_ibis(ws.db, kinds))


def test_a_title_comes_before_the_text_in_sql_and_in_ibis(db_url: str) -> None:
    with advocacy.open(db_url, create=True) as ws:
        ws.write_records(
            "mentions",
            [
                {"mention_id": "m1", "title": "Some major design flaws",
                 "text": "I had such high hopes for this dress."},
                {"mention_id": "m2", "title": " \t ", "text": "Fine."},
                {"mention_id": "m3", "title": "Love it", "text": "Love it"},
                {"mention_id": "m4", "title": "<b>=1+1</b>", "text": "\u00a0\u3000"},
                {"mention_id": "m5", "title": "\u00a0", "text": "Ok"},
            ],
        )  # fmt: skip
        ws.write_records(
            "responses",
            [{"response_id": "r1", "title": "Slow", "comment": "Took 3 weeks", "nps": 3}],
        )
        loaded = load_documents(ws.db)
        pd.testing.assert_frame_equal(loaded, _through_ibis(ws.db))
    assert dict(zip(loaded["document_id"], loaded["text"], strict=True)) == {
        "r1": "Slow\nTook 3 weeks",
        "m1": "Some major design flaws\nI had such high hopes for this dress.",
        "m2": "Fine.",
        "m3": "Love it",
        "m4": "<b>=1+1</b>",  # a title and no text (Unicode spaces only): the title is the text
        "m5": "Ok",  # a title of a space alone is none
    }
