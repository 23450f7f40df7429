"""One rule for ``as_of``: a date is the end of that day in the workspace's time zone.

Evidence late on the as-of day (local time) counts in the ladder, the silent promoters, the
say-do gap, behaviour by band and fans-to-be; evidence early on the next local day does not.
Read at 00:00 UTC (the rule before), the late evidence of a workspace in Tokyo or Los Angeles
was left out; read as the end of the day in UTC, Tokyo's next morning would count.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import advocacy
from advocacy.advocates.evidence import as_of_day, as_of_end
from advocacy.errors import UsageError
from advocacy.settings import Settings
from support.cli import advocacy_cli
from support.planted import planted_workspace

AS_OF = "2026-06-30"
#: Per zone: its UTC offset in summer (no clock change between April and July in either).
ZONES = {"Asia/Tokyo": "+09:00", "America/Los_Angeles": "-07:00"}


def _edge_rows(offset: str) -> dict[str, pd.DataFrame]:
    """Answers and referrals just before and just after the end of the as-of day, local time.

    - ON said 10 in May and referred someone at 23:30 on the as-of day -> advocate.
    - NEXT said 10 in May and referred someone at 00:30 the day after -> still a promoter.
    - LATE said 9 at 23:30 on the as-of day -> a promoter; AFTER said 9 at 00:30 the day
      after -> not on the ladder.
    - SAY_IN said 10 at 23:30, 90 days before the as-of day: its 90-day window has closed by
      the end of the day; SAY_OUT's, an hour later, has not.
    """
    late, after = f"2026-06-30T23:30:00{offset}", f"2026-07-01T00:30:00{offset}"
    answers = [
        ("E1", "ON", f"2026-05-01T12:00:00{offset}", 10),
        ("E2", "NEXT", f"2026-05-01T12:00:00{offset}", 10),
        ("E3", "LATE", late, 9),
        ("E4", "AFTER", after, 9),
        ("E5", "SAY_IN", f"2026-04-01T23:30:00{offset}", 10),
        ("E6", "SAY_OUT", f"2026-04-02T00:30:00{offset}", 10),
    ]
    responses = pd.DataFrame(answers, columns=["response_id", "customer_id", "submitted_at", "nps"])
    referrals = pd.DataFrame(
        [("EF1", "ON", "on@example.com", late), ("EF2", "NEXT", "next@example.com", after)],
        columns=["referral_id", "referrer_id", "referred_contact", "referred_at"],
    )
    customers = pd.DataFrame({"customer_id": sorted({row[1] for row in answers})})
    return {
        "customers": customers,
        "responses": responses.assign(unit="Edge"),
        "referrals": referrals,
    }


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def _import(url: str, folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    with advocacy.open(url) as ws:
        for kind, frame in tables.items():
            path = folder / f"edge_{kind}.csv"
            frame.to_csv(path, index=False)
            assert ws.import_file(path, kind=kind).rows_quarantined == 0, kind


def _settings(folder: Path, zone: str) -> Settings:
    return Settings.load(directory=folder, timezone=zone)


@pytest.mark.parametrize("zone", list(ZONES))
def test_evidence_of_the_as_of_day_counts_and_the_next_day_does_not(
    story: str, tmp_path: Path, zone: str
) -> None:
    _import(story, tmp_path, _edge_rows(ZONES[zone]))
    edge = {"unit": ["Edge"]}
    with advocacy.open(story, settings=_settings(tmp_path, zone)) as ws:
        ladder = ws.advocates.ladder(as_of=AS_OF, where=edge)
        silent = ws.advocates.silent_promoters(as_of=AS_OF, where=edge)
        say_do = ws.advocates.say_do(as_of=AS_OF, window_days=90, where=edge)
        behavior = ws.advocates.behavior(as_of=AS_OF, window_days=90, where=edge)
    assert dict(zip(ladder["customer_id"], ladder["rung"], strict=True)) == {
        "ON": "advocate",
        "NEXT": "promoter",
        "LATE": "promoter",
        "SAY_IN": "promoter",
        "SAY_OUT": "promoter",
    }
    assert set(silent["customer_id"]) == {"NEXT", "LATE", "SAY_IN", "SAY_OUT"}
    assert say_do["promoters"].tolist() == [1]  # SAY_IN only
    promoters = behavior[(behavior["band"] == "promoter") & (behavior["outcome"] == "retention")]
    assert promoters["customers"].tolist() == [1]


def test_the_cli_reads_as_of_in_the_workspace_zone(story: str, tmp_path: Path) -> None:
    _import(story, tmp_path, _edge_rows(ZONES["Asia/Tokyo"]))
    done = advocacy_cli(
        *("advocates", "ladder", "--customers", "--as-of", AS_OF, "--format", "json"),
        *("--db", story),
        cwd=tmp_path,
        env={"ADVOCACY_TIMEZONE": "Asia/Tokyo"},
    )
    assert done.returncode == 0, done.stderr
    rungs = {row["customer_id"]: row["rung"] for row in json.loads(done.stdout)}
    assert (rungs["ON"], rungs["NEXT"], rungs["LATE"]) == ("advocate", "promoter", "promoter")
    assert "AFTER" not in rungs


@pytest.mark.parametrize("zone", list(ZONES))
def test_fans_to_be_scores_whoever_answered_by_the_end_of_the_day(
    db_url: str, tmp_path: Path, zone: str
) -> None:
    planted_workspace(db_url, tmp_path)
    offset = ZONES[zone]
    answers = [
        ("L1", "LATE", f"2025-07-01T23:30:00{offset}", 10),
        ("L2", "AFTER", f"2025-07-02T00:30:00{offset}", 10),
    ]
    frame = pd.DataFrame(answers, columns=["response_id", "customer_id", "submitted_at", "nps"])
    _import(db_url, tmp_path, {"responses": frame})
    with advocacy.open(db_url, settings=_settings(tmp_path, zone)) as ws:
        result = ws.advocates.fans_to_be(horizon_days=120, as_of="2025-07-01")
    scored = set(result.scores["customer_id"])
    assert "LATE" in scored and "AFTER" not in scored


@pytest.mark.parametrize(
    ("value", "zone", "end"),
    [
        # a date is the end of that day in the zone
        ("2026-06-30", "Asia/Tokyo", utc(2026, 6, 30, 14, 59, 59, 999999)),
        (dt.date(2026, 6, 30), "Asia/Tokyo", utc(2026, 6, 30, 14, 59, 59, 999999)),
        ("2026-06-30", "America/Los_Angeles", utc(2026, 7, 1, 6, 59, 59, 999999)),
        (" 20260630 ", "UTC", utc(2026, 6, 30, 23, 59, 59, 999999)),
        # the day the clocks go forward has 23 hours: it ends at 07:00 UTC, not 08:00
        ("2026-03-08", "America/Los_Angeles", utc(2026, 3, 9, 6, 59, 59, 999999)),
        # and the day they go back, 25 hours
        ("2026-11-01", "America/Los_Angeles", utc(2026, 11, 2, 7, 59, 59, 999999)),
        # a time without a zone is read in the workspace's; with one, it is that instant
        ("2026-06-30T10:00", "America/Los_Angeles", utc(2026, 6, 30, 17)),
        ("2026-06-30T10:00Z", "Asia/Tokyo", utc(2026, 6, 30, 10)),
        ("2026-06-30T10:00+02:00", "Asia/Tokyo", utc(2026, 6, 30, 8)),
        (dt.datetime(2026, 6, 30, 10), "Asia/Tokyo", utc(2026, 6, 30, 1)),
        (pd.Timestamp("2026-06-30T10:00Z"), "Asia/Tokyo", utc(2026, 6, 30, 10)),
        (np.datetime64("2026-06-30T10:00"), "UTC", utc(2026, 6, 30, 10)),
        # pandas and NumPy have no day type: a naive midnight of theirs is the day
        (pd.Timestamp("2026-06-30"), "Asia/Tokyo", utc(2026, 6, 30, 14, 59, 59, 999999)),
        (np.datetime64("2026-06-30"), "Asia/Tokyo", utc(2026, 6, 30, 14, 59, 59, 999999)),
        (pd.Timestamp("2026-06-30T00:00Z"), "Asia/Tokyo", utc(2026, 6, 30)),
        (None, "Asia/Tokyo", None),
    ],
)  # fmt: skip
def test_one_reading_of_as_of(value: object, zone: str, end: dt.datetime | None) -> None:
    assert as_of_end(value, zone) == end


@pytest.mark.parametrize(
    "value",
    ["not a date", "now", "31/12/2025", "2025-13-01", "9999-12-31", "", "x" * 100_000, 20251231],
)
def test_what_is_not_a_date_is_refused_with_the_fix(value: object) -> None:
    with pytest.raises(UsageError) as raised:
        as_of_end(value, "Asia/Tokyo")
    message = str(raised.value)
    assert message.startswith("as_of is not a date") and "fix: use YYYY-MM-DD" in message
    assert len(message) < 300  # a giant value is not repeated whole


def test_every_as_of_option_says_the_one_rule() -> None:
    import click
    import typer

    from advocacy.present.cli.main import app

    def options(command: click.Command, path: str) -> list[tuple[str, str | None]]:
        found = [(path, p.help) for p in command.params if "--as-of" in getattr(p, "opts", [])]
        for name, sub in getattr(command, "commands", {}).items():
            found += options(sub, f"{path} {name}")
        return found

    found = options(typer.main.get_command(app), "advocacy")
    commands = {path for path, _ in found}
    assert {"advocacy advocates ladder", "advocacy retention churn"} <= commands
    assert len(commands) == 6, commands
    assert {text for _, text in found} == {
        "A date is the end of that day in the workspace time zone (a time without a zone is read "
        "in it too); nothing later counts. Default: the latest evidence."
    }


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus", "", "../../etc/passwd", "Z" * 10_000, "localtime", "posixrules"]
)
def test_a_workspace_zone_that_is_not_one_is_refused_with_the_fix(zone: str) -> None:
    """A bad ``timezone`` setting gets the import's refusal and fix, not a traceback."""
    for read in (as_of_end, as_of_day):
        with pytest.raises(UsageError) as raised:
            read("2025-01-03T10:00+00:00", zone)
        message = str(raised.value)
        assert message.startswith("unknown time zone") and "fix: set ADVOCACY_TIMEZONE" in message
        assert len(message) < 300


def test_the_report_reads_until_in_the_workspace_zone(story: str, tmp_path: Path) -> None:
    # The report's --until was the end of the day in UTC: in Tokyo the next morning (00:30 on
    # 1 July is 15:30 UTC on 30 June) counted, so NEXT climbed to advocate and AFTER joined.
    from advocacy.report.section import ReportScope
    from advocacy.report.sections import advocates as section
    from advocacy.report.sections import loop

    _import(story, tmp_path, _edge_rows(ZONES["Asia/Tokyo"]))
    scope = ReportScope(until=dt.date(2026, 6, 30))
    with advocacy.open(story, settings=_settings(tmp_path, "Asia/Tokyo")) as ws:
        shown = " ".join(re.sub(r"<[^>]+>", " ", str(section._ladder(ws, scope))).split())
        by_day = ws.advocates.ladder(as_of=AS_OF)
        by_utc_day = ws.advocates.ladder(as_of="2026-06-30T23:59:59+00:00")
        now = loop._as_of(ws, scope)
    counts = by_day["rung"].value_counts()
    assert len(by_utc_day) == len(by_day) + 1  # AFTER: the test would see the old rule
    for rung in ("advocate", "promoter"):
        assert f"{rung} {counts[rung]:,}" in shown, rung
    assert now == utc(2026, 6, 30, 14, 59, 59, 999999)
