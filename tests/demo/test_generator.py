"""The demo generator: deterministic, the right size and span, and the effects built in."""

from __future__ import annotations

import re
import string

import numpy as np
import pandas as pd
import pytest

from advocacy.demo import comments, voices
from advocacy.demo.generator import IMPORT_ORDER, DemoData, generate
from advocacy.model import KINDS

CUSTOMERS = 1500
EXTRA_COLUMNS = {"customers": {"plan"}}
LAST_QUARTER = pd.Timestamp("2026-04-01", tz="UTC")


@pytest.fixture(scope="module")
def data() -> DemoData:
    return generate(np.random.default_rng(11), customers=CUSTOMERS)


def nps(scores: pd.Series) -> float:
    return float(100 * ((scores >= 9).mean() - (scores <= 6).mean()))


def last_band(data: DemoData) -> pd.Series:
    """Each respondent's band from their latest answer."""
    responses = data["responses"].sort_values("submitted_at")
    last = responses.groupby("customer_id")["nps"].last()
    return pd.Series(
        np.where(last >= 9, "promoter", np.where(last >= 7, "passive", "detractor")),
        index=last.index,
    )


def test_same_seed_same_company_other_seed_other_company() -> None:
    first = generate(np.random.default_rng(5), customers=200)
    second = generate(np.random.default_rng(5), customers=200)
    other = generate(np.random.default_rng(6), customers=200)
    for kind in IMPORT_ORDER:
        pd.testing.assert_frame_equal(first[kind], second[kind])
    assert not first["responses"].equals(other["responses"])


def test_every_kind_with_canonical_columns_and_unique_keys(data: DemoData) -> None:
    assert list(data.tables) == list(IMPORT_ORDER)
    for kind_name, frame in data.tables.items():
        kind = KINDS[kind_name]
        unknown = set(frame.columns) - set(kind.field_names) - EXTRA_COLUMNS.get(kind_name, set())
        assert not unknown, (kind_name, unknown)
        assert len(frame) > 0, kind_name
        assert not frame.duplicated(list(kind.key)).any(), kind_name
        for field in kind.fields:
            if field.required:
                assert frame[field.name].notna().all(), (kind_name, field.name)
            if field.choices and field.name in frame:
                assert set(frame[field.name].dropna()) <= set(field.choices), field.name


def test_sizes_and_an_eighteen_month_span(data: DemoData) -> None:
    assert len(data["customers"]) == CUSTOMERS
    assert 1.0 * CUSTOMERS < len(data["responses"]) < 2.0 * CUSTOMERS
    assert len(data["interactions"]) > 2 * CUSTOMERS
    assert len(data["transactions"]) > 3 * CUSTOMERS
    submitted = data["responses"]["submitted_at"]
    assert submitted.min() >= pd.Timestamp("2025-01-01", tz="UTC")
    assert submitted.max() < pd.Timestamp("2026-07-01", tz="UTC")
    assert submitted.dt.strftime("%Y-%m").nunique() == 18
    assert set(data["responses"]["journey_stage"]) == {"sell", "solve", "serve", "other"}
    assert data["responses"]["unit"].nunique() == 5
    assert data["responses"]["comment"].notna().mean() > 0.5


def test_north_is_slow_and_its_customers_feel_it(data: DemoData) -> None:
    interactions = data["interactions"]
    north = interactions["unit"] == "North"
    assert (
        interactions.loc[north, "duration_seconds"].mean()
        > 1.5 * interactions.loc[~north, "duration_seconds"].mean()
    )
    responses = data["responses"]
    at_north = responses["unit"] == "North"
    assert nps(responses.loc[at_north, "nps"]) < nps(responses.loc[~at_north, "nps"]) - 20
    assert responses.loc[at_north, "ces"].mean() < responses.loc[~at_north, "ces"].mean() - 1
    effort = responses["comment"].fillna("").str.contains("|".join(comments.EFFORT_CLAUSES))
    assert effort[at_north].sum() > 0 and effort[~at_north].sum() == 0


def test_coast_drifts_down_in_the_last_quarter(data: DemoData) -> None:
    responses = data["responses"]
    coast = responses[responses["unit"] == "Coast"]
    late = coast["submitted_at"] >= LAST_QUARTER
    assert nps(coast.loc[late, "nps"]) < nps(coast.loc[~late, "nps"]) - 15


def test_billing_complaints_drag_the_score(data: DemoData) -> None:
    responses = data["responses"]
    billing = set(comments.CUSTOMER_COMMENTS["billing"]["detractor"])
    pattern = "|".join(re.escape(text.split("{")[0]) for text in billing)
    complaint = responses["comment"].fillna("").str.match(pattern)
    assert complaint.sum() > 30
    assert nps(responses.loc[complaint, "nps"]) < nps(responses.loc[~complaint, "nps"]) - 40


def test_promoters_refer_more_but_about_half_never_do(data: DemoData) -> None:
    band = last_band(data)
    referrers = set(data["referrals"]["referrer_id"])
    refers = pd.Series(band.index.isin(list(referrers)), index=band.index).groupby(band).mean()
    assert refers["promoter"] > refers["passive"] > refers["detractor"]
    assert 0.3 < refers["promoter"] < 0.7  # the say-do gap


def test_some_referrals_convert_into_customers(data: DemoData) -> None:
    referrals = data["referrals"]
    converted = referrals[referrals["converted_at"].notna()]
    assert 0.15 < len(converted) / len(referrals) < 0.3
    assert converted["referred_customer_id"].notna().all()
    assert converted["referred_contact"].isna().all()
    assert (converted["converted_at"] > converted["referred_at"]).all()
    customers = data["customers"].set_index("customer_id")
    joined = customers.loc[converted["referred_customer_id"], "first_seen"].to_numpy()
    assert (joined == converted["converted_at"].to_numpy()).all()
    first_orders = data["transactions"].groupby("customer_id")["amount"].first()
    expected = first_orders.loc[converted["referred_customer_id"]].to_numpy()
    assert np.allclose(converted["first_order_value"].to_numpy(float), expected)


def test_detractors_buy_less_and_stop_sooner(data: DemoData) -> None:
    band = last_band(data)
    transactions = data["transactions"]
    purchases = transactions.groupby("customer_id").size().reindex(band.index, fill_value=0)
    mean = purchases.groupby(band).mean()
    assert mean["detractor"] < mean["passive"] < mean["promoter"]
    last = transactions.groupby("customer_id")["occurred_at"].max().reindex(band.index)
    stopped = (last < pd.Timestamp("2026-01-01", tz="UTC")).groupby(band).mean()
    assert stopped["detractor"] > stopped["promoter"]


def test_north_team_is_unhappy_with_wide_culture_gaps(data: DemoData) -> None:
    survey = data["employee-responses"]
    north = survey["unit"] == "North"
    assert nps(survey.loc[north, "enps"]) < nps(survey.loc[~north, "enps"]) - 40
    items = data["employee-response-items"].merge(survey[["employee_response_id", "unit"]])
    assert items["item"].nunique() == 9
    wide = items.pivot_table(
        index=["employee_response_id", "unit", "item"], columns="kind", values="value"
    ).reset_index()
    gap = (wide["desired"] - wide["current"]).groupby(wide["unit"] == "North").mean()
    assert gap[True] > 1.8 * gap[False]


def test_servqual_pairs_show_north_responsiveness_shortfall(data: DemoData) -> None:
    items = data["response-items"].merge(data["responses"][["response_id", "unit"]])
    assert set(items["kind"]) == {"expectation", "perception"}
    perception = items[(items["kind"] == "perception") & (items["dimension"] == "responsiveness")]
    by_north = perception.groupby(perception["unit"] == "North")["value"].mean()
    assert by_north[True] < by_north[False] - 1


def test_comment_bank_is_distinct_and_large_enough() -> None:
    customer = comments.customer_comment_templates()
    assert len(customer) >= 300
    assert len(set(customer)) == len(customer)
    for theme, bands in comments.CUSTOMER_COMMENTS.items():
        assert set(bands) == set(comments.BANDS), theme
        assert all(len(texts) >= 10 for texts in bands.values()), theme
    others = (
        [text for texts in voices.MENTIONS.values() for text in texts]
        + list(voices.NOTES)
        + [text for texts in voices.EMPLOYEE_COMMENTS.values() for text in texts]
    )
    every = customer + others + list(comments.EFFORT_CLAUSES)
    assert len(set(every)) == len(every)
    slots = {name for text in every for _, name, _, _ in string.Formatter().parse(text) if name}
    assert slots <= {"product", "day", "unit"}
