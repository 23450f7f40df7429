"""Any instant, written in any style we read, reads back as the same instant and offset."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pyarrow as pa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from advocacy.ingest.date_rules import DateRule, DateRules
from advocacy.ingest.raw import Adapted
from advocacy.ingest.validation import validate
from advocacy.model import INTERACTIONS

MONTH_NAMES = [datetime(2024, month, 1).strftime("%B") for month in range(1, 13)]


def _offset(moment: datetime, colon: bool = True) -> str:
    delta = moment.utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{rest:02d}"


def _twelve(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'}"


# Each style: how it writes a moment, whether it keeps the offset (else the wall clock is read
# in UTC), whether it drops the seconds, and whether the column must be declared day-first.
Style = tuple[Callable[[datetime], str], bool, bool, bool]
STYLES: dict[str, Style] = {
    "iso T colon": (lambda m: m.strftime("%Y-%m-%dT%H:%M:%S") + _offset(m), True, False, False),
    "iso space hhmm": (lambda m: f"{m:%Y-%m-%d %H:%M:%S}{_offset(m, False)}", True, False, False),
    "iso space before": (
        lambda m: f"{m:%Y-%m-%d %H:%M:%S} {_offset(m, False)}",
        True,
        False,
        False,
    ),
    "iso fraction": (lambda m: m.isoformat(), True, False, False),
    "iso naive": (lambda m: f"{m:%Y-%m-%d %H:%M:%S}", False, False, False),
    "rfc 2822": (lambda m: f"{m:%a, %d %b %Y %H:%M:%S} {_offset(m, False)}", True, False, False),
    "twitter": (lambda m: f"{m:%a %b %d %H:%M:%S} {_offset(m, False)} {m:%Y}", True, False, False),
    "google forms": (
        lambda m: f"{m:%Y/%m/%d} {_twelve(m)} GMT{_offset(m)}",
        True,
        False,
        False,
    ),
    "day month name": (lambda m: f"{m.day} {m:%b %Y %H:%M:%S}", False, False, False),
    "month name day": (
        lambda m: f"{MONTH_NAMES[m.month - 1]} {m.day}, {m.year} {_twelve(m)}",
        False,
        False,
        False,
    ),
    "month first": (lambda m: f"{m.month}/{m.day}/{m:%Y} {_twelve(m)}", False, False, False),
    "day first": (lambda m: f"{m:%d/%m/%Y %H:%M:%S}", False, False, True),
    "day first dots short": (lambda m: f"{m:%d.%m.%y %H:%M}", False, True, True),
    "epoch seconds": (lambda m: str(int(m.timestamp())), False, False, False),
    "epoch milliseconds": (lambda m: str(int(m.timestamp() * 1000)), False, False, False),
}

OFFSETS = st.integers(min_value=-12 * 4, max_value=14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)
# Epochs of 10 and 13 digits cover 2001-09-09 on; two-digit years pivot at 1969/2068.
MOMENTS = st.datetimes(
    min_value=datetime(2001, 9, 10), max_value=datetime(2060, 12, 31), timezones=OFFSETS
)


def _read(text: str, day_first: bool) -> tuple[datetime, str | None]:
    rows = pa.table({"interaction_id": ["i1"], "When": [text]})
    adapted = Adapted(
        kind=INTERACTIONS,
        source_format="property",
        rows=rows,
        first_data_row=2,
        fields={"interaction_id": "interaction_id", "occurred_at": "When"},
        dates=DateRules(every=DateRule(day_first=True)) if day_first else DateRules(),
    )
    result = validate(adapted, timezone="UTC")
    assert result.bad_cells == [], (text, result.bad_cells)
    [value] = result.rows.column("occurred_at").to_pylist()
    [offsets] = result.rows.column("time_offsets").to_pylist()
    return value, None if offsets is None else json.loads(offsets).get("occurred_at")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moment=MOMENTS, style=st.sampled_from(sorted(STYLES)), fraction=st.booleans())
def test_every_style_reads_back_the_same_instant(
    moment: datetime, style: str, fraction: bool
) -> None:
    write, keeps_offset, minutes_only, day_first = STYLES[style]
    moment = moment.replace(
        microsecond=moment.microsecond if fraction and style == "iso fraction" else 0
    )
    if minutes_only:
        moment = moment.replace(second=0)
    if not keeps_offset:
        # Without an offset the wall clock is read in the zone (UTC here); epochs are UTC.
        moment = moment.replace(tzinfo=UTC) if not style.startswith("epoch") else moment
    text = write(moment)
    value, offset = _read(text, day_first)
    assert value == moment.astimezone(UTC), text
    if keeps_offset or style.startswith("epoch"):
        # An offset of +00:00 (epochs are UTC) is stored as no entry.
        written = _offset(moment.astimezone(UTC) if style.startswith("epoch") else moment)
        assert offset == (None if written == "+00:00" else written), text
    else:
        assert offset == "UTC"


DATE_LIKE = st.from_regex(
    r"\A[0-9]{1,4}[/.\- ][0-9A-Za-z]{1,9}[/.\- ,][0-9]{1,4}( [0-9]{1,2}:[0-9]{2}( ?[AaPp][Mm])?)?"
    r"( ?([+-][0-9]{2}:?[0-9]{0,2}|Z|UTC|GMT[+-][0-9]))?\Z"
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(
    values=["0/0/0 0:00Z", "13/13/13 1:00 +99", "1 Dec 99 9pm GMT+9"], day_first=None, excel=True
)
@given(
    values=st.lists(st.one_of(DATE_LIKE, st.text(max_size=30)), min_size=1, max_size=12),
    day_first=st.sampled_from([None, True, False]),
    excel=st.booleans(),
)
def test_no_cell_is_silently_lost(values: list[str], day_first: bool | None, excel: bool) -> None:
    """Whatever a column holds, each non-empty cell either loads as a value or is quarantined."""
    rows = pa.table(
        {"interaction_id": [f"i{index}" for index in range(len(values))], "When": values}
    )
    adapted = Adapted(
        kind=INTERACTIONS,
        source_format="property",
        rows=rows,
        first_data_row=2,
        fields={"interaction_id": "interaction_id", "occurred_at": "When"},
        dates=DateRules(every=DateRule(day_first=day_first)),
        excel_serials=excel,
    )
    result = validate(adapted, timezone="UTC")
    loaded = dict(
        zip(
            result.rows.column("_row").to_pylist(),
            result.rows.column("occurred_at").to_pylist(),
            strict=True,
        )
    )
    quarantined = {cell.row for cell in result.bad_cells}
    for index, text in enumerate(values):
        row = index + 2
        if text.strip(" \u00a0\u3000") == "" or text.strip() == "":
            continue
        assert (row in quarantined) != (loaded.get(row) is not None), (text, result.bad_cells)


@settings(max_examples=200, deadline=None)
@given(
    moments=st.lists(
        st.datetimes(
            min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
        ),
        min_size=1,
        max_size=20,
    )
)
def test_hashes_render_timestamps_as_duckdb_does(moments: list[datetime]) -> None:
    """Hashes and derived keys use utc_text: it must give the very bytes of DuckDB's cast."""
    import duckdb

    from advocacy.ingest.dates import utc_text

    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.register(
            "moments", pa.table({"moment": pa.array(moments, pa.timestamp("us", tz="UTC"))})
        )
        mismatched = con.execute(
            f"SELECT moment FROM moments WHERE CAST(moment AS VARCHAR) <> {utc_text('moment')}"
        ).fetchall()
    assert mismatched == []
