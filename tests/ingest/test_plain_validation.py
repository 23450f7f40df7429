"""The plain validation of API writes gives the full validation's rows, or steps aside.

:func:`advocacy.ingest.plain_validation.validate_plain` may only accept rows the full
validation (:func:`advocacy.ingest.validation.validate`) accepts as they are, and must then
give the same typed table, hash and offsets included. Hypothesis writes batches of every kind
the API takes with hostile cells (formulas, markup, spaces of other scripts, numbers and
dates written every way, repeated keys); real review texts come from ``../shared/data``.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.support import require

from advocacy.ingest.limits import InputLimits
from advocacy.ingest.plain_validation import validate_plain
from advocacy.ingest.validation import validate
from advocacy.ingest.write_groups import WRITABLE_KINDS, prepare_write
from advocacy.model import FieldType, kind_for

LIMITS = InputLimits()
REVIEWS = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "clothing-reviews"
    / "womens-clothing-reviews-first-1000.csv"
)

HOSTILE = [
    "",
    " ",
    "\u00a0",
    "\u3000x",
    "x\u200b",
    "\u200b",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "1.2E+5",
    "1234.0",
    "  C-1",
    "C-1\t",
    "Ünïcødé",
    "日本語のコメント",
    "x" * 300,
    "true",
    "sell",
    "SERVE",
    "null",
]
NUMBERS = [
    "0",
    "7",
    "10",
    "11",
    "-1",
    "3.5",
    "4,5",
    "1,234.50",
    "$5",
    "007",
    "-0",
    "1e3",
    "99999",
    "0.000001",
    "123456.654321",
    "5.0",
    " 4",
    "NaN",
    "inf",
]
STAMPS = [
    "2026-11-30T12:00:00Z",
    "2026-11-30T12:00:00.5Z",
    "2026-11-30T12:00:00.123456+02:00",
    "2026-11-30T23:30:00-05:45",
    "2026-11-30T12:00:00+14:00",
    "2026-11-30T12:00:00+15:00",
    "2026-02-30T12:00:00Z",
    "2026-11-30T24:00:00Z",
    "2026-11-30 12:00",
    "2026-11-30T12:00:00",
    "30/11/2026",
    "1000-01-01T00:30:00+01:00",
    "9999-12-31T23:59:59Z",
    "2026-11-30T12:00:00z",
    "2026-11-30",
]


@st.composite
def _stamps(draw: st.DrawFn) -> str:
    """ISO 8601 timestamps with an offset, as clients write them (and a few beyond)."""
    moment = draw(st.datetimes(min_value=datetime(1000, 1, 3), max_value=datetime(9999, 12, 28)))
    minutes = draw(st.integers(-15 * 60, 15 * 60))
    moment = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    text = moment.isoformat(timespec=draw(st.sampled_from(["seconds", "milliseconds", "auto"])))
    return text.replace("+00:00", "Z") if draw(st.booleans()) else text


def _cell(kind_name: str, name: str, *, tame: bool) -> st.SearchStrategy[Any]:
    item = next(field for field in kind_for(kind_name).fields if field.name == name)
    if item.type in (FieldType.INTEGER, FieldType.FLOAT):
        good = st.one_of(
            st.integers(-3, 12),
            st.floats(-1e6, 1e6).map(lambda number: f"{number:.{abs(hash(number)) % 8}f}"),
            st.sampled_from(NUMBERS),
        )
    elif item.type is FieldType.TIMESTAMP:
        good = st.one_of(_stamps(), st.sampled_from(STAMPS))
    elif item.type is FieldType.DATE:
        good = st.one_of(st.dates().map(str), st.sampled_from(STAMPS))
    elif item.choices:
        good = st.sampled_from([*item.choices, "Sell", "nope"])
    else:
        good = st.one_of(
            st.text(max_size=8), st.from_regex(r"[A-Za-z0-9 ,.:-]{1,12}", fullmatch=True)
        )
    if tame:
        return good if item.required else st.one_of(good, good, st.none())
    return st.one_of(good, good, st.sampled_from(HOSTILE), st.none())


@st.composite
def batches(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    kind_name = draw(st.sampled_from(WRITABLE_KINDS))
    kind = kind_for(kind_name)
    tame = draw(st.booleans())  # half the batches mostly plain, to compare accepted rows
    names = draw(st.lists(st.sampled_from(kind.field_names), min_size=1, max_size=8, unique=True))
    required = [item.name for item in kind.fields if item.required]
    if tame or draw(st.booleans()):
        names = list(dict.fromkeys([kind.key[0], *required, *names]))
    key = kind.key[0]
    count = draw(st.integers(1, 5))
    records = []
    for number in range(count):
        record = {name: draw(_cell(kind_name, name, tame=tame)) for name in names}
        if key in record and draw(st.integers(0, 4)):
            record[key] = f"K-{number}"  # mostly distinct keys, sometimes drawn ones
        if draw(st.integers(0, 9)) == 0:
            record["extra"] = "an unmapped column"
        records.append(record)
    return kind_name, records


def _compare(kind_name: str, records: list[dict[str, Any]]) -> bool:
    adapted = prepare_write(kind_name, records, actor="test", limits=LIMITS).adapted
    full = validate(adapted, timezone="UTC")
    plain = validate_plain(adapted, full.rows.schema)
    if plain is None:
        return False
    assert not full.bad_cells and full.duplicates == 0 and not full.superseded
    assert full.derived_keys == 0
    assert plain.rows.schema == full.rows.schema
    assert plain.rows.to_pylist() == full.rows.to_pylist()
    assert plain.rows.equals(full.rows)
    return True


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(batches())
@example(
    (
        "responses",
        [
            {
                "response_id": "LOAD-1",
                "customer_id": "C-1",
                "submitted_at": "2026-11-30T12:00:00Z",
                "unit": "North",
                "nps": 3,
                "comment": "load test answer 3",
            }
        ],
    )
)
def test_plain_rows_are_the_full_validations_rows(batch: tuple[str, list[dict[str, Any]]]) -> None:
    _compare(*batch)


def test_the_writes_clients_send_are_read_plainly() -> None:
    """The common writes do take the plain way (else the test above proves nothing)."""
    writes = {
        "responses": {
            "response_id": "R-1",
            "customer_id": "C-1",
            "submitted_at": "2026-11-30T12:00:00.25+01:00",
            "journey_stage": "Serve",
            "nps": 9,
            "csat": "4.5",
            "csat_scale_max": 5,
            "weight": 1.5,
            "comment": "  Très bien, merci ",
        },
        "mentions": {"mention_id": "M-1", "text": "=1+1 <b>ok</b>", "title": "Meh", "rating": 2},
        "transactions": {
            "transaction_id": "T-1",
            "customer_id": "C-1",
            "occurred_at": "2026-11-30T12:00:00-05:00",
            "amount": "19.99",
        },
        "referrals": {
            "referral_id": "F-1",
            "referrer_id": "C-1",
            "referred_at": "2026-11-30T12:00:00+05:30",
            "converted_at": "2026-12-01T08:00:00Z",
        },
    }
    for kind_name, record in writes.items():
        assert _compare(kind_name, [record, {**record, kind_for(kind_name).key[0]: "other"}])


def test_real_review_texts_are_kept_as_the_full_validation_keeps_them() -> None:
    require(REVIEWS.exists(), f"{REVIEWS} is not there")
    with REVIEWS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:300]
    records = [
        {
            "response_id": f"REV-{row['']}",
            "customer_id": row["Clothing ID"],
            "submitted_at": "2026-11-30T12:00:00Z",
            "csat": row["Rating"],
            "comment": row["Review Text"],
            "title": row["Title"],
            "touchpoint": row["Department Name"],
        }
        for row in rows
    ]
    taken = sum(_compare("responses", records[start : start + 10]) for start in range(0, 300, 10))
    assert taken >= 25  # blank reviews and the like go the full way
