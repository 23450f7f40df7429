"""Mapping files: loading, applying, and errors that name the file, the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy.errors import MappingError
from advocacy.ingest.mapping import apply_mapping, load_mapping
from advocacy.ingest.readers import read_file
from advocacy.model import MENTIONS, RESPONSES
from support.cli import advocacy_cli

TWEETS = (
    "tweet_id,text,tweet_created,airline,Retweets\n"
    "0567,Flight delayed 3 hours,2015-02-24 11:35:52 -0800,United,2\n"
    "0568,Great crew!,2015-02-24 11:15:59 -0800,Delta,0\n"
)
MAPPING = """\
kind: mentions
columns:
  mention_id: tweet_id
  posted_at: tweet_created
  unit: airline
constants:
  platform: twitter
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_apply_mapping(tmp_path: Path) -> None:
    raw = read_file(write(tmp_path, "tweets.csv", TWEETS))
    spec = load_mapping(write(tmp_path, "map.yaml", MAPPING))
    adapted = apply_mapping(raw, spec, MENTIONS)
    assert adapted.source_format == "mapping"
    # "text" is named as the canonical field and needs no entry.
    assert adapted.fields == {
        "mention_id": "tweet_id",
        "posted_at": "tweet_created",
        "unit": "airline",
        "text": "text",
    }
    assert adapted.constants == {"platform": "twitter"}
    assert adapted.attrs_columns == ["Retweets"]
    assert adapted.rows.column("tweet_id").to_pylist() == ["0567", "0568"]
    assert adapted.first_data_row == 2


def test_items_and_header_rows(tmp_path: Path) -> None:
    raw = read_file(
        write(
            tmp_path,
            "survey.csv",
            "id,when,Fit\nResponse id,Submitted,How well does it fit?\n"
            "r1,2026-01-01,4\nr2,2026-01-02,5\n",
        )
    )
    spec = load_mapping(
        write(
            tmp_path,
            "map.yaml",
            "kind: responses\ncolumns:\n  response_id: id - Response id\n"
            "  submitted_at: when - Submitted\n"
            "items:\n  Fit - How well does it fit?: {item: fit, kind: rating, scale_min: 1, "
            "scale_max: 5}\n"
            "header_rows: 2\n",
        )
    )
    adapted = apply_mapping(raw, spec, RESPONSES)
    assert adapted.first_data_row == 3
    # Both header rows are kept, combined into one name per column.
    assert adapted.rows.column_names == [
        "id - Response id",
        "when - Submitted",
        "Fit - How well does it fit?",
    ]
    assert adapted.rows.column("id - Response id").to_pylist() == ["r1", "r2"]
    [item] = adapted.items
    assert (item.column, item.item, item.kind, item.scale_min, item.scale_max) == (
        "Fit - How well does it fit?",
        "fit",
        "rating",
        1.0,
        5.0,
    )
    assert adapted.attrs_columns == []


@pytest.mark.parametrize(
    ("mapping", "kind", "key", "fix"),
    [
        (
            MAPPING.replace("unit: airline", "airline: airline"),
            MENTIONS,
            "columns.airline",
            "use one of: mention_id, platform",
        ),
        (
            MAPPING.replace("unit: airline", "unit: carrier"),
            MENTIONS,
            "columns.unit",
            "use one of: tweet_id, text",
        ),
        (
            MAPPING.replace("platform: twitter", "site: twitter"),
            MENTIONS,
            "constants.site",
            "use one of: mention_id",
        ),
        (MAPPING, RESPONSES, "kind", "use --kind mentions"),
        (MAPPING + "items:\n  Retweets: {item: rt}\n", MENTIONS, "items", "--kind responses"),
    ],
)
def test_errors_name_file_key_and_fix(
    tmp_path: Path, mapping: str, kind: object, key: str, fix: str
) -> None:
    raw = read_file(write(tmp_path, "tweets.csv", TWEETS))
    path = write(tmp_path, "map.yaml", mapping)
    with pytest.raises(MappingError) as error:
        apply_mapping(raw, load_mapping(path), kind)  # type: ignore[arg-type]
    text = str(error.value)
    assert str(path) in text
    assert key in text
    assert fix in text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind: mentions\ncolums:\n  text: text\n", "colums: unknown key"),
        ("kind: [mentions\n", "not valid YAML"),
        ("- a\n- b\n", "must be a YAML mapping"),
        ("columns: text\n", "columns: must be a mapping"),
        ("header_rows: -1\n", "line 1: header_rows: must be at least 0"),
        ("header_rows: two\n", "header_rows: must be a whole number"),
        ("items:\n  Fit: {item: fit, scale_max: high}\n", "items.Fit.scale_max: must be a number"),
        (
            "items:\n  Fit: {itme: fit}\n",
            r"line 2: items.Fit.itme: unknown key; fix: did you mean 'item'\?",
        ),
    ],
)
def test_load_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        load_mapping(write(tmp_path, "map.yaml", text))


def test_unknown_item_kind(tmp_path: Path) -> None:
    raw = read_file(write(tmp_path, "s.csv", "submitted_at,Fit\n2026-01-01,4\n"))
    spec = load_mapping(write(tmp_path, "map.yaml", "items:\n  Fit: {item: fit, kind: current}\n"))
    with pytest.raises(MappingError, match=r"unknown item kind 'current'.*perception"):
        apply_mapping(raw, spec, RESPONSES)


def test_two_columns_onto_one_item_of_one_kind_are_refused(tmp_path: Path) -> None:
    raw = read_file(write(tmp_path, "s.csv", "submitted_at,A,B,C\n2026-01-01,4,5,3\n"))
    spec = load_mapping(
        write(
            tmp_path,
            "map.yaml",
            "items:\n  A: {item: fit}\n  B: {item: fit, kind: expectation}\n  C: {item: fit}\n",
        )
    )
    with pytest.raises(MappingError) as error:
        apply_mapping(raw, spec, RESPONSES)
    text = str(error.value)
    assert "line 4" in text and "items.C.item" in text
    assert "'A' and 'C' are both mapped to item 'fit'" in text and "fix:" in text


def test_one_item_as_current_and_expected_is_two_ratings(tmp_path: Path) -> None:
    raw = read_file(write(tmp_path, "s.csv", "submitted_at,A,B\n2026-01-01,4,5\n"))
    spec = load_mapping(
        write(
            tmp_path, "map.yaml", "items:\n  A: {item: fit}\n  B: {item: fit, kind: expectation}\n"
        )
    )
    items = apply_mapping(raw, spec, RESPONSES).items
    assert [(i.column, i.item, i.kind) for i in items] == [
        ("A", "fit", items[0].kind),
        ("B", "fit", "expectation"),
    ]
    assert items[0].kind != "expectation"


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="cannot read the mapping file"):
        load_mapping(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the mapping file is empty"),
        ("# a mapping, to be written\n\n# later\n", "the mapping file is empty"),
        ("---\n", "the mapping file is empty"),
        ("mentions\n", "must be a YAML mapping of keys, not a text"),
        ("42\n", "must be a YAML mapping of keys, not a number"),
        (
            "kind: mentions\ncolumn:\n  text: text\n",
            "line 2: column: unknown key; fix: did you mean 'columns'",
        ),
        (
            "kind: mentions\nsheet: 2\n",
            "line 2: sheet: unknown key; fix: use one of: kind, columns",
        ),
        ("kind: tweets\n", "line 1: kind: is not a kind.*fix: use one of: customers"),
        (
            "on_conflict: newest\n",
            "line 1: on_conflict: must be one of 'quarantine', 'first' or 'last'",
        ),
        ("columns:\n  text: [a, b]\n", "line 2: columns.text: must be text"),
        ("columns:\n  text: yes\n", "columns.text: is read by YAML as true or false.*in quotes"),
        (
            "columns:\n  text: body\nconstants:\n  platform: x\ncolumns:\n  unit: airline\n",
            "line 5: columns: is given twice \\(first on line 1\\)",
        ),
        ("columns:\n  text: body\n  text: title\n", "line 3: columns.text: is given twice"),
        ("base: &b {text: body}\ncolumns: *b\n", "uses a YAML alias"),
        ("\xff\xfe", "not UTF-8"),
    ],
)
def test_every_malformed_mapping_is_one_clear_error(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "map.yaml"
    path.write_bytes(text.encode("latin-1") if text == "\xff\xfe" else text.encode("utf-8"))
    with pytest.raises(MappingError, match=message) as raised:
        load_mapping(path)
    assert str(path) in str(raised.value) and "fix:" in str(raised.value)
    assert "\n" not in str(raised.value)


def test_names_yaml_reads_as_numbers_are_names(tmp_path: Path) -> None:
    spec = load_mapping(
        write(
            tmp_path,
            "map.yaml",
            "columns:\n  text: 2024\nconstants:\n  rating: 4.5\n  brand: true\n"
            "items:\n  2:\n    scale_max: 5\n",
        )
    )
    assert spec.columns == {"text": "2024"}
    assert spec.constants == {"rating": "4.5", "brand": "true"}
    assert list(spec.items) == ["2"] and spec.items["2"].scale_max == 5.0
    assert (spec.kind, spec.header_rows, spec.on_conflict) == (None, 1, "quarantine")


def test_a_data_file_given_as_the_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: b\n" + "# " + "x" * 1_100_000 + "\n", encoding="utf-8")
    with pytest.raises(MappingError, match="mapping files are a few lines"):
        load_mapping(path)


def test_field_errors_name_the_line_and_suggest_the_field(tmp_path: Path) -> None:
    raw = read_file(write(tmp_path, "tweets.csv", TWEETS))
    path = write(tmp_path, "map.yaml", MAPPING.replace("unit: airline", "units: airline"))
    with pytest.raises(MappingError) as raised:
        apply_mapping(raw, load_mapping(path), MENTIONS)
    assert "line 5: columns.units: mentions has no field 'units'" in str(raised.value)
    assert "did you mean 'unit'?" in str(raised.value)


CLI_CASES = [
    ("", "the mapping file is empty"),
    ("# nothing yet\n", "the mapping file is empty"),
    ("- text\n- tweet_id\n", "must be a YAML mapping of keys, not a list"),
    ("kind: mentions\ncolumns:\n  text: text\ntimezone_of_file: UTC\n", "unknown key"),
    (MAPPING, "line 1: kind: the mapping is for mentions, the import for responses"),
]


@pytest.mark.parametrize(("mapping", "message"), CLI_CASES)
def test_the_import_command_refuses_a_bad_mapping_in_one_line(
    tmp_path: Path, mapping: str, message: str
) -> None:
    data = write(tmp_path, "tweets.csv", TWEETS)
    path = write(tmp_path, "map.yaml", mapping)
    database = tmp_path / "ws.duckdb"
    kind = "responses" if mapping == MAPPING else "mentions"
    done = advocacy_cli(
        "import", str(data), "--kind", kind, "--map", str(path), "--db", str(database)
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: {path}") and message in lines[0] and "fix:" in lines[0]
    assert "Traceback" not in done.stderr
