"""A client with purchases only (audit4 H2): who is slipping away, in the CLI, the web, the
report and the customer search, on the CDNOW sample of Fader, Hardie & Lee (2005).

The values at risk are recomputed here from the source file (purchase days, repeat spend, the
weeks since the first purchase), independently of the library's summary; only the probability
of being active comes from the fitted model (whose parameters the estimator tests pin).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.report.section import ReportScope
from advocacy.report.sections.advocates import build
from support.cli import advocacy_cli
from support.page_text import page_words

END = pd.Timestamp("1998-06-30")  # the last purchase day of CDNOW


@pytest.fixture(scope="module")
def workspace(
    cdnow: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, pd.DataFrame]:
    """The sample written as CDNOW's master is (``date``, ``dollar_value``, ``number_of_cds``)
    and imported without a mapping; with the values at risk computed from the file."""
    folder = tmp_path_factory.mktemp("cdnow")
    source = folder / "cdnow.txt"
    written = cdnow.assign(date=cdnow["date"].dt.strftime("%Y%m%d"))
    written.rename(columns={"amount": "dollar_value", "quantity": "number_of_cds"})[
        ["customer_id", "date", "number_of_cds", "dollar_value"]
    ].to_csv(source, sep=" ", index=False)
    url = str(folder / "advocacy.duckdb")
    with advocacy.open(url) as ws:
        ws.import_file(source, kind="transactions")
    days = cdnow.groupby(["customer_id", "date"], as_index=False)["amount"].sum()
    days = days.sort_values(["customer_id", "date"])
    days["repeat"] = days.groupby("customer_id").cumcount() > 0
    by = days.groupby("customer_id")
    expected = pd.DataFrame(
        {
            "frequency": by["repeat"].sum(),
            "repeat_mean": days[days["repeat"]].groupby("customer_id")["amount"].mean(),
            "weeks": (END - by["date"].min()).dt.days / 7,
        }
    ).fillna({"repeat_mean": 0.0})
    expected["spend"] = by["amount"].sum()  # the customer's real total (review10 item 7)
    return url, expected


def test_slipping_away_ranks_repeat_buyers_by_value_at_risk(
    workspace: tuple[str, pd.DataFrame],
) -> None:
    url, expected = workspace
    with advocacy.open(url) as ws:
        gone = ws.retention.slipping_away(horizon=52)
    assert len(gone) > 100
    assert (gone["frequency"] > 0).all() and (gone["probability_alive"] < 0.5).all()
    assert gone["value_at_risk"].is_monotonic_decreasing
    rows = gone.set_index("customer_id").join(expected.add_suffix("_source"))
    assert (rows["frequency"] == rows["frequency_source"]).all()
    by_hand = rows["spend_source"] / rows["weeks_source"] * 52 * (1 - rows["probability_alive"])
    assert (rows["value_at_risk"] - by_hand).abs().max() < 1e-6 * by_hand.max()
    assert (rows["spend_so_far"] - rows["spend_source"]).abs().max() < 1e-6


def test_predict_sorts_as_asked_and_says_by_what(
    workspace: tuple[str, pd.DataFrame], tmp_path: Path
) -> None:
    url = workspace[0]
    out = tmp_path / "risk.csv"
    done = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--sort", "value-at-risk", "--out", str(out),
        "--db", url, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "by value at risk" in " ".join(done.stdout.split())  # wrapped at the terminal's width
    risk = pd.read_csv(out, dtype={"customer_id": str})
    assert risk["value_at_risk"].is_monotonic_decreasing and len(risk) == 2357
    done = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--sort", "p-active", "--format", "json",
        "--db", url, cwd=tmp_path,
    )  # fmt: skip
    lowest = pd.DataFrame(json.loads(done.stdout))
    assert lowest["probability_alive"].is_monotonic_increasing
    table = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--sort", "p-active", "--db", url,
        cwd=tmp_path, env={"COLUMNS": "200"},
    )  # fmt: skip
    assert "Customers by probability of being active, lowest first" in table.stdout
    assert lowest.iloc[0]["customer_id"] in table.stdout


def test_the_report_says_who_is_slipping_away_without_any_answer(
    workspace: tuple[str, pd.DataFrame],
) -> None:
    with advocacy.open(workspace[0]) as ws:
        section = build(ws, ReportScope())
        top = ws.retention.slipping_away(horizon=52).iloc[0]
    body = str(section.body)
    assert "<h3>Who is slipping away</h3>" in body and "<h3>The advocacy ladder</h3>" not in body
    assert top["customer_id"] in body and "Value at risk" in body
    assert any("No survey answers with customer ids" in note for note in section.notes)
    assert not [note for note in section.notes if "not shown" in note], section.notes


def test_the_web_lists_buyers_and_shows_who_is_slipping_away(
    workspace: tuple[str, pd.DataFrame], cdnow: pd.DataFrame
) -> None:
    url = workspace[0]
    bought = int((cdnow["customer_id"] == "03487").sum())  # the file's rows of 03487
    with advocacy.open(url) as ws:
        token = create_token(ws.db, role="analyst", name="ana").secret
        (row,) = ws.customers.find("03487")
        assert (row["customer_id"], row["purchases"], row["responses"]) == ("03487", bought, 0)
        top = ws.retention.slipping_away(horizon=52).iloc[0]
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(url), base_url="https://testserver") as client:
        found = page_words(client.get("/customers?q=03487", headers=headers).text)
        customer = page_words(client.get(f"/customers/{top['customer_id']}", headers=headers).text)
        advocates = page_words(client.get("/advocates", headers=headers).text)
    assert "No customers found" not in found and "03487" in found
    assert f"03487 0 {bought}" in found, found  # no answers, no last answer, its purchases
    assert "Will they buy again? P(active)" in customer
    assert f"{100 * top['probability_alive']:.0f}%" in customer
    assert "Slipping away: repeat buyers more likely gone than active" in advocates
    assert "survey answers" not in advocates.split("Missing:")[0]  # no answers: none claimed
    assert "NPS answers" not in advocates.split("Missing:")[0]


def test_advocacy_commands_say_why_they_are_empty(
    workspace: tuple[str, pd.DataFrame], tmp_path: Path
) -> None:
    url = workspace[0]
    wide = {"COLUMNS": "400"}
    ladder = advocacy_cli("advocates", "ladder", "--db", url, cwd=tmp_path, env=wide)
    assert ladder.returncode == 0, ladder.stderr
    assert "no customer is on the ladder" in ladder.stdout
    assert "0 NPS answers with a customer id, 0 referrals" in ladder.stdout
    fans = advocacy_cli("advocates", "fans-to-be", "--db", url, cwd=tmp_path, env=wide)
    assert fans.returncode == 1
    assert "no referrals and no positive reviews by known customers" in fans.stderr
    assert "everyone (or no one)" not in fans.stderr
    silent = advocacy_cli("advocates", "silent-promoters", "--db", url, cwd=tmp_path, env=wide)
    assert "no silent promoters" in silent.stdout
