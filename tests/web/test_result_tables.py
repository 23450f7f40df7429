"""Each interval on a topic page sits beside the estimate it belongs to (issue #19's drivers,
say-do and theme-driver bugs), and values read as people write them."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
from fastapi.testclient import TestClient

from advocacy.present.web.pages.result_tables import result_table
from web.site import Site, bearer


def _cells(frame: pd.DataFrame, method: str, attribute: str = "") -> dict[str, list[str]]:
    table = result_table(frame, method=method, attribute=attribute, timezone="Europe/Berlin")
    return {
        column: [row[index].text for row in table.rows]
        for index, column in enumerate(table.columns)
    }


def test_a_drivers_share_never_shows_its_raw_weights_interval() -> None:
    # The library names each interval after its estimate (ws.gaps.drivers): the share is shown
    # with its own interval, never the raw weight's.
    named = pd.DataFrame(
        {
            "driver": ["Prompt service"],
            "share": [0.229],
            "share_low": [0.175],
            "share_high": [0.282],
            "raw_weight": [0.0391],
            "raw_weight_low": [0.0303],
            "raw_weight_high": [0.0533],
            "rank": [1],
        }
    )
    cells = _cells(named, "gaps.drivers")
    assert cells["share [95% interval]"] == ["23% [18%, 28%]"]
    assert cells["raw weight [95% interval]"] == ["0.04 [0.03, 0.05]"]


def test_say_dos_interval_belongs_to_its_rate() -> None:
    say_do = pd.DataFrame(
        {
            "promoters": [734],
            "advocated": [281],
            "referred": [250],
            "say_do": [0.383],
            "gap": [0.617],
            "say_do_low": [0.348],
            "say_do_high": [0.418],
        }
    )
    cells = _cells(say_do, "advocates.say_do")
    assert cells["say do [95% interval]"] == [
        "38% [35%, 42%]"
    ]  # precision of a ±3.5 point interval
    # The gap has no interval of its own: the precision of the one beside it.
    assert cells["gap"] == ["0.62"] and cells["promoters"] == ["734"]


def test_flags_moments_and_lists_read_as_people_write_them() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["C<1>"],
            "at_risk": [True],
            "responded_at": [pd.Timestamp("2025-04-03T12:05:00Z")],
            "reasons": [["price", "delivery"]],
            "nps": [10.0],
        }
    )
    table = result_table(frame, method="advocates.ladder", timezone="Europe/Berlin")
    texts = [cell.text for cell in table.rows[0]]
    assert texts == ["C<1>", "yes", "2025-04-03 14:05", "price, delivery", "10"]
    assert table.rows[0][0].href == "/customers/C%3C1%3E"
    assert table.rows[0][2].sort == dt.datetime(2025, 4, 3, 12, 5, tzinfo=dt.UTC).isoformat()


def test_the_gaps_page_shows_each_driver_with_the_librarys_interval(
    client: TestClient, site: Site
) -> None:
    state = client.app.state.web  # type: ignore[attr-defined]
    with state.use:
        drivers = state.ws.gaps.drivers()
    page = html.unescape(client.get("/gaps", headers=bearer(site, "analyst")).text)
    section = page.split("Key drivers of NPS", 1)[1].split("</table>", 1)[0]
    assert "ci low" not in section and "ci high" not in section
    for row in drivers.itertuples():
        assert f">{row.driver}<" in section
        if "share_low" in drivers.columns:
            expected = f"{100 * row.share:.0f}% ["
        else:
            expected = f"{100 * row.share:.1f}%"
        assert expected in section


def test_numbers_beside_an_interval_take_its_precision_and_counts_stay_whole() -> None:
    # The People page's culture table: current and desired to the gap interval's precision.
    units = pd.DataFrame(
        {
            "unit": ["Central", "Coast"],
            "current": [7.711, 6.6],
            "desired": [8.553, 8.657],
            "gap": [0.842, 2.057],
            "ci_low": [0.6, 1.8],
            "ci_high": [1.1, 2.4],
            "n": [38.0, 35.0],  # counts read as floats (a column with a missing value)
        }
    )
    cells = _cells(units, "gaps.culture", "units")
    assert cells["current"] == ["7.7", "6.6"] and cells["desired"] == ["8.6", "8.7"]
    assert cells["gap [95% interval]"] == ["0.8 [0.6, 1.1]", "2.1 [1.8, 2.4]"]
    assert cells["n"] == ["38", "35"]
    # Rows without intervals (employee results against customer NPS): one decimal, two
    # significant digits below 1, and a true minus sign.
    link = pd.DataFrame({"unit": ["North"], "enps": [-66.667], "culture_gap": [0.0412]})
    cells = _cells(link, "gaps.culture_link", "units")
    assert cells["enps"] == ["−66.7"] and cells["culture gap"] == ["0.041"]


def test_a_giant_text_is_cut_with_its_length_and_a_missing_customer_links_nowhere() -> None:
    giant = "Nobody called me back about the broken heater. " * 2_000
    frame = pd.DataFrame(
        {"customer_id": ["C-7", None, float("nan")], "comment": [giant, "Fine.", None]}
    )
    table = result_table(frame, method="advocates.silent_promoters")
    comments = [row[1].text for row in table.rows]
    assert comments[0].endswith(f"… (cut: {len(giant):,} characters in all)")
    assert len(comments[0]) < 2_100 and comments[1:] == ["Fine.", ""]
    assert [row[0].href for row in table.rows] == ["/customers/C-7", None, None]
