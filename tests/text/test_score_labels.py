"""The labels a workspace's scores give its comments: a non-answer's score labels nothing."""

from __future__ import annotations

from pathlib import Path

import advocacy
from advocacy.text.score_labels import labelled_texts


def test_a_score_beside_a_non_answer_labels_no_text(tmp_path: Path) -> None:
    rows = [
        ("r1", "10", "Friendly staff and a quick refund"),
        ("r2", "0", "The parcel never came and nobody answered my emails"),
        ("r3", "2", "N/A"),
        ("r4", "9", "Nothing"),
        ("r5", "1", "-"),
        ("r6", "10", "no comment"),
        ("r7", "8", "Nothing went wrong and all was fine"),
    ]
    path = tmp_path / "survey.csv"
    path.write_text(
        "response_id,nps,comment\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows), "utf-8"
    )
    with advocacy.open(str(tmp_path / "workspace.duckdb")) as ws:
        ws.import_file(path, kind="responses")
        texts = labelled_texts(ws.table("responses"))
    labelled = {text: label for text, label, _ in texts.values()}
    assert labelled == {
        "Friendly staff and a quick refund": "positive",
        "The parcel never came and nobody answered my emails": "negative",
        "Nothing went wrong and all was fine": "neutral",
    }
