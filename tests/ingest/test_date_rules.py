"""Mapping keys for dates: date_format, day_first and timezone, at the top and under dates:."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

import advocacy
from advocacy.errors import MappingError
from advocacy.ingest.date_rules import DateRule
from advocacy.ingest.mapping import apply_mapping, load_mapping
from advocacy.ingest.readers import read_file
from advocacy.model import RESPONSES

FILE = (
    "response_id,submitted_at,followed_up,nps\n"
    "r1,05/10/2021 14:00,06.10.2021,9\n"
    "r2,06/10/2021 09:30,07.10.2021,3\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_top_level_keys_apply_to_every_field_and_dates_override_them(tmp_path: Path) -> None:
    spec = load_mapping(
        write(
            tmp_path,
            "map.yaml",
            "kind: responses\n"
            "day_first: true\n"
            "timezone: Europe/Berlin\n"
            "date_format: '%d/%m/%Y %H:%M'\n"
            "dates:\n"
            "  submitted_at: {timezone: America/New_York, day_first: false}\n",
        )
    )
    assert spec.date_rules.every == DateRule("%d/%m/%Y %H:%M", True, "Europe/Berlin")
    assert spec.date_rules.for_field("submitted_at") == DateRule(
        "%d/%m/%Y %H:%M", False, "America/New_York"
    )
    assert spec.date_rules.for_field("first_seen") == spec.date_rules.every
    adapted = apply_mapping(read_file(write(tmp_path, "r.csv", FILE)), spec, RESPONSES)
    assert adapted.dates == spec.date_rules


def test_a_mapping_reads_day_first_dates_in_its_zone(db_url: str, tmp_path: Path) -> None:
    mapping = write(
        tmp_path,
        "map.yaml",
        "kind: responses\ndates:\n  submitted_at: {day_first: true, timezone: Europe/Berlin}\n",
    )
    with advocacy.open(db_url) as ws:
        result = ws.import_file(write(tmp_path, "r.csv", FILE), kind="responses", mapping=mapping)
        rows = ws.db.fetchall("SELECT response_id, submitted_at FROM responses ORDER BY 1")
    assert result.rows_quarantined == 0
    assert rows == [
        ("r1", datetime(2021, 10, 5, 12, tzinfo=UTC)),
        ("r2", datetime(2021, 10, 6, 7, 30, tzinfo=UTC)),
    ]
    [note] = [note for note in result.notes if "without a UTC offset" in note]
    assert "read as Europe/Berlin time (the timezone in" in note
    assert str(mapping) in note


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("timezone: Europe/Berln\n", "timezone: unknown time zone 'Europe/Berln'"),
        ("timezone: 5\n", "timezone: must be a time zone name"),
        ("date_format: '%Q-%m'\n", "date_format: not a usable strptime format"),
        ("date_format: 'dd/mm/yyyy'\n", "date_format: must be a strptime format"),
        ("day_first: maybe\n", "day_first: must be true or false"),
        ("day_first: 1\n", "day_first: must be true or false"),
        ("dates:\n  submitted_at: {dayfirst: true}\n", "dates.submitted_at.dayfirst: unknown key"),
        ("dates:\n  submitted_at: yes\n", "dates.submitted_at: must be a mapping"),
        ("dates: [submitted_at]\n", "dates: must be a mapping"),
        (
            "dates:\n  submitted_at: {timezone: Mars/Olympus}\n",
            "dates.submitted_at.timezone: unknown time zone",
        ),
        ("date_fromat: '%d'\n", "date_fromat: unknown key"),
    ],
)
def test_bad_date_keys_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "map.yaml", "kind: responses\n" + text)
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_close_zone_name_is_suggested(tmp_path: Path) -> None:
    path = write(tmp_path, "map.yaml", "timezone: Europe/Berln\n")
    with pytest.raises(MappingError, match=r"did you mean Europe/Berlin\?"):
        load_mapping(path)


def test_dates_must_name_a_date_field_of_the_kind(tmp_path: Path) -> None:
    spec = load_mapping(write(tmp_path, "map.yaml", "dates:\n  nps: {day_first: true}\n"))
    raw = read_file(write(tmp_path, "r.csv", FILE))
    with pytest.raises(MappingError, match=r"responses has no date field 'nps'; .*submitted_at"):
        apply_mapping(raw, spec, RESPONSES)
