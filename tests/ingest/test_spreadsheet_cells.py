"""Formula neutralisation (OWASP CSV injection) and its exact undoing; XLSX escapes both ways."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy.exports import ExportFormat, write_table
from advocacy.ingest.readers import read_file
from advocacy.ingest.spreadsheet_cells import (
    TRIGGERS,
    escape_xlsx_text,
    neutralize,
    neutralize_array,
    protect_apostrophes,
    restore,
    restore_array,
    unescape_xlsx_text,
)

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]

#: Texts built from the characters that matter here, so examples hit the edge cases often.
texts = st.text(
    alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "\n", "a", "_", "x"])
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_trigger_gets_one_apostrophe(payload: str) -> None:
    assert neutralize(payload) == "'" + payload
    assert restore("'" + payload) == payload


@pytest.mark.parametrize("text", ["plain", "'quoted", "a=b", "", "5", "x-1", "'"])
def test_texts_that_cannot_run_are_left_alone_both_ways(text: str) -> None:
    assert neutralize(text) == text
    assert restore(text) == text


def test_apostrophes_already_there_are_kept() -> None:
    # Someone's text "'=1" must come back as "'=1", not "=1".
    assert neutralize("'=1") == "''=1"
    assert restore(neutralize("'=1")) == "'=1"
    assert restore(neutralize("''@x")) == "''@x"


@given(texts)
def test_restore_undoes_neutralise_exactly(text: str) -> None:
    assert restore(neutralize(text)) == text


@given(texts)
def test_a_neutralised_text_never_starts_as_a_formula(text: str) -> None:
    assert not neutralize(text).startswith(TRIGGERS)


@settings(deadline=None)  # the first Arrow compute call pays for loading its kernels
@given(st.lists(st.none() | texts, max_size=20))
def test_the_vectorised_forms_agree_with_the_scalar_ones(values: list[str | None]) -> None:
    array = pa.array(values, pa.string())
    out = neutralize_array(array).to_pylist()
    assert out == [None if v is None else neutralize(v) for v in values]
    assert restore_array(pa.array(out, pa.string())).to_pylist() == values


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_both_arrow_string_types_are_neutralised(kind: pa.DataType) -> None:
    # pandas' string columns arrive as large_string.
    array = pa.array([*PAYLOADS, "ok", None], kind)
    assert neutralize_array(array).to_pylist() == [*("'" + p for p in PAYLOADS), "ok", None]
    assert restore_array(neutralize_array(array)).to_pylist() == array.to_pylist()


@given(st.text())
def test_xlsx_escapes_round_trip_any_text(text: str) -> None:
    escaped = escape_xlsx_text(text)
    assert unescape_xlsx_text(escaped) == text
    assert not any(ord(char) < 32 and char not in "\t\n" for char in escaped)


def test_excels_own_carriage_return_escape_is_decoded() -> None:
    assert unescape_xlsx_text("first_x000D_\nsecond") == "first\r\nsecond"


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_spreadsheet_file_reads_back_what_was_written(tmp_path: Path, suffix: str) -> None:
    values = [*PAYLOADS, "'=1", "'kept", "a\r\nb", "x\x01y", "_x0041_", "#N/A", "=1", None]
    header = ["=col", "+col", "plain"]
    table = pa.table(
        {
            header[0]: pa.array(values, pa.string()),
            header[1]: pa.array(list(reversed(values)), pa.string()),
            header[2]: pa.array(range(-5, len(values) - 5), pa.int64()),
        }
    )
    path = tmp_path / f"cells.{suffix}"
    write_table(table, path, ExportFormat(suffix))
    raw = read_file(path)
    assert raw.header == header
    assert raw.rows.column(header[0]).to_pylist() == values
    assert raw.rows.column(header[1]).to_pylist() == list(reversed(values))
    assert raw.rows.column("plain").to_pylist() == [str(n) for n in range(-5, len(values) - 5)]


def test_json_and_parquet_exports_are_not_neutralised(tmp_path: Path) -> None:
    table = pa.table({"comment": PAYLOADS})
    for output in (ExportFormat.json, ExportFormat.parquet):
        path = tmp_path / f"cells.{output.value}"
        write_table(table, path, output)
        assert read_file(path).rows.column("comment").to_pylist() == PAYLOADS


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.text(min_size=1), min_size=1, max_size=8),
    st.sampled_from(["csv", "xlsx"]),
)
def test_any_text_survives_a_spreadsheet_export_and_import(values: list[str], suffix: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"texts.{suffix}"
        write_table(pa.table({"text": values, "n": range(len(values))}), path, ExportFormat(suffix))
        raw = read_file(path)
    assert raw.rows.column("text").to_pylist() == values


def test_a_text_too_long_for_an_excel_cell_is_cut_with_a_note(tmp_path: Path) -> None:
    giant = "\r" * 10 + "x" * 40_000  # escapes make it longer still
    path = tmp_path / "giant.xlsx"
    write_table(pa.table({"text": [giant, "short"]}), path, ExportFormat.xlsx)
    cells = read_file(path).rows.column("text").to_pylist()
    assert cells[1] == "short"
    assert cells[0].startswith("\r" * 10 + "xxx")
    assert cells[0].endswith(
        "[cut to fit an Excel cell; export as CSV, JSON or Parquet for the whole text]"
    )
    assert len(cells[0]) < 32_767


def test_taking_the_apostrophe_off_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text("id,comment\n1,'=1+1\n2,'@home\n3,'fine\n", encoding="utf-8")
    raw = read_file(path)
    assert raw.rows.column("comment").to_pylist() == ["=1+1", "@home", "'fine"]
    assert any(note.startswith("2 cell(s) began with '") for note in raw.notes)
    plain = tmp_path / "plain.csv"
    plain.write_text("id,comment\n1,'fine\n", encoding="utf-8")
    assert not any("began with '" in note for note in read_file(plain).notes)


@given(texts)
def test_restore_undoes_the_xlsx_protection_exactly(text: str) -> None:
    # An XLSX text cell never runs: a would-be formula is kept as it is, and only apostrophes
    # that restore would take off gain one.
    assert restore(protect_apostrophes(text)) == text
    if not text.startswith("'"):
        assert protect_apostrophes(text) == text
