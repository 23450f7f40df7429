"""An XLSX export of a text longer than an Excel cell, and importing that file back.

review27 #15: the export cut a 200,041-character comment to 32,767 characters with a note in
the cell and said nothing; importing the file then replaced the stored comment with the cut
one, counted as an ordinary "updated".
"""

from __future__ import annotations

import re
from pathlib import Path

import advocacy
from support.cli import advocacy_cli

LONG = ("The courier lost my parcel again. " * 1_200).strip()  # 40,799 characters


def test_the_export_names_the_cut_cell_and_the_import_keeps_the_whole_text(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "w.duckdb")
    source = tmp_path / "answers.csv"
    source.write_text(
        f"response_id,nps,comment\nr1,2,{LONG}\nr2,9,Quick and friendly.\n", encoding="utf-8"
    )
    first = advocacy_cli("import", str(source), "--kind", "responses", "--db", db)
    assert first.returncode == 0, first.stderr
    book = tmp_path / "responses.xlsx"
    exported = advocacy_cli("export", "responses", "--out", str(book), "--db", db)
    assert exported.returncode == 0, exported.stderr
    said = " ".join(exported.stdout.split())
    assert re.search(r"1 text cell\(s\) longer than an Excel cell's 32,767 characters", said)
    assert re.search(r"data![A-Z]+[23] \(comment, 40,799 characters\)", said)

    imported = advocacy_cli(
        "import", str(book), "--kind", "responses", "--format", "json", "--db", db
    )
    assert imported.returncode == 0, imported.stderr
    with advocacy.open(db) as ws:
        stored = dict(ws.db.fetchall("SELECT response_id, comment FROM responses"))
        reasons = [row[0] for row in ws.db.fetchall("SELECT reason FROM quarantine")]
    assert stored == {"r1": LONG, "r2": "Quick and friendly."}
    assert len(reasons) == 1 and "cut to fit an Excel cell" in reasons[0]
