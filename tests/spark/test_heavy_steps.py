"""The heavy steps on local Spark over Parquet exports give the workspace's (DuckDB's) results.

One small demo company (seeded) is built once for the module and its tables exported to
Parquet; Spark starts once per test run (the shared ``spark_session``). Without Java or
PySpark these tests skip locally and fail in CI.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import advocacy
from advocacy.advocates.ladder import advocacy_ladder
from advocacy.advocates.say_do import say_do_gap
from advocacy.demo.build import build_demo
from advocacy.drivers.moments import driver_moments, importance_from_moments
from advocacy.drivers.relative_importance import relative_importance
from advocacy.drivers.respondents import driver_data
from advocacy.metrics.engines import spark_tables
from advocacy.retention.lifetime_value import predict_retention
from advocacy.retention.rfm import summarize_transactions
from advocacy.text.non_answers import non_answer_mask
from advocacy.text.theme_aggregates import engine_theme_impact
from advocacy.text.themes import theme_impact
from advocacy.workspace import Workspace
from support.cli import advocacy_cli

TABLES = (
    "customers",
    "responses",
    "response_items",
    "transactions",
    "referrals",
    "mentions",
    "notes",
    "employee_responses",
)


def same_resolution(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its timestamps as microseconds in UTC: the engines return the same
    instants in different forms (DuckDB: microseconds with the zone; Spark, whose session runs
    in UTC: nanoseconds without it)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            out[column] = values.astype("datetime64[us, UTC]")
        elif pd.api.types.is_datetime64_dtype(values.dtype):
            out[column] = values.dt.tz_localize("UTC").astype("datetime64[us, UTC]")
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Path]]:
    """The demo workspace (DuckDB) and the folder of its tables as Parquet."""
    folder = tmp_path_factory.mktemp("spark-demo")
    summary = build_demo(folder / "demo", seed=11, customers=400)
    data = folder / "parquet"
    data.mkdir()
    ws = advocacy.open(str(summary.database))
    for table in TABLES:
        ws.export(table, out=data / f"{table}.parquet", format="parquet")
    # A derived table, as text analysis on Spark (or the workspace) leaves it.
    ws.db.ibis.table("document_themes").to_parquet(data / "document_themes.parquet")
    yield ws, data
    ws.close()


@pytest.fixture(scope="module")
def on_spark(demo: tuple[Workspace, Path], spark_session: Any) -> Any:
    """The Parquet tables as Ibis tables on the shared Spark session."""
    return spark_tables(demo[1], session=spark_session)


def test_purchase_summary_is_the_workspace_summary(
    demo: tuple[Workspace, Path], on_spark: Any
) -> None:
    ws, _ = demo
    options = {"calibration_end": "2026-03-31", "observation_end": "2026-06-30"}
    expected = summarize_transactions(ws.table("transactions"), **options)
    got = summarize_transactions(on_spark("transactions"), **options)
    assert len(expected) > 100
    assert expected["frequency"].max() > 0 and expected["holdout_frequency"].max() > 0
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)
    # And both are the pandas summary of the same transactions.
    by_hand = summarize_transactions(ws.table("transactions").to_pandas(), **options)
    pd.testing.assert_frame_equal(
        got.drop(columns="first_purchase"),
        by_hand.drop(columns="first_purchase"),
        check_exact=False,
        rtol=1e-9,
    )


def test_retention_predict_on_spark_writes_the_workspace_predictions(
    demo: tuple[Workspace, Path], spark_session: Any, tmp_path: Path
) -> None:
    ws, data = demo
    ran = advocacy_cli(
        "retention", "predict", "--engine", "spark", "--data", str(data), "--out", str(tmp_path),
        "--horizon", "26", "--discount-rate", "0.01", "--format", "json",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    summary = json.loads(ran.stdout)
    expected = predict_retention(ws.table("transactions"), horizon=26, discount_rate=0.01)
    written = pd.read_parquet(summary["scores"]).sort_values("customer_id").reset_index(drop=True)
    expected = expected.sort_values("customer_id").reset_index(drop=True)
    assert summary["customers"] == len(expected) == len(written) > 100
    assert Path(summary["scores"]).is_dir()  # Spark's folder of part files
    pd.testing.assert_frame_equal(written, expected[written.columns], check_exact=False, rtol=1e-9)
    assert set(summary["bg-nbd"]) == {"r", "alpha", "a", "b"}


def test_spark_scores_carry_spend_so_far_and_refunds(
    demo: tuple[Workspace, Path], spark_session: Any, tmp_path: Path
) -> None:
    """Two refunds (negative amounts) added to the demo's purchases: the Spark scores say what
    each customer spent net of them and how many were set apart, as the workspace does."""
    _, data = demo
    bought = pd.read_parquet(data / "transactions.parquet")
    refunded = bought.sort_values("occurred_at").groupby("customer_id").tail(1).head(2).copy()
    refunded["amount"] = -refunded["amount"].abs() / 2
    refunded["transaction_id"] = refunded["transaction_id"].astype(str) + "-refund"
    folder = tmp_path / "with-refunds"
    folder.mkdir()
    with_refunds = pd.concat([bought, refunded], ignore_index=True)
    with_refunds.to_parquet(folder / "transactions.parquet", index=False)
    ran = advocacy_cli(
        "retention", "predict", "--engine", "spark", "--data", str(folder), "--out",
        str(tmp_path / "out"), "--horizon", "26", "--format", "json",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    written = pd.read_parquet(json.loads(ran.stdout)["scores"]).set_index("customer_id")
    expected = predict_retention(with_refunds, horizon=26, intervals=False).set_index("customer_id")
    assert int(written["refunds"].sum()) == 2 == int(expected["refunds"].sum())
    both = written[["spend_so_far", "refunds"]].join(
        expected[["spend_so_far", "refunds"]].add_suffix("_ws")
    )
    assert (both["refunds"] == both["refunds_ws"]).all()
    assert (both["spend_so_far"] - both["spend_so_far_ws"]).abs().max() < 1e-9
    # the refunded customers' spend is their purchases less half the last one
    for customer, row in refunded.set_index("customer_id").iterrows():
        paid = bought.loc[bought["customer_id"] == customer, "amount"].sum()
        assert written.loc[customer, "spend_so_far"] == pytest.approx(paid + row["amount"])


@pytest.mark.parametrize(("method", "level"), [("lmg", "item"), ("johnson", "dimension")])
def test_driver_weights_from_spark_moments(
    demo: tuple[Workspace, Path], on_spark: Any, method: str, level: str
) -> None:
    ws, data = demo
    rows = driver_data(ws.table("responses"), ws.table("response_items"), level=level)
    expected = relative_importance(
        rows,
        outcome="nps",
        drivers=rows.attrs["drivers"],
        method=method,
        n_bootstrap=0,  # type: ignore[arg-type]
    )
    moments = driver_moments(on_spark("responses"), on_spark("response_items"), level=level)
    assert moments.n == expected.attrs["n"] > 30
    got = importance_from_moments(moments, method=method)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)
    assert got.attrs["r_squared"] == pytest.approx(expected.attrs["r_squared"], rel=1e-9)
    # The CLI prints the same weights (to four decimals).
    ran = advocacy_cli(
        "gaps", "drivers", "--engine", "spark", "--data", str(data), "--method", method,
        "--level", level, "--format", "json",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    printed = pd.DataFrame(json.loads(ran.stdout))
    assert printed["driver"].tolist() == expected["driver"].tolist()
    assert printed["raw_weight"].to_numpy() == pytest.approx(expected["raw_weight"], abs=5e-5)


def test_ladder_on_spark(demo: tuple[Workspace, Path], on_spark: Any) -> None:
    ws, _ = demo
    names = ("responses", "referrals", "mentions", "transactions")
    expected = advocacy_ladder(*(ws.table(name) for name in names))
    got = advocacy_ladder(*(on_spark(name) for name in names))
    assert set(expected["rung"]) >= {"detractor", "passive", "promoter", "advocate"}
    pd.testing.assert_frame_equal(same_resolution(got), same_resolution(expected))


@pytest.mark.parametrize("by", [None, "segment"])
def test_say_do_on_spark(demo: tuple[Workspace, Path], on_spark: Any, by: str | None) -> None:
    ws, _ = demo
    names = ("responses", "referrals", "mentions", "customers")
    expected = say_do_gap(*(ws.table(name) for name in names), by=by, period="quarter")
    got = say_do_gap(*(on_spark(name) for name in names), by=by, period="quarter")
    assert expected["promoters"].sum() > 20
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=False, rtol=1e-12)


def test_theme_impact_from_spark_counts(demo: tuple[Workspace, Path], on_spark: Any) -> None:
    ws, _ = demo
    # The workspace's way (ws.text.themes): one row per respondent, one flag per theme.
    answered = ws.table("responses").to_pandas().dropna(subset=["nps"])
    links = ws.db.ibis.table("document_themes").to_pandas()
    links = links[links["document_kind"] == "response"]
    flags = pd.crosstab(links["document_id"], links["theme_id"]).clip(upper=1).astype(bool)
    flags = flags.reindex(answered["response_id"].astype(str), fill_value=False)
    # Commenters are those whose comment has content, themed or not (the theme listing's);
    # entering three themes, commenters whose themes are all others stay on the other side.
    commented = ~non_answer_mask(answered["comment"].tolist())
    entered = flags[list(flags.columns[:3])]
    assert (commented & ~entered.to_numpy().any(axis=1)).sum() > 20
    assert (~commented).sum() > 20  # no comment, or a non-answer: on neither side
    expected = theme_impact(answered["nps"].to_numpy(float), entered, commented=commented)
    got = engine_theme_impact(
        on_spark("responses"), on_spark("document_themes"), themes=list(entered.columns)
    )
    assert len(expected) >= 3 and expected["p_value"].min() < 0.05
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)


def test_text_analyze_on_spark_writes_the_workspace_features(
    demo: tuple[Workspace, Path], spark_session: Any, tmp_path: Path
) -> None:
    ws, data = demo
    # The demo build analysed every text (ws.text.analyze): the kinds the calibration has
    # enough labels of through it, the others by the model alone.
    stored = ws.db.ibis.table("text_features").to_pandas()
    ran = advocacy_cli(
        "text", "analyze", "--engine", "spark", "--data", str(data), "--out", str(tmp_path),
        "--format", "json",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    summary = json.loads(ran.stdout)
    written = pd.read_parquet(summary["features"])
    keys = ["document_kind", "document_id"]
    got = written.drop(columns="analysed_at").sort_values(keys).reset_index(drop=True)
    expected = stored[got.columns].sort_values(keys).reset_index(drop=True)
    assert len(expected) > 300 and set(expected["document_kind"]) >= {"response", "mention"}
    assert expected["sentiment"].nunique() == 3
    assert summary["calibration labels"] > 100  # the demo's scored comments calibrate both
    assert summary["analysed"] == len(expected)
    # The summary names the calibrated reading: that of the responses, whose scores fitted it.
    responses = expected[expected["document_kind"] == "response"]
    assert summary["model"] == responses["model"].iloc[0] != expected["model"].iloc[0]
    for frame in (got, expected):  # one JSON text in Parquet, a JSON value in DuckDB
        frame["emotions"] = [json.loads(v) if isinstance(v, str) else v for v in frame["emotions"]]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_exact=False, rtol=1e-12)


def test_text_analyze_on_spark_needs_its_folders(tmp_path: Path) -> None:
    ran = advocacy_cli("text", "analyze", "--engine", "spark", "--data", str(tmp_path))
    assert ran.returncode == 2
    assert "--engine spark needs --data and --out" in ran.stderr
