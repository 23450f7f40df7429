"""Mapping files: loading, applying, and errors that name the file, the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from advocacy.errors import MappingError
from advocacy.ingest.mapping import apply_mapping, load_mapping
from advocacy.ingest.readers import read_file
from advocacy.model import MENTIONS, RESPONSES

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
        ("header_rows: -1\n", "header_rows: must be a whole number"),
        ("header_rows: two\n", "header_rows: must be a whole number"),
        ("items:\n  Fit: {item: fit, scale_max: high}\n", "items.Fit.scale_max: must be a number"),
        ("items:\n  Fit: {itme: fit}\n", "items.Fit: unknown keys itme"),
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


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="cannot read the mapping file"):
        load_mapping(tmp_path / "nope.yaml")
