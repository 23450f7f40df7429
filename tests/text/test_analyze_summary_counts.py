"""``text analyze``'s summary: its counts agree line with line, and no line is empty or stale.

Audit finding 13: on Olist the calibration line said "pt 2,538" where the next line said
"pt 2,534" (the calibration counted the scores of non-answers as labelled Portuguese texts),
the "not supported by language" row was printed empty, and an analyze right after
``text teach`` said "no material change" about the fit teach had just made.
"""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import advocacy_cli

ROWS = [
    ("e1", 2, "The parcel arrived two days late and the courier was rude to me."),
    ("e2", 9, "Lovely staff and a quick refund when I asked for one."),
    ("e3", 10, "Great service and the delivery came a day early."),
    ("d1", 9, "Der Kundendienst war sehr freundlich und hat mir schnell geholfen."),
    ("d2", 3, "Die Lieferung kam viel zu spät und niemand hat zurückgerufen."),
    ("d3", 1, "Das Paket war beschädigt und die Ware unbrauchbar."),
    ("n1", 7, "Keine Angabe"),
    ("n2", 7, "Nichts hinzuzufügen."),
]


def _workspace(tmp_path: Path, rows: list[tuple[str, int, str]]) -> str:
    path = tmp_path / "responses.csv"
    lines = ["response_id,submitted_at,nps,comment"]
    lines += [f'{key},2024-03-01,{nps},"{text}"' for key, nps, text in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = str(tmp_path / "w.duckdb")
    ran = advocacy_cli("--create", "import", str(path), "--kind", "responses", "--db", url)
    assert ran.returncode == 0, ran.stderr
    return url


def _analyze(url: str, tmp_path: Path, *options: str) -> str:
    ran = advocacy_cli("text", "analyze", *options, "--db", url, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    return ran.stdout


def test_calibration_counts_the_languages_as_the_summary_does(tmp_path: Path) -> None:
    url = _workspace(tmp_path, ROWS)
    summary = json.loads(_analyze(url, tmp_path, "--format", "json"))
    assert summary["not supported by language (this run)"] == {"de": 3}
    assert summary["non-answers (this run)"] == 2
    # The non-answers' scores label no text (score_labels), so only the German texts count.
    assert (
        "3 labelled texts in languages the model does not read left out (de 3)"
        in (summary["calibration"])
    )
    assert summary["calibration labels"] == 3


def test_a_rerun_says_the_fit_was_kept_because_no_label_changed(tmp_path: Path) -> None:
    url = _workspace(tmp_path, ROWS)
    _analyze(url, tmp_path)
    again = json.loads(_analyze(url, tmp_path, "--format", "json"))
    assert again["calibration"] == "kept: 3 labels, none changed since it was fitted"


def test_no_empty_row_when_every_text_is_read(tmp_path: Path) -> None:
    url = _workspace(tmp_path, ROWS[:3])
    table = _analyze(url, tmp_path)
    assert "language not supported" in table and "non-answers" in table
    assert "not supported by language" not in table
    assert "none of 3 stored texts" in table
    shown = _analyze(url, tmp_path, "--format", "json")
    assert json.loads(shown)["not supported by language (this run)"] == {}


def test_a_rerun_still_says_how_many_stored_texts_are_not_read(tmp_path: Path) -> None:
    # review27 finding 5: a re-run that read nothing said "language not supported 0" and
    # "non-answers 0" for a workspace whose texts were nearly all unread.
    url = _workspace(tmp_path, ROWS)
    _analyze(url, tmp_path)
    again = json.loads(_analyze(url, tmp_path, "--format", "json"))
    assert (again["analysed"], again["language not supported (this run)"]) == (0, 0)
    assert again["not read in the workspace"] == {
        "stored texts": 8,
        "language not supported": 3,
        "not supported by language": {"de": 3},
        "non-answers": 2,
    }
    table = _analyze(url, tmp_path)
    assert "language not supported 0" not in " ".join(table.split())
    assert "5 of 8 stored texts: language not supported 3 (de 3); non-answers 2" in " ".join(
        table.replace("│", " ").split()
    )
