"""Teaching from a labelled file in the layout it was imported in.

A teach file (``document_id``, ``kind``, ``sentiment``) is taught as it is, written with commas
or tabs. A user holding a labelled set (airline tweets with ``airline_sentiment``, SmSA's
``text<TAB>label`` lines) teaches it as it is: the file is read as ``advocacy import`` read it,
its column of ``negative``/``neutral``/``positive`` values (the fullest of several)
(:mod:`advocacy.ingest.label_columns`) gives the labels, and each row finds the record it was
imported as, by the file's id or else by exactly its text; a row the import quarantined is
skipped and counted in a note, and a record that rows give different labels (a text repeated
under two labels) is left untaught, with a note. Its labels are then stored as a teach file's
are, straight from the rows: no teach file is written.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from advocacy.errors import InputError
from advocacy.ingest.encodings import detect_file_encoding

if TYPE_CHECKING:
    from advocacy.store.connection import Database
    from advocacy.text.enrich import TeachResult

__all__ = ["LabelledRow", "TeachRow", "teach_from_file", "teach_rows"]


class LabelledRow(NamedTuple):
    """A labelled row of a file as imported, and the stored records it labels."""

    row: int
    """The row's spreadsheet number, as import's quarantine names it."""
    sentiment: str
    """Its label: negative, neutral or positive."""
    document_ids: tuple[str, ...]
    """The records it found (every one whose text is the row's when texts repeat); none when
    it found no record."""
    column: str
    """The column of the file that names its record: the id column, else the text column."""
    value: str
    """The row's value in that column."""


def teach_from_file(db: Database, file: Path, *, now: datetime | None = None) -> TeachResult:
    """Store the labels of a teach file, or of a labelled file as it was imported.

    Parameters
    ----------
    db
        The workspace's database.
    file
        A teach file (``document_id``, ``kind``, ``sentiment`` and/or ``theme``, with commas or
        tabs) or a labelled file already imported.
    now
        When the labels were taught (default: now).

    Returns
    -------
    TeachResult
        How many sentiment and theme labels were stored; for a labelled file, notes saying
        which column taught (when several hold labels) and which rows were skipped.
    """
    from advocacy.text.enrich import TeachResult

    if not file.is_file():
        raise InputError(f"no file {str(file)!r}", file=str(file), fix="check the path")
    encoding = detect_file_encoding(file)
    delimiter = _teach_layout(file, encoding)
    if delimiter is not None:
        columns, rows = _teach_file_rows(file, delimiter, encoding)
        return teach_rows(db, columns, rows, file=file, now=now)
    kind, found, notes = _labelled_rows(db, file)
    labels: dict[str, dict[str, int]] = {}  # document id -> its labels -> the first row of each
    named: dict[str, LabelledRow] = {}  # document id -> the first row that found it
    for entry in found:
        for document_id in entry.document_ids:
            labels.setdefault(document_id, {}).setdefault(entry.sentiment, entry.row)
            named.setdefault(document_id, entry)
    torn = {document_id: rows for document_id, rows in labels.items() if len(rows) > 1}
    if torn:
        document_id, first = next(iter(torn.items()))
        given = ", ".join(f"{label} (row {row})" for label, row in first.items())
        entry = named[document_id]
        value = entry.value if len(entry.value) <= NOTE_CHARS else entry.value[:NOTE_CHARS] + "…"
        notes.append(
            f"{len(torn):,} {kind}(s) were given different labels by rows of the file "
            f"({entry.column} {value!r}: {given}; rows numbered as the import's quarantine "
            "numbers them): they were left untaught"
        )
    records = [
        (kind, document_id, next(iter(given_by)), None)
        for document_id, given_by in labels.items()
        if len(given_by) == 1
    ]
    _store(db, records, source=file.name, now=now)
    return TeachResult(len(records), 0, 0, tuple(notes))


class TeachRow(NamedTuple):
    """A row of a teach file."""

    line: int
    """The line of the file the row starts on (blank lines and line breaks in quoted cells
    counted, as an editor numbers them)."""
    cells: Mapping[str, str]
    """Its cells by column name; cells beyond the header's are left out."""


def teach_rows(
    db: Database,
    columns: Sequence[str],
    rows: Sequence[TeachRow],
    *,
    file: Path,
    now: datetime | None = None,
) -> TeachResult:
    """Store the labels of a teach file's rows.

    A document's sentiment replaces the sentiment it had before this file, and its themes the
    themes it had; a label of a kind the file does not give it is kept (a file of sentiments
    leaves the themes taught before it). Two rows of the file that give one document different
    sentiments are refused, naming both; an unknown document, kind, sentiment or theme (once a
    taxonomy is assigned, one it has no theme of, compared without case; a theme is stored as
    the taxonomy writes it) is refused with its row.

    Parameters
    ----------
    db
        The workspace's database.
    columns
        The file's column names: ``document_id``, ``kind`` and ``sentiment`` and/or ``theme``.
    rows
        The rows.
    file
        The file they were read from: errors name it, the labels keep its name as their source.
    now
        When the labels were taught (default: now).

    Returns
    -------
    TeachResult
        How many documents were given a sentiment, and how many (document, theme) labels were
        stored.
    """
    from advocacy.text.documents import DOCUMENT_SOURCES, load_documents
    from advocacy.text.enrich import TeachResult
    from advocacy.text.sentiment import SENTIMENTS

    header = set(columns)
    if not {"document_id", "kind"} <= header or not header & {"sentiment", "theme"}:
        raise InputError(
            "a teach file needs columns document_id, kind and sentiment and/or theme",
            file=str(file),
            value=sorted(header),
            fix="add the missing columns to the file's header",
        )
    known = {
        (k, str(i))
        for k, i in load_documents(db)[["document_kind", "document_id"]].itertuples(index=False)
    }
    # A taught theme is linked to the curated theme of its name (catalogue._apply_taught).
    themes = {
        str(name).casefold(): str(name)
        for (name,) in db.fetchall("SELECT name FROM themes WHERE origin = 'curated'")
    }
    records: dict[tuple[str, str, str | None, str | None], None] = {}
    sentiments: dict[tuple[str, str], tuple[int, str]] = {}
    for number, row in rows:
        kind = (row.get("kind") or "").strip().lower()
        if kind not in DOCUMENT_SOURCES:
            raise InputError(
                f"unknown document kind {kind!r}",
                file=str(file),
                row=number,
                column="kind",
                value=kind,
                fix="use one of: " + ", ".join(DOCUMENT_SOURCES),
            )
        label = (row.get("sentiment") or "").strip().lower() or None
        if label is not None and label not in SENTIMENTS:
            raise InputError(
                f"unknown sentiment {label!r}",
                file=str(file),
                row=number,
                column="sentiment",
                value=label,
                fix="use negative, neutral or positive",
            )
        document_id = (row.get("document_id") or "").strip()
        if (kind, document_id) not in known:
            raise InputError(
                f"no {kind} with id {document_id!r} and text in the workspace",
                file=str(file),
                row=number,
                column="document_id",
                value=document_id,
                fix="use the id the document was imported with",
            )
        if label is not None:
            first, given = sentiments.setdefault((kind, document_id), (number, label))
            if given != label:
                raise InputError(
                    f"rows {first} and {number} give {kind} {document_id!r} different "
                    f"sentiments ({given!r}, {label!r})",
                    file=str(file),
                    row=number,
                    column="sentiment",
                    value=label,
                    fix="keep one sentiment per document",
                )
        theme = _known_theme(themes, (row.get("theme") or "").strip(), file=file, row=number)
        records[(kind, document_id, label, theme)] = None
    _store(db, list(records), source=file.name, now=now)
    taught = {(kind, document_id, theme) for kind, document_id, _, theme in records if theme}
    notes: tuple[str, ...] = ()
    if taught and not themes:
        notes = (
            f"{len(taught)} theme label(s) kept for a taxonomy to come: none is assigned yet, "
            "and a label counts once one with a theme of its name is (advocacy text analyze "
            "--taxonomy FILE)",
        )
    return TeachResult(len(sentiments), len(taught), 0, notes)


def _known_theme(themes: Mapping[str, str], theme: str, *, file: Path, row: int) -> str | None:
    """A teach row's theme as the assigned taxonomy names it (``themes``: folded name -> name),
    None when the row gives none. A theme the assigned taxonomy lacks is refused: its label
    would be stored and counted, and link to nothing. Before any taxonomy is assigned, a theme
    is kept as written (a taxonomy to come may have it: :func:`teach_rows` notes that)."""
    if not theme:
        return None
    if not themes:
        return theme
    known = themes.get(theme.casefold())
    if known is not None:
        return known
    shown = sorted(themes.values())
    listed = ", ".join(repr(name) for name in shown[:20])
    more = f" (and {len(shown) - 20} more)" if len(shown) > 20 else ""
    raise InputError(
        f"unknown theme {theme!r}: the assigned taxonomy has no theme of that name",
        file=str(file),
        row=row,
        column="theme",
        value=theme,
        fix=f"use one of its themes: {listed}{more}; or assign a taxonomy that has it first "
        "(advocacy text assign-themes FILE)",
    )


def _teach_file_rows(file: Path, delimiter: str, encoding: str) -> tuple[list[str], list[TeachRow]]:
    """A teach file's column names (spaces around them dropped) and rows, each numbered by the
    line it starts on."""
    with file.open(newline="", encoding=encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        columns = [name.strip() for name in next(reader, [])]
        rows = []
        line = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):  # a blank line is no row
                rows.append(TeachRow(line, dict(zip(columns, record, strict=False))))
            line = reader.line_num + 1
    return columns, rows


def _store(
    db: Database,
    records: Sequence[tuple[str, str, str | None, str | None]],
    *,
    source: str,
    now: datetime | None,
) -> None:
    """Write (kind, document id, sentiment, theme) labels.

    The sentiment given to a document replaces the one it had, and the themes given to it
    replace the themes it had; a label of the kind not given to it is kept as it was (a file of
    sentiments leaves the themes taught before it).
    """
    import pandas as pd
    import pyarrow as pa

    from advocacy.text.documents import replace_rows

    frame = pd.DataFrame(records, columns=["document_kind", "document_id", "sentiment", "theme"])
    frame["source"] = source
    frame["taught_at"] = now or datetime.now(UTC)
    types = {c: "TEXT" for c in frame.columns} | {"taught_at": "TIMESTAMPTZ"}
    given = frame.groupby(["document_kind", "document_id"], as_index=False).agg(
        sentiment=("sentiment", lambda values: bool(values.notna().any())),
        theme=("theme", lambda values: bool(values.notna().any())),
    )
    with db.transaction():
        db.load_temporary(
            "__given",
            pa.Table.from_pandas(given, preserve_index=False),
            {"document_kind": "TEXT", "document_id": "TEXT", "sentiment": "BOOLEAN"}
            | {"theme": "BOOLEAN"},
        )
        kept = db.fetch_arrow(
            "SELECT DISTINCT l.document_kind, l.document_id, "
            "CASE WHEN g.sentiment THEN NULL ELSE l.sentiment END AS sentiment, "
            "CASE WHEN g.theme THEN NULL ELSE l.theme END AS theme, l.source, l.taught_at "
            "FROM text_labels l JOIN __given g ON l.document_kind = g.document_kind "
            "AND l.document_id = g.document_id "
            "WHERE (NOT g.sentiment AND l.sentiment IS NOT NULL) "
            "OR (NOT g.theme AND l.theme IS NOT NULL)"
        ).to_pandas()
        db.execute("DROP TABLE __given")
        if len(kept):
            kept["taught_at"] = pd.to_datetime(kept["taught_at"], utc=True)
            frame = pd.concat([kept, frame], ignore_index=True)
        replace_rows(db, "text_labels", frame, types)


#: The most characters of a row's text that a note quotes.
NOTE_CHARS = 80
#: The columns that make a file a teach file rather than a labelled file as imported.
TEACH_COLUMNS = {"document_id", "kind"}
#: Document kind -> the kind its records are imported as.
IMPORT_KINDS = {"mention": "mentions", "response": "responses", "note": "notes"}


def _teach_layout(file: Path, encoding: str) -> str | None:
    """The delimiter of ``file`` if it is a teach file (a CSV or TSV whose header has
    document_id and kind), else None."""
    if file.suffix.lower() not in {".csv", ".tsv", ".txt", ""}:
        return None
    with file.open(newline="", encoding=encoding, errors="replace") as handle:
        line = handle.readline()
    for delimiter in (",", "\t"):
        header = next(csv.reader([line], delimiter=delimiter), [])
        if {name.strip() for name in header} >= TEACH_COLUMNS:
            return delimiter
    return None


def _labelled_rows(db: Database, file: Path) -> tuple[str, list[LabelledRow], list[str]]:
    """The document kind a labelled file was imported as, its labelled rows with the records
    they label, and notes (which column taught, which rows were skipped).

    The file is read as the kind the imports ledger says these bytes were imported as (as
    each document kind in turn when it says none); the kind whose rows find the most stored
    records is the one it was imported as. A row that finds no record is refused by row.
    """
    from advocacy.importer import read_as
    from advocacy.ingest.label_columns import (
        NOT_A_LABEL,
        TEXT_FIELDS,
        label_column,
        labelled_rows,
    )
    from advocacy.text.documents import DOCUMENT_SOURCES, load_documents

    # The imports ledger knows which kind these very bytes were imported as; only a file
    # changed since (or never imported) is read as every kind.
    imported_as = _imported_kinds(db, file)
    kinds = {k: v for k, v in IMPORT_KINDS.items() if v in imported_as} or IMPORT_KINDS
    documents = load_documents(db, list(kinds))
    best: tuple[int, str, list[LabelledRow], list[str]] | None = None
    for kind, imported in kinds.items():
        raw, adapted = read_as(file, imported)
        labels = label_column(adapted, file=str(file))
        notes = [labels.note] if labels.note else []
        rows, _, unknown = labelled_rows(adapted, labels.column, skipped=raw.skipped_rows)
        if unknown:
            notes.append(f"left out as {NOT_A_LABEL}: {unknown}")
        stored = documents[documents["document_kind"] == kind]
        ids = set(stored["document_id"].astype(str))
        by_text: dict[str, list[str]] = {}
        for document_id, text in stored[["document_id", "text"]].itertuples(index=False):
            by_text.setdefault(str(text), []).append(str(document_id))
        id_column = adapted.fields.get(DOCUMENT_SOURCES[kind].id_column, "")
        text_column = adapted.fields.get(TEXT_FIELDS[imported], "")
        found = [
            LabelledRow(
                row.row,
                row.sentiment,
                (row.document_id,) if row.document_id in ids else (),
                id_column,
                row.document_id,
            )
            if row.document_id is not None
            else LabelledRow(
                row.row, row.sentiment, tuple(by_text.get(row.text, ())), text_column, row.text
            )
            for row in rows
        ]
        matched = sum(1 for entry in found if entry.document_ids)
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
    skipped = [entry for entry in found if not entry.document_ids and entry.row in quarantined]
    if skipped:
        first = skipped[0].row
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
    missing = [entry for entry in found if not entry.document_ids]
    if missing:
        raise InputError(
            f"{len(missing):,} of {len(found):,} labelled rows find no {kind} in the "
            "workspace with their id or exactly their text",
            file=str(file),
            row=missing[0].row,
            column=missing[0].column,
            value=missing[0].value[:200],
            fix=f"import the file first (advocacy import {file.name} --kind "
            f"{IMPORT_KINDS[kind]}), then teach from it",
        )
    return kind, found, notes


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
