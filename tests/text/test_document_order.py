"""Texts are read in one order on every engine (review6 item 2): the themes discovered and the
calibration's folds follow the texts' order, and PostgreSQL returned the rows in another order
than DuckDB, so the same file gave other themes. Kinds as asked, then by id."""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.text.documents import load_documents


def test_texts_come_in_kind_then_id_order_whatever_the_order_written(
    db_url: str, tmp_path: Path
) -> None:
    responses = tmp_path / "responses.csv"
    responses.write_text(
        "response_id,customer_id,submitted_at,nps,comment\n"
        "R3,C3,2026-11-03,3,Late again\n"
        "R1,C1,2026-11-01,9,Friendly staff\n"
        "R2,C2,2026-11-02,5,Fine I guess\n",
        encoding="utf-8",
    )
    mentions = tmp_path / "mentions.csv"
    mentions.write_text(
        "mention_id,text,platform\nM2,Broke in a week,store\nM1,Love the colour,store\n",
        encoding="utf-8",
    )
    with advocacy.open(db_url) as ws:
        ws.import_file(mentions, kind="mentions", cases=False)
        ws.import_file(responses, kind="responses", cases=False)
        found = load_documents(ws.db)
        mentions_first = load_documents(ws.db, ["mention", "response"])
    assert list(found["document_id"]) == ["R1", "R2", "R3", "M1", "M2"]
    assert list(mentions_first["document_id"]) == ["M1", "M2", "R1", "R2", "R3"]
