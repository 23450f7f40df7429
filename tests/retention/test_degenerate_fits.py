"""BG/NBD where its equations divide by zero: ``a = 1`` (a legitimate fit, read at the limit of
Fader, Hardie & Lee (2005) eqs. 7 and 10) and a history where nobody bought twice (no fit at
all: the commands and pages say so, never infinities or NaN).

The limit is checked against the published formula itself evaluated on either side of 1
(where it has no 0/0): the mean of the two sides tends to the value at 1 as the square of the
distance, so at 1e-3 the two agree to ~1e-6 relative.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

import advocacy
from advocacy.access import create_token
from advocacy.errors import InsufficientDataError
from advocacy.present.web import create_app
from advocacy.retention import predict_retention
from support.cli import advocacy_cli
from support.page_text import page_words

# The CDNOW fit of FHL (2005) with a set to 1 (r, alpha, b as published).
PARAMS = {"r": 0.243, "alpha": 4.414, "b": 2.426}
HISTORIES = (np.array([0.0, 2.0, 5.0, 1.0]), np.array([0.0, 30.43, 10.0, 38.0]), np.full(4, 38.86))


def _model(a: float) -> advocacy.BetaGeo:
    model = advocacy.BetaGeo()
    model.params_ = {**PARAMS, "a": a}
    model.log_likelihood_, model.n_customers_ = 0.0, 1
    return model


@pytest.mark.parametrize("a", [1.0, 1.0 + 3e-5, 1.0 - 3e-5])
def test_expected_purchases_at_a_near_one_are_the_formulas_limit(a: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 0/0 warned and gave NaN before
        at_one = _model(a).expected_purchases(39, *HISTORIES)
        new_customer = float(_model(a).expected_purchases_new_customer(39))
    sides = [_model(a + step).expected_purchases(39, *HISTORIES) for step in (1e-3, -1e-3)]
    assert np.all(np.isfinite(at_one)) and np.all(at_one > 0)
    assert np.allclose(at_one, (sides[0] + sides[1]) / 2, rtol=1e-5, atol=0)
    # it lies between the two sides (the expectation falls as a, the drop-out odds, rises)
    assert np.all((sides[0] < at_one) & (at_one < sides[1]))
    new_sides = [
        float(_model(a + step).expected_purchases_new_customer(39)) for step in (1e-3, -1e-3)
    ]
    assert new_customer == pytest.approx(sum(new_sides) / 2, rel=1e-5)


def test_a_fit_away_from_one_is_unchanged() -> None:
    # FHL (2005) p. 279: 1.226 for x = 2, t_x = 30.43, T = 38.86 at the published a = 0.793
    assert round(float(_model(0.793).expected_purchases(39, 2, 30.43, 38.86)), 3) == 1.226


def _one_time_buyers(tmp_path: Path) -> Path:
    path = tmp_path / "once.csv"
    pd.DataFrame(
        {
            "transaction_id": [f"T{i}" for i in range(5)],
            "customer_id": [f"C{i}" for i in range(5)],
            "occurred_at": [f"2024-0{i + 1}-10" for i in range(5)],
            "amount": [10.0, 20.0, 30.0, 40.0, 50.0],
        }
    ).to_csv(path, index=False)
    return path


def test_nobody_bought_twice_is_said_with_the_reason(duckdb_url: str, tmp_path: Path) -> None:
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(_one_time_buyers(tmp_path), kind="transactions")
        with pytest.raises(InsufficientDataError, match="none of the 5 customers bought again"):
            ws.retention.predict(horizon=52)
        with pytest.raises(InsufficientDataError, match="bought again"):
            ws.retention.slipping_away(horizon=52)
        token = create_token(ws.db, role="analyst", name="ana").secret
    done = advocacy_cli("retention", "predict", "--horizon", "52", "--db", duckdb_url, cwd=tmp_path)
    assert done.returncode == 1
    said = " ".join(done.stderr.split())
    assert "none of the 5 customers bought again" in said and "import more purchase" in said
    assert "nan" not in done.stdout.lower() and "inf" not in done.stdout.lower()
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(duckdb_url), base_url="https://testserver") as client:
        pages = [client.get(path, headers=headers) for path in ("/advocates", "/customers/C1")]
    for page in pages:
        assert page.status_code == 200
        text = page_words(page.text)
        assert "none of the 5 customers bought again" in text
        assert not re.search(r"\b(nan|inf)\b", text, flags=re.IGNORECASE)


def test_a_spend_fit_with_unbounded_mean_gives_no_value_not_infinity() -> None:
    # 50 repeat buyers on 21 days each, their purchase values spread over six orders of
    # magnitude: Gamma-Gamma's q falls below 1, so a new customer's mean spend p gamma / (q - 1)
    # is unbounded; and a one-time buyer, who would be given that mean.
    days = pd.date_range("2024-01-01", periods=21, freq="7D")
    rows = [
        {"customer_id": f"C{index:02d}", "occurred_at": day, "amount": float(value)}
        for index, value in enumerate(10.0 ** np.linspace(0, 6, 50))
        for day in days
    ]
    rows.append({"customer_id": "ONCE", "occurred_at": days[3], "amount": 20.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        predicted = predict_retention(pd.DataFrame(rows), horizon=52)
    assert "unbounded" in predicted.attrs["no_value"]
    assert predicted["lifetime_value"].isna().all()
    numbers = predicted.select_dtypes("number").to_numpy()
    assert not np.isinf(numbers).any()
    assert np.isfinite(predicted["probability_alive"]).all()


def test_two_repeat_buyers_are_too_few_and_said_so(
    duckdb_url: str, cdnow: pd.DataFrame, tmp_path: Path
) -> None:
    # The predict lane's leftover: CDNOW's first purchases, and the whole history of only two
    # customers. BG/NBD ran off to b = 1.8e23 and gave 23556 -4.2e8 expected purchases and a
    # lifetime value of -1.3e10 (intervals NaN). Too few repeat buyers: said as "nobody bought
    # twice" is, never a number.
    rows = cdnow[["customer_id", "date", "amount"]]
    pick = ["23554", "23556"]
    first = rows[rows["date"] == rows.groupby("customer_id")["date"].transform("min")]
    frame = pd.concat(
        [first[~first["customer_id"].isin(pick)], rows[rows["customer_id"].isin(pick)]]
    )
    customers = frame["customer_id"].nunique()
    said = f"only 2 of the {customers:,} customers bought again after their first purchase"
    with pytest.raises(InsufficientDataError, match=said):
        predict_retention(frame, horizon=52)
    path = tmp_path / "two.csv"
    frame.assign(
        occurred_at=frame["date"].dt.strftime("%Y-%m-%d"),
        transaction_id=[f"T{i}" for i in range(len(frame))],
    ).drop(columns="date").to_csv(path, index=False)
    with advocacy.open(duckdb_url) as ws:
        ws.import_file(path, kind="transactions")
    done = advocacy_cli("retention", "predict", "--horizon", "52", "--db", duckdb_url, cwd=tmp_path)
    assert done.returncode == 1
    shown = " ".join(done.stderr.split())
    assert said in shown and "runs off to an edge" in shown and "import more purchase" in shown
    assert not re.search(r"\b(nan|inf)\b", done.stdout, flags=re.IGNORECASE)


def test_clockwork_buyers_are_not_called_too_few() -> None:
    """30 of 40 customers buying every three months, nobody leaving, send BG/NBD to an edge:
    the refusal says what the data lack (anyone leaving), not that 30 repeat buyers are few."""
    rows = []
    for customer in range(40):
        for order in range(1 + customer % 4):
            day = 1 + (customer * 7 + order * 13) % 27
            rows.append((f"c{customer}", f"2024-{1 + order * 3:02d}-{day:02d}", 20.0))
    frame = pd.DataFrame(rows, columns=["customer_id", "occurred_at", "amount"])
    with pytest.raises(InsufficientDataError) as raised:
        predict_retention(frame, horizon=52)
    said = " ".join(str(raised.value).split())
    assert "30 of the 40 customers bought again, yet their purchases do not show" in said
    assert "too few" not in said
