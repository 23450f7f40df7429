"""Dates and times as people write them (issue #16, item 1), on small files we write.

Each failure the issue lists is reproduced here: a 14,640-row style ``2015-02-24 11:35:52 -0800``
column, Twitter's ``Tue Oct 31 22:10:47 +0000 2017``, a day-first column whose ``05/10/2021``
loaded as 10 May, and a column mixing both orders. Imports go through ``Workspace.import_file``
on DuckDB and PostgreSQL; the finer points of reading go through ``validate`` itself.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest

import advocacy
from advocacy.ingest.date_rules import DateRule, DateRules
from advocacy.ingest.raw import Adapted
from advocacy.ingest.validation import Validated, validate
from advocacy.model import EMPLOYEES, INTERACTIONS, Kind

BERLIN = timezone(timedelta(hours=2))


def validated(
    values: list[str | None],
    *,
    rules: DateRules | None = None,
    excel_serials: bool = False,
    zone: str = "UTC",
    kind: Kind = INTERACTIONS,
    field: str = "occurred_at",
) -> Validated:
    """``values`` in one date column of ``kind``, validated as an import would."""
    key = kind.key[0]
    rows = pa.table(
        {
            key: pa.array([f"id{index}" for index in range(len(values))], pa.string()),
            "When": pa.array(values, pa.string()),
        }
    )
    adapted = Adapted(
        kind=kind,
        source_format="test",
        rows=rows,
        first_data_row=2,
        fields={key: key, field: "When"},
        dates=rules or DateRules(),
        excel_serials=excel_serials,
    )
    return validate(adapted, timezone=zone)


def stored(result: Validated, field: str = "occurred_at") -> dict[int, tuple[object, object]]:
    """Row number -> (typed value, offset kept) of the rows that loaded."""
    offsets = [
        None if text is None else json.loads(text).get(field)
        for text in result.rows.column("time_offsets").to_pylist()
    ]
    values = result.rows.column(field).to_pylist()
    numbers = result.rows.column("_row").to_pylist()
    return dict(sorted(zip(numbers, zip(values, offsets, strict=True), strict=True)))


def as_json(value: object) -> object:
    """A JSON column as Python (DuckDB gives text, psycopg parsed JSON)."""
    return json.loads(value) if isinstance(value, str) else value


def reasons(result: Validated) -> dict[int, str]:
    """Each bad cell's reason and fix as one text: ``"<what is wrong>; fix: <what to do>"``."""
    return {cell.row: f"{cell.reason}; fix: {cell.fix}" for cell in result.bad_cells}


# -- the failures, through a real import ------------------------------------------------
def test_offset_after_a_space_loads_every_row_and_keeps_the_offset(
    db_url: str, tmp_path: Path
) -> None:
    # The airline-tweets export: 14,640 rows whose tweet_created all read like this were all
    # quarantined with "use ISO 8601".
    start = datetime(2015, 2, 24, 11, 35, 52, tzinfo=timezone(timedelta(hours=-8)))
    lines = ["tweet_id,text,tweet_created,airline"]
    for index in range(400):
        moment = start + timedelta(minutes=7 * index)
        lines.append(f"5{index:017d},Flight {index} delayed,{moment:%Y-%m-%d %H:%M:%S %z},United")
    path = tmp_path / "Tweets.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = tmp_path / "tweets.yaml"
    mapping.write_text(
        "kind: mentions\ncolumns:\n  mention_id: tweet_id\n  posted_at: tweet_created\n"
        "  unit: airline\nconstants:\n  platform: twitter\n",
        encoding="utf-8",
    )
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="mentions", mapping=mapping)
        assert (result.rows_loaded, result.rows_quarantined) == (400, 0)
        rows = ws.db.fetchall(
            "SELECT posted_at, time_offsets FROM mentions WHERE mention_id = ?",
            [f"5{7:017d}"],
        )
        again = ws.import_file(path, kind="mentions", mapping=mapping)
    [(posted, offsets)] = rows
    assert posted == datetime(2015, 2, 24, 20, 24, 52, tzinfo=UTC)  # 12:24:52 -0800
    assert as_json(offsets) == {"posted_at": "-08:00"}
    assert (again.rows_loaded, again.rows_updated, again.rows_unchanged) == (0, 0, 400)
    assert not any("without a UTC offset" in note for note in result.notes)


def test_twitter_and_email_forms_load(db_url: str, tmp_path: Path) -> None:
    # Customer-support tweets: every row's created_at was quarantined.
    path = tmp_path / "twcs.csv"
    path.write_text(
        "tweet_id,author_id,created_at,text\n"
        "119237,VirginAmerica,Tue Oct 31 22:10:47 +0000 2017,@115712 we are on it\n"
        "119238,115712,Tue Oct 31 22:12:01 -0500 2017,still waiting\n"
        '119239,115712,"Wed, 01 Nov 2017 09:05:00 +0100",thanks\n',
        encoding="utf-8",
    )
    mapping = tmp_path / "twcs.yaml"
    mapping.write_text(
        "kind: mentions\ncolumns:\n  mention_id: tweet_id\n  author: author_id\n"
        "  posted_at: created_at\n",
        encoding="utf-8",
    )
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="mentions", mapping=mapping)
        rows = ws.db.fetchall("SELECT mention_id, posted_at FROM mentions ORDER BY mention_id")
    assert (result.rows_loaded, result.rows_quarantined) == (3, 0)
    assert rows == [
        ("119237", datetime(2017, 10, 31, 22, 10, 47, tzinfo=UTC)),
        ("119238", datetime(2017, 11, 1, 3, 12, 1, tzinfo=UTC)),
        ("119239", datetime(2017, 11, 1, 8, 5, tzinfo=UTC)),
    ]


def test_a_day_first_column_reads_ambiguous_dates_day_first(db_url: str, tmp_path: Path) -> None:
    # 05/10/2021 used to load silently as 10 May, and 30/09/2021 was quarantined.
    path = tmp_path / "orders.csv"
    path.write_text(
        "customer_id,occurred_at,amount\nC1,05/10/2021,10\nC2,30/09/2021,20\nC3,12/01/2022,30\n",
        encoding="utf-8",
    )
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="transactions")
        rows = ws.db.fetchall("SELECT customer_id, occurred_at FROM transactions ORDER BY 1")
    assert result.rows_quarantined == 0
    assert rows == [
        ("C1", datetime(2021, 10, 5, tzinfo=UTC)),
        ("C2", datetime(2021, 9, 30, tzinfo=UTC)),
        ("C3", datetime(2022, 1, 12, tzinfo=UTC)),
    ]
    [note] = [note for note in result.notes if "day-first" in note]
    assert "1 value such as 30/09/2021 put a day above 12 first" in note
    assert "2 values such as 05/10/2021 that read either way were read day-first too" in note


def test_one_value_is_counted_in_the_singular(db_url: str, tmp_path: Path) -> None:
    # audit4 item 13: "1 value such as 03/04/2026 that read either way were read day-first".
    path = tmp_path / "orders.csv"
    path.write_text(
        "customer_id,occurred_at,amount\nC1,03/04/2026,10\nC2,25/03/2026,20\nC3,28/03/2026,5\n",
        encoding="utf-8",
    )
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="transactions")
    [note] = [note for note in result.notes if "day-first" in note]
    assert "2 values such as 25/03/2026 put a day above 12 first" in note
    assert "1 value such as 03/04/2026 that reads either way was read day-first too" in note
    unclear = validated(["05/10/2021"]).notes
    [note] = [note for note in unclear if "could not be told apart" in note]
    assert "in 1 value such as 05/10/2021, both parts 12 or below; it was read month-first" in note


def test_a_column_mixing_both_orders_quarantines_only_the_minority(
    db_url: str, tmp_path: Path
) -> None:
    days = [f"{day:02d}/09/2021" for day in range(13, 31)]  # 18 only read day-first
    lines = ["customer_id,occurred_at,amount"]
    lines += [f"D{index},{value},1" for index, value in enumerate(days)]
    lines += ["M1,09/30/2021,1", "M2,10/31/2021,1", "A1,05/10/2021,1"]
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="transactions")
        ambiguous = ws.db.fetchall("SELECT occurred_at FROM transactions WHERE customer_id = 'A1'")
    assert (result.rows_loaded, result.rows_quarantined) == (19, 2)
    assert {entry.value for entry in result.quarantine} == {"09/30/2021", "10/31/2021"}
    reason = result.quarantine[0].reason
    assert "day-first order" in reason
    assert "18 values such as 13/09/2021 put a day above 12 first" in reason
    assert "2 values such as 09/30/2021 put a day above 12 second" in reason
    assert "only reads month-first" in reason
    assert ambiguous == [(datetime(2021, 10, 5, tzinfo=UTC),)]  # read the column's way
    assert any("dates in both orders" in note for note in result.notes)


# -- per-column conventions ----------------------------------------------------------------------
def test_without_evidence_the_column_stays_month_first_and_says_how_to_declare() -> None:
    result = validated(["05/10/2021", "03/04/2021 14:30", "05/10/2021"])
    assert [value for value, _ in stored(result).values()][:2] == [
        datetime(2021, 5, 10, tzinfo=UTC),
        datetime(2021, 3, 4, 14, 30, tzinfo=UTC),
    ]
    [note] = [note for note in result.notes if "could not be told apart" in note]
    assert "occurred_at (column 'When')" in note
    assert "read month-first" in note
    assert "dates: {occurred_at: {day_first: true}}" in note


def test_month_first_evidence_is_noted() -> None:
    result = validated(["12/31/2021", "01/02/2022"])
    assert [value for value, _ in stored(result).values()] == [
        datetime(2021, 12, 31, tzinfo=UTC),
        datetime(2022, 1, 2, tzinfo=UTC),
    ]
    assert any("read month-first, because 1 value such as 12/31/2021" in n for n in result.notes)


def test_separators_two_digit_years_times_and_am_pm() -> None:
    result = validated(
        [
            "30.09.2021",
            "1.2.21 7:05",
            "31-12-99 23:59:59",
            "05/10/2021 1:02 PM",
            "05/10/2021 12:30:15.25 am",
            "5/1/2021 14:00:00,5",
        ]
    )
    assert [value for value, _ in stored(result).values()] == [
        datetime(2021, 9, 30, tzinfo=UTC),
        datetime(2021, 2, 1, 7, 5, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2021, 10, 5, 13, 2, tzinfo=UTC),
        datetime(2021, 10, 5, 0, 30, 15, 250000, tzinfo=UTC),
        datetime(2021, 1, 5, 14, 0, 0, 500000, tzinfo=UTC),
    ]


def test_impossible_day_month_dates_are_quarantined_as_such() -> None:
    result = validated(["30/09/2021", "31/02/2021", "31/31/2021"])
    assert set(reasons(result)) == {3, 4}
    assert all("no such day when read day-first" in reason for reason in reasons(result).values())


@pytest.mark.parametrize(
    ("text", "expected", "offset"),
    [
        ("2024-05-31", datetime(2024, 5, 31, tzinfo=UTC), "UTC"),
        ("2024-05-31T14:00", datetime(2024, 5, 31, 14, tzinfo=UTC), "UTC"),
        (
            "2024-05-31T14:00:00.123456789Z",
            datetime(2024, 5, 31, 14, 0, 0, 123456, tzinfo=UTC),
            None,
        ),
        ("2024-05-31 14:00:00 UTC", datetime(2024, 5, 31, 14, tzinfo=UTC), None),
        ("2024-05-31T14:00:00+0200", datetime(2024, 5, 31, 12, tzinfo=UTC), "+02:00"),
        ("2024-05-31T14:00:00-03", datetime(2024, 5, 31, 17, tzinfo=UTC), "-03:00"),
        ("2024-05-31 14:00:00 +05:45", datetime(2024, 5, 31, 8, 15, tzinfo=UTC), "+05:45"),
        ("2024-05-31 14:00:00 -0930", datetime(2024, 5, 31, 23, 30, tzinfo=UTC), "-09:30"),
        ("2024/05/31 2:00:00 PM GMT+2", datetime(2024, 5, 31, 12, tzinfo=UTC), "+02:00"),
        ("2024-05-31 14:00:00 GMT-4", datetime(2024, 5, 31, 18, tzinfo=UTC), "-04:00"),
        ("Fri, 31 May 2024 14:00:00 +0200 (CEST)", datetime(2024, 5, 31, 12, tzinfo=UTC), "+02:00"),
        ("Fri May 31 14:00:00 +0000 2024", datetime(2024, 5, 31, 14, tzinfo=UTC), None),
        ("Fri May 31 14:00:00 2024", datetime(2024, 5, 31, 14, tzinfo=UTC), "UTC"),
        ("31 May 2024", datetime(2024, 5, 31, tzinfo=UTC), "UTC"),
        ("31-May-24", datetime(2024, 5, 31, tzinfo=UTC), "UTC"),
        ("31st May 2024 9am", datetime(2024, 5, 31, 9, tzinfo=UTC), "UTC"),
        ("May 31, 2024 10:00 PM", datetime(2024, 5, 31, 22, tzinfo=UTC), "UTC"),
        ("September 1, 2024", datetime(2024, 9, 1, tzinfo=UTC), "UTC"),
        ("Sept 1 2024 08:15", datetime(2024, 9, 1, 8, 15, tzinfo=UTC), "UTC"),
        ("Friday, 31 May 2024 14:00", datetime(2024, 5, 31, 14, tzinfo=UTC), "UTC"),
        ("3. März 2024", datetime(2024, 3, 3, tzinfo=UTC), "UTC"),
        ("31 de mayo de 2024", datetime(2024, 5, 31, tzinfo=UTC), "UTC"),
        ("17 Agustus 2024 14:05", datetime(2024, 8, 17, 14, 5, tzinfo=UTC), "UTC"),
        ("1 déc. 2024", datetime(2024, 12, 1, tzinfo=UTC), "UTC"),
        ("20240531", datetime(2024, 5, 31, tzinfo=UTC), "UTC"),
        ("20240531T140000", datetime(2024, 5, 31, 14, tzinfo=UTC), "UTC"),
    ],
)
def test_one_value_in_each_form(text: str, expected: datetime, offset: str | None) -> None:
    result = validated([text])
    assert result.bad_cells == [], reasons(result)
    assert list(stored(result).values()) == [(expected, offset)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("yesterday", "the forms read are ISO 8601"),
        ("infinity", "the forms read are ISO 8601"),
        ("epoch", "the forms read are ISO 8601"),
        ("2024-05-31 14:00:00+25:00", "its UTC offset is not a real one"),
        ("2024-05-31 14:00:00 +0575", "its UTC offset is not a real one"),
        ("2024-05-31 14:00:00 EST", "ends in a time zone name"),
        ("2024-05-31 14:00 Europe/Berlin", "ends in a time zone name"),
        ("45000", "a number of the wrong size"),
        ("31 Foo 2024", "the forms read are ISO 8601"),
        ("2024-05-31 25:00", "the forms read are ISO 8601"),
        ('=HYPERLINK("http://x")', "the forms read are ISO 8601"),
        ("<script>alert(1)</script>", "the forms read are ISO 8601"),
        ("2024-05-31" + " " * 50 + "x" * 1_000_000, "the forms read are ISO 8601"),
    ],
)
def test_what_is_not_a_date_is_quarantined_saying_what_was_found(text: str, found: str) -> None:
    result = validated([text])
    [cell] = result.bad_cells
    told = f"{cell.reason} {cell.fix}"  # what is wrong, and apart what to do
    assert found in told
    assert cell.reason.startswith("not a date and time")
    assert "use ISO 8601" not in told
    assert cell.value == text


def test_a_date_field_keeps_the_wall_clock_day() -> None:
    result = validated(
        ["2024-05-31T23:30:00-08:00", "31/05/2024", "31 May 2024"],
        kind=EMPLOYEES,
        field="hired_at",
    )
    assert [value for value, _ in stored(result, "hired_at").values()] == [date(2024, 5, 31)] * 3
    assert result.rows.column("time_offsets").to_pylist() == [None] * 3  # no times to keep


# -- epochs and Excel day numbers ------------------------------------------------------------
def test_epochs_in_seconds_and_milliseconds_decided_per_column() -> None:
    seconds = validated(["1509487847", "1509487848.5"])
    assert [value for value, _ in stored(seconds).values()] == [
        datetime(2017, 10, 31, 22, 10, 47, tzinfo=UTC),
        datetime(2017, 10, 31, 22, 10, 48, 500000, tzinfo=UTC),
    ]
    assert {offset for _, offset in stored(seconds).values()} == {None}  # UTC: no entry
    assert any("read 2 numbers as Unix epoch seconds" in note for note in seconds.notes)
    milliseconds = validated(["1509487847123", "1509487848000", "1509487849"])
    assert [value for value, _ in stored(milliseconds).values()] == [
        datetime(2017, 10, 31, 22, 10, 47, 123000, tzinfo=UTC),
        datetime(2017, 10, 31, 22, 10, 48, tzinfo=UTC),
    ]
    [reason] = reasons(milliseconds).values()
    assert "Unix epochs of 13 (milliseconds) (2 of its 3 epoch-like numbers)" in reason


def test_numbers_are_excel_day_numbers_only_in_a_spreadsheet() -> None:
    values = ["45443", "45443.5833333333", "1", "59", "61", "60"]
    result = validated(values, excel_serials=True)
    assert [value for value, _ in stored(result).values()] == [
        datetime(2024, 5, 31, tzinfo=UTC),
        datetime(2024, 5, 31, 14, tzinfo=UTC),
        datetime(1900, 1, 1, tzinfo=UTC),
        datetime(1900, 2, 28, tzinfo=UTC),
        datetime(1900, 3, 1, tzinfo=UTC),
    ]
    assert "29 February 1900" in reasons(result)[7]
    in_a_csv = validated(values)
    assert len(in_a_csv.bad_cells) == len(values)
    assert "Excel day numbers in .xlsx files only" in in_a_csv.bad_cells[0].reason


def test_an_xlsx_with_day_numbers_and_date_cells(db_url: str, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["interaction_id", "customer_id", "occurred_at", "channel"])
    sheet.append(["I1", "C1", 45443.5, "web"])  # a plain number: Excel's day number
    sheet.append(["I2", "C1", datetime(2024, 6, 1, 9, 30), "web"])  # a date-formatted cell
    sheet.append(["I3", "C2", date(2024, 6, 2), "phone"])
    sheet.append(["I4", "C2", "2024-06-03T10:00:00+02:00", "phone"])  # text in a cell
    path = tmp_path / "interactions.xlsx"
    book.save(path)
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="interactions")
        rows = ws.db.fetchall(
            "SELECT interaction_id, occurred_at FROM interactions ORDER BY interaction_id"
        )
    assert result.rows_quarantined == 0
    assert rows == [
        ("I1", datetime(2024, 5, 31, 12, tzinfo=UTC)),
        ("I2", datetime(2024, 6, 1, 9, 30, tzinfo=UTC)),
        ("I3", datetime(2024, 6, 2, tzinfo=UTC)),
        ("I4", datetime(2024, 6, 3, 8, tzinfo=UTC)),
    ]
    assert any("read 1 number as Excel day numbers" in note for note in result.notes)


# -- time zones ------------------------------------------------------------------------------
def test_values_without_offset_are_read_in_the_declared_zone_and_the_notes_say_so() -> None:
    rules = DateRules(fields={"occurred_at": DateRule(timezone="Europe/Berlin")}, source="m.yaml")
    result = validated(
        ["2024-07-01 12:00", "1 July 2024 12:00", "2024-07-01T12:00:00Z"], rules=rules
    )
    assert list(stored(result).values()) == [
        (datetime(2024, 7, 1, 10, tzinfo=UTC), "Europe/Berlin"),
        (datetime(2024, 7, 1, 10, tzinfo=UTC), "Europe/Berlin"),
        (datetime(2024, 7, 1, 12, tzinfo=UTC), None),  # +00:00 is stored as no entry
    ]
    [note] = [note for note in result.notes if "without a UTC offset" in note]
    assert "2 values without a UTC offset were read as Europe/Berlin time" in note
    assert "the timezone in m.yaml" in note


def test_the_timezone_setting_applies_where_the_mapping_declares_none() -> None:
    result = validated(["2024-01-15 12:00"], zone="America/New_York")
    assert list(stored(result).values()) == [
        (datetime(2024, 1, 15, 17, tzinfo=UTC), "America/New_York")
    ]
    [note] = result.notes
    assert "read as America/New_York time (the timezone setting, ADVOCACY_TIMEZONE)" in note


def test_offsets_change_a_records_hash_but_not_its_instant() -> None:
    same_instant = ["2024-07-01T12:00:00+02:00", "2024-07-01T10:00:00Z"]
    first, second = (validated([value]) for value in same_instant)
    assert first.rows.column("occurred_at") == second.rows.column("occurred_at")
    assert first.rows.column("record_hash") != second.rows.column("record_hash")


# -- declared formats -----------------------------------------------------------------------
def test_a_declared_format_is_strict_and_named_in_the_reason() -> None:
    rules = DateRules(every=DateRule(date_format="%d.%m.%Y %H.%M"), source="m.yaml")
    result = validated(["31.05.2024 14.05", "2024-05-31 14:05"], rules=rules)
    assert list(stored(result).values()) == [(datetime(2024, 5, 31, 14, 5, tzinfo=UTC), "UTC")]
    assert reasons(result) == {
        3: "not a date and time: does not match the date_format '%d.%m.%Y %H.%M' declared in "
        "m.yaml; fix: correct the value or the format"
    }


def test_a_declared_format_with_an_offset_keeps_it() -> None:
    rules = DateRules(every=DateRule(date_format="%Y%m%d %H%M%S %z"))
    result = validated(["20240531 140500 +0530", "20240531 140500"], rules=rules)
    assert list(stored(result).values()) == [(datetime(2024, 5, 31, 8, 35, tzinfo=UTC), "+05:30")]
    assert list(reasons(result)) == [3]


def test_a_declared_order_overrides_the_evidence_and_says_so() -> None:
    rules = DateRules(every=DateRule(day_first=True), source="m.yaml")
    result = validated(["05/10/2021", "10/30/2021"], rules=rules)
    assert list(stored(result).values()) == [(datetime(2021, 10, 5, tzinfo=UTC), "UTC")]
    [reason] = reasons(result).values()
    assert "day-first order declared in m.yaml (1 value such as 10/30/2021" in reason


def test_an_offset_with_seconds_is_quarantined_not_cut_to_minutes(
    db_url: str, tmp_path: Path
) -> None:
    # review11 item 5: "+05:30:15" was stored as +05:30, and the export wrote
    # 2019-12-31 23:59:45+05:30: the day the user wrote changed.
    path = tmp_path / "reviews.csv"
    path.write_text(
        "review_id,score,created\ns1,5,2020-01-01 00:00:00+05:30:15\n"
        "s2,2,2020-01-01 00:00:00+0530\ns3,3,2020-01-01 00:00:00Z\n",
        encoding="utf-8",
    )
    with advocacy.open(db_url) as ws:
        result = ws.import_file(path, kind="responses")
        held = ws.db.fetchall("SELECT row_number, column_name, value, reason, fix FROM quarantine")
        kept = ws.db.fetchall("SELECT submitted_at FROM responses ORDER BY submitted_at")
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    [(row, column, value, reason, fix)] = held
    assert (row, column, value) == (2, "created", "2020-01-01 00:00:00+05:30:15")
    assert reason.endswith("in whole minutes below 60)") and fix == "write it as +hh:mm"
    assert [moment for (moment,) in kept] == [
        datetime(2019, 12, 31, 18, 30, tzinfo=UTC),
        datetime(2020, 1, 1, tzinfo=UTC),
    ]
