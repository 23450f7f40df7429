"""Without a spend model, the purchase model still speaks (review10 item 7).

When Gamma-Gamma cannot be fitted (here: CDNOW's sample with every amount 0, so no repeat buyer
spent anything), ``retention predict`` failed and the customer page lost P(active), which
BG/NBD gives from purchase days alone. BG/NBD does not read amounts, so its predictions must
equal those on the real amounts, computed here on the original file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.present.web import create_app
from advocacy.report.section import ReportScope
from advocacy.report.sections.advocates import build
from advocacy.retention.slipping import sort_customers, usable_order
from support.cli import advocacy_cli
from support.page_text import page_words


def _write(frame: pd.DataFrame, path: Path) -> Path:
    frame.assign(occurred_at=frame["date"].dt.strftime("%Y-%m-%d"))[
        ["customer_id", "occurred_at", "amount"]
    ].assign(transaction_id=[f"T{i}" for i in range(len(frame))]).to_csv(path, index=False)
    return path


def test_no_spend_model_keeps_p_active_and_says_why(
    duckdb_url: str, cdnow: pd.DataFrame, tmp_path: Path
) -> None:
    real = str(tmp_path / "real.duckdb")
    with advocacy.open(real) as ws:
        ws.import_file(_write(cdnow, tmp_path / "real.csv"), kind="transactions")
        reference = ws.retention.predict(horizon=52).set_index("customer_id")
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(_write(cdnow.assign(amount=0.0), tmp_path / "zero.csv"), kind="transactions")
        predicted = ws.retention.predict(horizon=52).set_index("customer_id")
        token = create_token(ws.db, role="analyst", name="ana").secret
    # review12 item 5: the cause is the amounts, not too few repeat buyers (many bought again)
    assert (predicted["frequency"] > 0).sum() >= 2
    assert predicted.attrs["no_value"] == (
        "no expected spend or lifetime value: every amount is 0: no spend to model; fix: "
        "import the transactions with their amounts (map the file's amount column to amount)"
    )
    assert predicted["lifetime_value"].isna().all() and predicted["expected_spend"].isna().all()
    both = predicted.join(reference.add_suffix("_real"))
    for column in ("probability_alive", "expected_purchases"):
        assert (both[column] - both[f"{column}_real"]).abs().max() < 1e-9, column
    assert (predicted["spend_so_far"] == 0).all()
    done = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--db", duckdb_url, cwd=tmp_path
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "P(active) and expected purchases from BG/NBD; no expected spend" in " ".join(
        done.stderr.split()
    )
    # no value at risk to sort by: it says so and what it sorted by, in that order
    by_risk = advocacy_cli(
        "retention", "predict", "--horizon", "52", "--sort", "value-at-risk", "--format", "json",
        "--db", duckdb_url, cwd=tmp_path,
    )  # fmt: skip
    assert by_risk.returncode == 0, by_risk.stderr
    assert (
        "cannot sort by value at risk: every value at risk is 0; sorted by probability of "
        "being active, lowest first"
    ) in " ".join(by_risk.stderr.split())
    shown = [row["probability_alive"] for row in json.loads(by_risk.stdout)]
    assert shown == sorted(shown) and len(shown) == len(predicted)
    customer = str(predicted["frequency"].idxmax())  # the most repeat purchase days
    with TestClient(create_app(duckdb_url), base_url="https://testserver") as client:
        page = client.get(f"/customers/{customer}", headers={"Authorization": f"Bearer {token}"})
    text = page_words(page.text)
    assert "could not be fitted" not in text
    assert f"P(active) {100 * reference.loc[customer, 'probability_alive']:.0f}%" in text
    assert "Expected value none: no expected spend or lifetime value" in text


def test_an_order_by_missing_value_falls_back_to_the_next_that_has_one() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "b", "c"],
            "lifetime_value": [float("nan")] * 3,
            "value_at_risk": [0.0, 5.0, 2.0],
            "probability_alive": [0.9, 0.2, 0.4],
            "spend_so_far": [10.0, 20.0, 30.0],
        }
    )
    assert usable_order(frame, "value") == (
        "value-at-risk",
        "cannot sort by lifetime value: no customer has a lifetime value; sorted by value at "
        "risk (spend over the horizon at the past pace if active, times the chance they have "
        "gone), highest first",
    )
    assert list(sort_customers(frame, "value-at-risk")["customer_id"]) == ["b", "c", "a"]
    assert usable_order(frame, "spend") == ("spend", "")
    assert usable_order(frame.assign(value_at_risk=0.0), "value-at-risk")[0] == "p-active"


def test_slipping_away_without_any_value_at_risk_says_its_order(
    duckdb_url: str, cdnow: pd.DataFrame, tmp_path: Path
) -> None:
    """Every amount 0: no one slipping away has a value at risk, so the table on /advocates and
    in the report is in order of P(active), lowest first, and says so, as the CLI does, instead
    of claiming an order by value at risk that is in fact by customer id."""
    said = (
        "cannot sort by value at risk: every value at risk is 0; sorted by probability of being "
        "active, lowest first"
    )
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(_write(cdnow.assign(amount=0.0), tmp_path / "zero.csv"), kind="transactions")
        gone = ws.retention.slipping_away(horizon=52)
        token = create_token(ws.db, role="analyst", name="ana").secret
        report = page_words(str(build(ws, ReportScope()).body))
    assert len(gone) > 100 and (gone["value_at_risk"] == 0).all()
    assert gone.attrs["order_fallback"] == said
    ranked = gone.sort_values(["probability_alive", "customer_id"], kind="mergesort")
    assert list(gone["customer_id"]) == list(ranked["customer_id"])
    with TestClient(create_app(duckdb_url), base_url="https://testserver") as client:
        page = client.get("/advocates", headers={"Authorization": f"Bearer {token}"}).text
    text = page_words(page)
    assert f"Slipping away: repeat buyers more likely gone than active; {said}" in text
    assert "active, by value at risk (" not in text
    lowest = ranked["customer_id"].iloc[0]
    table = text.split(said)[1]
    assert table.split("lifetime value ")[1].startswith(f"{lowest} ")
    assert f"The first of them ({said};" in report
    assert report.split("Value at risk ")[1].startswith(f"{lowest} ")
