"""Fans-to-be: which customers who do not advocate yet are most likely to start.

Features per customer as of a cut-off (scores, comment sentiment, tenure, value, engagement)
predict whether the customer refers someone or posts a positive review in the following
horizon. A standardised logistic regression keeps the reasons readable: each customer's top
reasons are the features that raise their score most. Validation is on held-out *time*: fit on
the cut-off two horizons before "as of", test on the cut-off one horizon before, and report the
AUC and the lift of the top decile; the model that scores today's customers is then refitted on
the latest complete horizon.

References
----------
.. [1] Kumar, V., Petersen, J. A., & Leone, R. P. (2010). Driving profitability by encouraging
   customer referrals: who, when, and how. Journal of Marketing, 74(5), 1-17.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import numpy as np
import pandas as pd

from advocacy.advocates.evidence import LadderRules, advocacy_events, as_of_end, latest_evidence
from advocacy.advocates.logistic import LogisticFit, roc_auc
from advocacy.errors import InsufficientDataError, UsageError

FEATURES: dict[str, str] = {
    "latest_nps": "latest NPS",
    "mean_nps": "average NPS",
    "answers": "survey answers",
    "mean_csat": "average CSAT",
    "sentiment": "comment sentiment",
    "tenure_days": "tenure (days)",
    "spend": "spend",
    "orders": "orders",
    "days_since_purchase": "days since last purchase",
    "contacts": "service contacts",
}


def customer_features(
    tables: dict[str, Any], cutoff: dt.datetime, *, lookback_days: int = 365
) -> pd.DataFrame:
    """One row per customer with :data:`FEATURES` from evidence up to and including ``cutoff``.

    Evidence dated exactly at the cut-off counts (a purchase on the "as of" day is a purchase
    made by then, 0 days ago), so the features and the labels the models read after the cut-off
    (``> cutoff``) split time without a gap. Counts, sums and means cover the ``lookback_days``
    up to the cut-off, so a model fitted at one cut-off applies at a later one (cumulative
    totals would only ever grow); tenure and recency use the whole history.
    """
    since = cutoff - dt.timedelta(days=lookback_days)
    responses = tables["responses"]
    said = responses.filter(responses.customer_id.notnull(), responses.submitted_at <= cutoff)
    latest = ibis.window(group_by=said.customer_id, order_by=ibis.desc(said.submitted_at))
    ranked = said.mutate(position=ibis.row_number().over(latest))
    newest = ranked.filter(ranked.position == 0, ranked.nps.notnull())
    recent_said = said.submitted_at > since
    scores = said.group_by("customer_id").aggregate(
        mean_nps=said.nps.mean(where=recent_said),
        answers=said.count(where=recent_said),
        mean_csat=said.csat.mean(where=recent_said),
        first_answer=said.submitted_at.min(),
    )
    frame = scores.to_pandas().set_index("customer_id")
    last_said = newest.select("customer_id", latest_nps=newest.nps).to_pandas()
    frame = frame.join(last_said.set_index("customer_id"), how="left")
    bought = tables["transactions"]
    bought = bought.filter(bought.occurred_at <= cutoff)
    orders = (
        bought.group_by("customer_id")
        .aggregate(
            spend=bought.amount.sum(where=bought.occurred_at > since),
            orders=bought.count(where=bought.occurred_at > since),
            first_order=bought.occurred_at.min(),
            last_order=bought.occurred_at.max(),
        )
        .to_pandas()
        .set_index("customer_id")
    )
    frame = frame.join(orders, how="outer")
    contacts = tables.get("interactions")
    if contacts is not None:
        recent = contacts.filter(
            contacts.customer_id.notnull(),
            contacts.occurred_at <= cutoff,
            contacts.occurred_at > since,
        )
        counted = recent.group_by("customer_id").aggregate(contacts=recent.count()).to_pandas()
        frame = frame.join(counted.set_index("customer_id"), how="left")
    texts = tables.get("text_features")
    if texts is not None:
        labelled = texts.filter(texts.document_kind == "responses")
        said_recently = said.filter(recent_said)
        joined = said_recently.inner_join(
            labelled, said_recently.response_id == labelled.document_id
        )
        mood = joined.group_by("customer_id").aggregate(sentiment=joined.sentiment_score.mean())
        frame = frame.join(mood.to_pandas().set_index("customer_id"), how="left")
    themes = tables.get("document_themes")
    if themes is not None:
        counts = _theme_counts(said.filter(recent_said), themes, tables.get("themes"))
        frame = frame.join(counts, how="left")
    stamp = pd.Timestamp(cutoff)
    first = pd.concat(
        [
            pd.to_datetime(frame["first_answer"], utc=True),
            pd.to_datetime(frame["first_order"], utc=True),
        ],
        axis=1,
    ).min(axis=1)
    frame["tenure_days"] = (stamp - first).dt.total_seconds() / 86400.0
    last = pd.to_datetime(frame["last_order"], utc=True)
    frame["days_since_purchase"] = (stamp - last).dt.total_seconds() / 86400.0
    for name in FEATURES:
        if name not in frame.columns:
            frame[name] = np.nan
    theme_columns = [c for c in frame.columns if str(c).startswith(THEME_PREFIX)]
    frame[theme_columns] = frame[theme_columns].fillna(0.0)
    result: pd.DataFrame = frame[list(FEATURES) + theme_columns].astype(float)
    return result


#: Feature-name prefix of theme counts ("theme:billing errors" = comments on that theme).
THEME_PREFIX = "theme:"
#: The most common themes become features (more would only add noise on small data).
MAX_THEMES = 8


def _theme_counts(said: Any, document_themes: Any, themes: Any = None) -> pd.DataFrame:
    """Per customer, how many of their recent comments raised each of the commonest themes."""
    tagged = document_themes.filter(document_themes.document_kind == "responses")
    joined = said.inner_join(tagged, said.response_id == tagged.document_id)
    counts = joined.group_by(["customer_id", "theme_id"]).aggregate(n=joined.count()).to_pandas()
    if counts.empty:
        return pd.DataFrame(index=pd.Index([], name="customer_id"))
    common = counts.groupby("theme_id")["n"].sum().nlargest(MAX_THEMES).index
    wide: pd.DataFrame = counts[counts["theme_id"].isin(common)].pivot_table(
        index="customer_id", columns="theme_id", values="n", aggfunc="sum", fill_value=0
    )
    names: dict[str, str] = {}
    if themes is not None:
        listed = themes.select("theme_id", "name").to_pandas()
        names = dict(zip(listed["theme_id"], listed["name"], strict=True))
    wide.columns = [f"{THEME_PREFIX}{names.get(str(c), str(c))}" for c in wide.columns]
    return wide


def _advocates(events: pd.DataFrame, start: Any, end: Any) -> set[str]:
    window = events[(events["at"] > start) & (events["at"] <= end)]
    return set(window["customer_id"].astype(str))


def _describe(name: str, value: float) -> str:
    if name.startswith(THEME_PREFIX):
        return f"raised {name[len(THEME_PREFIX) :]} ({value:.0f}x)"
    return f"{FEATURES[name]} unknown" if np.isnan(value) else f"{FEATURES[name]} {value:.0f}"


class AdvocacyPropensity:
    """Standardised logistic regression of becoming an advocate, with per-customer reasons.

    Missing features are filled with the training median (an unknown NPS scores as a typical
    one), and features are clipped to the range seen in training, so a customer beyond it is
    not extrapolated to certainty.
    """

    coefficients_: pd.Series
    model_: LogisticFit
    medians_: pd.Series
    means_: pd.Series
    scales_: pd.Series
    lows_: pd.Series
    highs_: pd.Series

    def __init__(self, *, regularisation: float = 1.0) -> None:
        self.regularisation = regularisation

    def _standardize(self, features: pd.DataFrame) -> pd.DataFrame:
        filled = features[self.medians_.index].fillna(self.medians_).fillna(0.0)
        bounded = filled.clip(lower=self.lows_, upper=self.highs_, axis=1)
        return (bounded - self.means_) / self.scales_

    def fit(self, features: pd.DataFrame, became_advocate: Any) -> AdvocacyPropensity:
        labels = np.asarray(became_advocate, dtype=int)
        if len(np.unique(labels)) < 2:
            who = "every one" if len(labels) and labels.all() else "none"
            raise InsufficientDataError(
                f"cannot learn who becomes an advocate: {who} of the {len(labels):,} customers "
                "of the training period did",
                fix="use a longer horizon or more history",
            )
        usable = features.columns[features.notna().any()]
        self.medians_ = features[usable].median()
        filled = features[usable].fillna(self.medians_)
        self.means_ = filled.mean()
        self.scales_ = filled.std(ddof=0).replace(0.0, 1.0)
        self.lows_, self.highs_ = filled.min(), filled.max()
        self.model_ = LogisticFit.fit(
            self._standardize(features).to_numpy(), labels, regularisation=self.regularisation
        )
        self.coefficients_ = pd.Series(self.model_.coef, index=usable)
        return self

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.float64]]:
        if not hasattr(self, "coefficients_"):
            raise UsageError("this AdvocacyPropensity is not fitted yet", fix="call fit first")
        return self.model_.probability(self._standardize(features).to_numpy())

    def reasons(self, features: pd.DataFrame, *, top: int = 3) -> list[str]:
        """The ``top`` features raising each customer's score, worded with their values."""
        contributions = self._standardize(features) * self.coefficients_
        words = []
        values = features[contributions.columns].to_numpy(float)
        names = [str(name) for name in contributions.columns]
        for row_values, row in zip(values, contributions.to_numpy(float), strict=True):
            order = [i for i in np.argsort(-row) if row[i] > 0][:top]
            words.append("; ".join(_describe(names[i], row_values[i]) for i in order))
        return words

    def __repr__(self) -> str:
        state = "fitted" if hasattr(self, "coefficients_") else "unfitted"
        return f"<AdvocacyPropensity {state}, regularisation={self.regularisation}>"


@dataclass(frozen=True)
class PropensityResult:
    """Customers scored by a propensity model, and how well it ranked held-out time."""

    scores: pd.DataFrame
    auc: float
    top_decile_lift: float
    base_rate: float
    n_train: int
    n_test: int


def score_over_time(
    train: tuple[pd.DataFrame, np.ndarray],
    test: tuple[pd.DataFrame, np.ndarray],
    now: pd.DataFrame,
    *,
    score_name: str,
    nothing_happened: str,
) -> PropensityResult:
    """Validate on held-out time, then score ``now`` with a model refitted on the latest period.

    The model fitted on ``train`` is judged on ``test`` (ROC AUC and top-decile lift); the
    model that scores today is fitted on ``test``, the most recent labelled period.
    """
    train_x, train_y = train
    test_x, test_y = test
    predicted = AdvocacyPropensity().fit(train_x, train_y)
    predicted_test = predicted.predict_proba(test_x)
    if len(np.unique(test_y)) < 2:
        raise InsufficientDataError(nothing_happened)
    base = float(np.mean(test_y))
    top = predicted_test >= np.quantile(predicted_test, 0.9)
    final = AdvocacyPropensity().fit(test_x, test_y)
    scores = pd.DataFrame(
        {
            "customer_id": now.index.astype(str),
            score_name: final.predict_proba(now),
            "reasons": final.reasons(now),
            "latest_nps": now["latest_nps"].to_numpy(),
        }
    ).sort_values(score_name, ascending=False)
    return PropensityResult(
        scores=scores.reset_index(drop=True),
        auc=roc_auc(test_y, predicted_test),
        top_decile_lift=float(np.mean(test_y[top]) / base) if base > 0 else float("nan"),
        base_rate=base,
        n_train=len(train_x),
        n_test=len(test_x),
    )


def fans_to_be(
    tables: dict[str, Any],
    *,
    horizon_days: int = 90,
    as_of: Any = None,
    rules: LadderRules | None = None,
    timezone: str = "UTC",
) -> PropensityResult:
    """Score each customer who is not an advocate by their chance of becoming one.

    ``tables`` maps table names to Ibis tables: ``responses``, ``transactions``, ``referrals``,
    ``mentions`` and optionally ``interactions`` and ``text_features``. Evidence up to and
    including ``as_of`` (read in ``timezone`` as for
    :func:`advocacy.advocates.ladder.advocacy_ladder`; default the latest answer) is read.
    """
    rules = rules or LadderRules()
    end = as_of_end(as_of, timezone) or latest_evidence(tables["responses"].submitted_at)
    horizon = dt.timedelta(days=horizon_days)
    events = advocacy_events(tables["referrals"], tables["mentions"], rules).to_pandas()
    if events.empty:
        raise InsufficientDataError(
            "no customer has advocated in the evidence: there are no referrals and no positive "
            "reviews by known customers, so there is nothing to learn who will",
            fix="import referrals (--kind referrals) or reviews and posts with customer ids "
            "(--kind mentions)",
        )
    events["at"] = pd.to_datetime(events["at"], utc=True)

    def dataset(cutoff: dt.datetime, label_end: dt.datetime) -> tuple[pd.DataFrame, np.ndarray]:
        features = customer_features(tables, cutoff)
        already = _advocates(events, cutoff - dt.timedelta(days=rules.window_days), cutoff)
        features = features[~features.index.astype(str).isin(already)]
        later = _advocates(events, cutoff, label_end)
        return features, features.index.astype(str).isin(later).astype(int)

    now = customer_features(tables, end)
    current = _advocates(events, end - dt.timedelta(days=rules.window_days), end)
    return score_over_time(
        dataset(end - 2 * horizon, end - horizon),
        dataset(end - horizon, end),
        now[~now.index.astype(str).isin(current)],
        score_name="propensity",
        nothing_happened="no held-out customers became advocates; cannot validate",
    )
