"""Did asking work? Each outcome's rate in the ask and control arms, the lift and its interval.

For every member, an outcome counts when it happens within ``window_days`` of their assignment:
a click on their link, a referral they made (through the campaign's landing page or any other
way: the control group refers without being asked, and that is the baseline), a converted
referral, a review (a mention by them rated 4 or 5, or unrated) and the revenue their converted
referrals brought (earned growth). Referrals with fraud signals
(:func:`advocacy.advocates.referrals.attribute_referrals`) never count.

Each rate has its Wilson interval; the lift (ask minus control) has Newcombe's hybrid score
interval (method 10), the earned revenue per member Welch's t interval. The verdict uses the words
of action plans (:func:`advocacy.loop.plans.impact.movement`): ``improved`` or ``worsened`` when
the interval excludes 0, ``no clear change`` when it holds 0, ``too early`` before the final
analysis.

Sequential looks are honest by a rule stated up front: the **final analysis at N**. A campaign
names ``final_n`` when it is written (it cannot change once members exist). Every look before
then is an interim look: estimates and intervals are shown, no verdict is given, and no look
stops the campaign early. The final analysis uses exactly the first ``final_n`` members assigned,
once all of their windows have closed, so later members or later looks cannot move it; a single
test at the stated level keeps its error rate (no alpha is spent on interim looks).

Clicks have no control comparison (the control group has no link): their "lift" is the ask arm's
click rate, and a campaign that asks for a reference or a community (whose deed happens
elsewhere) reads its click rate only.

References
----------
.. [1] Newcombe, R. G. (1998). Interval estimation for the difference between independent
   proportions: comparison of eleven methods. Statistics in Medicine, 17(8), 873-890.
.. [2] Kohavi, R., Tang, D., & Xu, Y. (2020). Trustworthy Online Controlled Experiments.
   Cambridge University Press (holdout groups; the cost of peeking, ch. 17).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from advocacy.access.audit import now_utc
from advocacy.advocates.referrals import attribute_referrals
from advocacy.loop.asks.campaigns import Campaign
from advocacy.loop.asks.store import get_campaign, list_events, list_members
from advocacy.metrics import student_t
from advocacy.metrics.comparisons import welch_freedom
from advocacy.metrics.intervals import newcombe_difference, wilson_interval
from advocacy.store.connection import Database
from advocacy.store.steady import steady_table

#: Outcome name -> the member column that holds it.
OUTCOMES = {
    "click": "clicked",
    "referral": "referred",
    "converted referral": "converted",
    "review": "reviewed",
}
#: A review counts when its rating (1-5) is at least this, or it has none.
REVIEW_RATING_AT_LEAST = 4
RULE = (
    "final analysis at N: interim looks show estimates without a verdict; the verdict comes "
    "once the first {n} members' {days}-day windows have closed"
)


def _verdict(low: float, high: float, *, final: bool) -> str:
    if not final:
        return "too early"
    if math.isnan(low) or math.isnan(high) or low <= 0 <= high:
        return "no clear change"
    return "improved" if low > 0 else "worsened"


def lift_rows(
    members: pd.DataFrame, *, confidence: float = 0.95, final: bool = True
) -> pd.DataFrame:
    """Each outcome's rate per arm (Wilson) and the lift, ask minus control (Newcombe).

    Parameters
    ----------
    members
        One row per member: ``arm`` (``ask`` or ``control``) and the boolean outcome columns of
        :data:`OUTCOMES`.
    confidence
        The intervals' level.
    final
        Whether this is the final analysis (else every verdict is ``too early``).

    Returns
    -------
    pandas.DataFrame
        One row per outcome: ``ask_n``, ``ask_hits``, ``ask_rate`` (with ``ask_low``,
        ``ask_high``), the same for ``control``, ``lift``, ``low``, ``high`` and ``verdict``.

    Examples
    --------
    >>> frame = pd.DataFrame({"arm": ["ask"] * 70 + ["control"] * 80,
    ...                       "referred": [True] * 56 + [False] * 14 + [True] * 48 + [False] * 32})
    >>> row = lift_rows(frame).set_index("outcome").loc["referral"]
    >>> [round(float(row[k]), 4) for k in ("lift", "low", "high")], row["verdict"]
    ([0.2, 0.0524, 0.3339], 'improved')
    """
    rows = []
    ask = members[members["arm"] == "ask"]
    control = members[members["arm"] == "control"]
    for outcome, column in OUTCOMES.items():
        if column not in members:
            continue
        a_hits, a_n = int(ask[column].sum()), len(ask)
        c_hits, c_n = int(control[column].sum()), len(control)
        lift, low, high = newcombe_difference(a_hits, a_n, c_hits, c_n, confidence=confidence)
        row: dict[str, Any] = {"outcome": outcome}
        for arm, hits, n in (("ask", a_hits, a_n), ("control", c_hits, c_n)):
            rate = hits / n if n else math.nan
            interval = wilson_interval(rate if n else 0.0, max(n, 1), confidence)
            row |= {
                f"{arm}_n": n,
                f"{arm}_hits": hits,
                f"{arm}_rate": rate,
                f"{arm}_low": float(interval.low) if n else math.nan,
                f"{arm}_high": float(interval.high) if n else math.nan,
            }
        row |= {"lift": lift, "low": low, "high": high, "verdict": _verdict(low, high, final=final)}
        if outcome == "click":
            row["verdict"] = "n/a: control has no link"
        rows.append(row)
    return pd.DataFrame(rows)


def earned_lift(
    members: pd.DataFrame, *, confidence: float = 0.95, final: bool = True
) -> dict[str, float | str]:
    """Earned revenue per member (``earned``) in each arm and the difference (Welch t interval)."""
    ask = members.loc[members["arm"] == "ask", "earned"].to_numpy(float)
    control = members.loc[members["arm"] == "control", "earned"].to_numpy(float)
    result: dict[str, float | str] = {
        "ask_mean": float(ask.mean()) if len(ask) else math.nan,
        "control_mean": float(control.mean()) if len(control) else math.nan,
        "ask_total": float(ask.sum()),
        "control_total": float(control.sum()),
    }
    low = high = difference = math.nan
    if len(ask) > 1 and len(control) > 1:
        difference = float(ask.mean() - control.mean())
        v_a, v_c = ask.var(ddof=1) / len(ask), control.var(ddof=1) / len(control)
        spread = math.sqrt(v_a + v_c)
        if spread > 0:
            freedom = float(welch_freedom(math.sqrt(v_a), len(ask), math.sqrt(v_c), len(control)))
            half = student_t.quantile(0.5 + confidence / 2.0, freedom) * spread
            low, high = difference - half, difference + half
    result |= {
        "difference": difference,
        "low": low,
        "high": high,
        "verdict": _verdict(low, high, final=final),
    }
    return result


@dataclass(frozen=True)
class AskResults:
    """A campaign's results: members per arm, the look (interim or final) and the lifts."""

    campaign: Campaign
    look: str  # "interim" or "final"
    analysed: int
    members_ask: int
    members_control: int
    outcomes: pd.DataFrame
    earned: dict[str, float | str]
    rule: str
    as_of: datetime
    members: pd.DataFrame = field(repr=False)

    @property
    def primary(self) -> str:
        """The outcome the campaign's verdict reads (its action's, see ``ACTIONS``)."""
        return self.campaign.outcome

    @property
    def verdict(self) -> str:
        """The verdict on the primary outcome."""
        found = self.outcomes[self.outcomes["outcome"] == self.primary]
        return str(found["verdict"].iloc[0]) if len(found) else "too early"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready results (NaN as None)."""

        def clean(value: Any) -> Any:
            if isinstance(value, float | np.floating) and math.isnan(value):
                return None
            if isinstance(value, np.integer | np.floating):
                return value.item()
            return value

        return {
            "campaign_id": self.campaign.campaign_id,
            "name": self.campaign.name,
            "action": self.campaign.action,
            "channel": self.campaign.channel,
            "look": self.look,
            "analysed": self.analysed,
            "final_n": self.campaign.final_n,
            "members_ask": self.members_ask,
            "members_control": self.members_control,
            "holdout": self.campaign.holdout,
            "seed": self.campaign.seed,
            "primary": self.primary,
            "verdict": self.verdict,
            "rule": self.rule,
            "as_of": self.as_of.isoformat(),
            "outcomes": [
                {key: clean(value) for key, value in row.items()}
                for row in self.outcomes.to_dict("records")
            ],
            "earned": {key: clean(value) for key, value in self.earned.items()},
        }


def member_outcomes(
    db: Database,
    campaign: Campaign,
    *,
    now: datetime,
    referrals_of: Callable[[], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per member with their outcomes within the window (see the module docstring).

    ``referrals_of``, when given, returns every referral already attributed
    (:func:`~advocacy.advocates.referrals.attribute_referrals` of the workspace's tables);
    by default they are attributed here.
    """
    members = pd.DataFrame(
        [m.__dict__ for m in list_members(db, campaign.campaign_id)],
        columns=["campaign_id", "customer_id", "arm", "channel", "assigned_at", "asked_at"],
    )
    window = pd.Timedelta(days=campaign.window_days)
    members["assigned_at"] = pd.to_datetime(members["assigned_at"], utc=True)
    members["window_end"] = members["assigned_at"] + window
    members["closed"] = members["window_end"] <= pd.Timestamp(now)
    for column in OUTCOMES.values():
        members[column] = False
    members["earned"] = 0.0
    if members.empty:
        return members
    position = {who: index for index, who in enumerate(members["customer_id"])}

    def within(frame: pd.DataFrame, who: str, at: str) -> pd.DataFrame:
        joined = frame.merge(
            members[["customer_id", "assigned_at", "window_end"]],
            left_on=who,
            right_on="customer_id",
        )
        moment = pd.to_datetime(joined[at], utc=True)
        inside = (moment >= joined["assigned_at"]) & (moment <= joined["window_end"])
        return joined.loc[inside]

    clicks = pd.DataFrame(list_events(db, campaign.campaign_id, kind="click"))
    if not clicks.empty:
        hit = within(clicks.rename(columns={"customer_id": "clicker"}), "clicker", "occurred_at")
        members.loc[members["customer_id"].isin(hit["customer_id"]), "clicked"] = True
    if referrals_of is None:
        referrals = attribute_referrals(
            db.ibis.table("referrals"), db.ibis.table("customers"), db.ibis.table("transactions")
        )
    else:
        referrals = referrals_of()
    referrals = referrals[(referrals["fraud_signals"] == "") & referrals["referrer_id"].notna()]
    if not referrals.empty:
        made = within(referrals.astype({"referrer_id": str}), "referrer_id", "referred_at")
        members.loc[members["customer_id"].isin(made["customer_id"]), "referred"] = True
        converted = made[made["converted"].astype(bool)]
        members.loc[members["customer_id"].isin(converted["customer_id"]), "converted"] = True
        value = converted.groupby("customer_id")["referral_value"].sum()
        for who, amount in value.items():
            members.loc[position[str(who)], "earned"] = float(amount)
    mentions = steady_table(db, "mentions").select("customer_id", "posted_at", "rating").to_pandas()
    rating = pd.to_numeric(mentions["rating"], errors="coerce")
    favourable = rating.isna() | (rating >= REVIEW_RATING_AT_LEAST)
    mentions = mentions[mentions["customer_id"].notna() & favourable]
    mentions = mentions.drop(columns=["rating"]).rename(columns={"customer_id": "author"})
    if not mentions.empty:
        said = within(mentions.astype({"author": str}), "author", "posted_at")
        members.loc[members["customer_id"].isin(said["customer_id"]), "reviewed"] = True
    return members


def campaign_results(
    db: Database,
    campaign_id: str,
    *,
    confidence: float = 0.95,
    now: datetime | None = None,
    referrals_of: Callable[[], pd.DataFrame] | None = None,
) -> AskResults:
    """The campaign's results at ``now`` (an interim look, or the final analysis).

    Parameters
    ----------
    campaign_id
        The campaign.
    confidence
        The intervals' level (the workspace's ``confidence`` setting).
    now
        The moment of the look (default: now).
    referrals_of
        Returns every referral already attributed (see :func:`member_outcomes`).

    Returns
    -------
    AskResults

    Raises
    ------
    NotFoundError
        For an unknown campaign.
    """
    moment = now_utc(now)
    campaign = get_campaign(db, campaign_id)
    members = member_outcomes(db, campaign, now=moment, referrals_of=referrals_of)
    first = members.head(campaign.final_n)
    final = len(first) == campaign.final_n and bool(first["closed"].all())
    analysed = first if final else members
    return AskResults(
        campaign=campaign,
        look="final" if final else "interim",
        analysed=len(analysed),
        members_ask=int((members["arm"] == "ask").sum()),
        members_control=int((members["arm"] == "control").sum()),
        outcomes=lift_rows(analysed, confidence=confidence, final=final),
        earned=earned_lift(analysed, confidence=confidence, final=final),
        rule=RULE.format(n=campaign.final_n, days=campaign.window_days),
        as_of=moment,
        members=analysed,
    )


__all__ = [
    "OUTCOMES",
    "REVIEW_RATING_AT_LEAST",
    "RULE",
    "AskResults",
    "campaign_results",
    "earned_lift",
    "lift_rows",
    "member_outcomes",
]
