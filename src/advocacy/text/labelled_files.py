"""Teaching from a labelled file in the layout it was imported in.

A teach file (``document_id``, ``kind``, ``sentiment``) is taught as it is, written with commas
or tabs. A user holding a labelled set (airline tweets with ``airline_sentiment``, SmSA's
``text<TAB>label`` lines) teaches it as it is: the file is read as ``advocacy import`` read it,
its column of ``negative``/``neutral``/``positive`` values (the fullest of several)
(:mod:`advocacy.ingest.label_columns`) gives the labels, and each row finds the record it was
imported as, by the file's id or else by exactly its text; a row the import quarantined is
skipped and counted in a note. The labels are then written as a
teach file (``document_id``, ``kind``, ``sentiment``) and taught like one.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advocacy.store.connection import Database
    from advocacy.text.enrich import TeachResult

__all__ = ["teach_from_file"]


def teach_from_file(db: Database, file: Path) -> TeachResult:
    """Store the labels of a teach file, or of a labelled file as it was imported.

    Parameters
    ----------
    db
        The workspace's database.
    file
        A teach file (``document_id``, ``kind``, ``sentiment`` and/or ``theme``) or a labelled
        file already imported.

    Returns
    -------
    TeachResult
        How many sentiment and theme labels were stored; for a labelled file, notes saying
        which column taught (when several hold labels).
    """
    from advocacy.text.enrich import teach

    delimiter = _teach_layout(file) if file.is_file() else ","
    if delimiter == ",":
        return teach(db, file)
    with TemporaryDirectory() as folder:
        # The taught labels keep the file's own name as their source.
        labels = Path(folder) / f"{file.stem}.csv"
        if delimiter == "\t":
            _comma_teach_file(file, labels)
            return teach(db, labels)
        notes = _write_teach_file(db, file, labels)
        return replace(teach(db, labels), notes=tuple(notes))


#: The columns that make a file a teach file rather than a labelled file as imported.
TEACH_COLUMNS = {"document_id", "kind"}
#: Document kind -> the kind its records are imported as.
IMPORT_KINDS = {"mention": "mentions", "response": "responses", "note": "notes"}


def _teach_layout(file: Path) -> str | None:
    """The delimiter of ``file`` if it is a teach file (a CSV or TSV whose header has
    document_id and kind), else None."""
    if file.suffix.lower() not in {".csv", ".tsv", ".txt", ""}:
        return None
    with file.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
        line = handle.readline()
    for delimiter in (",", "\t"):
        header = next(csv.reader([line], delimiter=delimiter), [])
        if {name.strip() for name in header} >= TEACH_COLUMNS:
            return delimiter
    return None


def _comma_teach_file(file: Path, out: Path) -> None:
    """Write the tab-separated teach file ``file`` as the CSV ``out``, cell for cell."""
    with (
        file.open(newline="", encoding="utf-8-sig") as source,
        out.open("w", newline="", encoding="utf-8") as target,
    ):
        csv.writer(target).writerows(csv.reader(source, delimiter="\t"))


def _write_teach_file(db: Database, file: Path, out: Path) -> list[str]:
    """Write the labels of a labelled file as imported into the teach file ``out``.

    The file is read as the kind the imports ledger says these bytes were imported as (as
    each document kind in turn when it says none); the kind whose rows find the most stored
    records is the one it was imported as. A row that finds no record is refused by row.
    """
    from advocacy.errors import InputError
    from advocacy.importer import read_as
    from advocacy.ingest.label_columns import TEXT_FIELDS, label_column, labelled_rows
    from advocacy.text.documents import DOCUMENT_SOURCES, load_documents

    # The imports ledger knows which kind these very bytes were imported as; only a file
    # changed since (or never imported) is read as every kind.
    imported_as = _imported_kinds(db, file)
    kinds = {k: v for k, v in IMPORT_KINDS.items() if v in imported_as} or IMPORT_KINDS
    documents = load_documents(db, list(kinds))
    best: tuple[int, str, list[tuple[int, str, list[str], str, str]], list[str]] | None = None
    for kind, imported in kinds.items():
        raw, adapted = read_as(file, imported)
        labels = label_column(adapted, file=str(file))
        notes = [labels.note] if labels.note else []
        rows, _ = labelled_rows(adapted, labels.column, skipped=raw.skipped_rows)
        stored = documents[documents["document_kind"] == kind]
        ids = set(stored["document_id"].astype(str))
        by_text: dict[str, list[str]] = {}
        for document_id, text in stored[["document_id", "text"]].itertuples(index=False):
            by_text.setdefault(str(text), []).append(str(document_id))
        id_column = adapted.fields.get(DOCUMENT_SOURCES[kind].id_column, "")
        text_column = adapted.fields.get(TEXT_FIELDS[imported], "")
        found = [
            (row.row, row.sentiment, [row.document_id], id_column, row.document_id)
            if row.document_id in ids
            else (row.row, row.sentiment, [], id_column, row.document_id)
            if row.document_id is not None
            else (row.row, row.sentiment, by_text.get(row.text, []), text_column, row.text)
            for row in rows
        ]
        matched = sum(1 for entry in found if entry[2])
        if best is None or matched > best[0]:
            best = (matched, kind, found, notes)
    assert best is not None  # IMPORT_KINDS is not empty
    matched, kind, found, notes = best
    if not found:
        raise InputError(
            "no row of the file has both a text and a label",
            file=str(file),
            fix="teach from the file as it was imported (its text column beside a column of "
            "negative/neutral/positive), or a CSV with columns document_id, kind and sentiment",
        )
    quarantined = _quarantined_rows(db, file, IMPORT_KINDS[kind])
    skipped = [entry for entry in found if not entry[2] and entry[0] in quarantined]
    if skipped:
        first = skipped[0][0]
        notes.append(
            f"{len(skipped):,} labelled row(s) were quarantined when the file was imported, so "
            f"they have no {kind} to label and were skipped (row {first}: {quarantined[first]}); "
            "fix them with advocacy quarantine, then teach again"
        )
        found = [entry for entry in found if entry not in skipped]
        if not found:
            raise InputError(
                f"every labelled row was quarantined when the file was imported (row {first}: "
                f"{quarantined[first]})",
                file=str(file),
                row=first,
                fix="fix the quarantined rows (advocacy quarantine), then teach again",
            )
    missing = next((entry for entry in found if not entry[2]), None)
    if missing is not None:
        row, _, _, column, value = missing
        raise InputError(
            f"{sum(1 for entry in found if not entry[2]):,} of {len(found):,} labelled rows "
            f"find no {kind} in the "
            "workspace with their id or exactly their text",
            file=str(file),
            row=row,
            column=column,
            value=value[:200],
            fix=f"import the file first (advocacy import {file.name} --kind "
            f"{IMPORT_KINDS[kind]}), then teach from it",
        )
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document_id", "kind", "sentiment"])
        for _, sentiment, ids_found, _, _ in found:
            writer.writerows([document_id, kind, sentiment] for document_id in ids_found)
    return notes


def _imported_kinds(db: Database, file: Path) -> set[str]:
    """The kinds an import of this very file (the same bytes) stored it as."""
    from advocacy.importer import file_sha256

    rows = db.fetchall("SELECT DISTINCT kind FROM imports WHERE sha256 = ?", [file_sha256(file)])
    return {str(kind) for (kind,) in rows}


def _quarantined_rows(db: Database, file: Path, kind: str) -> dict[int, str]:
    """Row number -> reason, for the rows still quarantined by an import of this very file
    (the same bytes) as ``kind``."""
    from advocacy.importer import file_sha256

    rows = db.fetchall(
        "SELECT row_number, min(reason) FROM quarantine WHERE resolved_at IS NULL AND "
        "import_id IN (SELECT import_id FROM imports WHERE sha256 = ? AND kind = ?) "
        "GROUP BY row_number",
        [file_sha256(file), kind],
    )
    return {int(row): str(reason) for row, reason in rows}
