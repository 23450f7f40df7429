"""Survey waves: answers that arrive in bursts (an employee survey each March and September)
scored per wave and each wave compared with the one before.

A calendar period is the wrong unit for such a survey: the quarter before a September wave is
empty, so "change against the previous quarter" has nothing to compare with, and a monthly
trend draws a flat line through months nobody was asked. A wave is a run of answer days with
no gap longer than ``gap_days`` between them; it is named by its dates (``13-24 Oct 2025``).
Each wave's NPS-type score has the trinomial interval of :func:`advocacy.metrics.scores.
nps_from_counts`, and its change against the previous wave the z test of
:func:`advocacy.metrics.comparisons.nps_z_test`, corrected across waves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from advocacy.errors import UsageError
from advocacy.metrics.comparisons import adjust_p_values, nps_z_test, verdict
from advocacy.metrics.scores import nps_from_counts

#: Days without answers that end a wave (a survey left open for a month is still one wave).
GAP_DAYS = 45
#: Columns of :func:`survey_waves`.
COLUMNS = [
    "wave",
    "start",
    "end",
    "label",
    "n",
    "score",
    "se",
    "ci_low",
    "ci_high",
    "flag",
    "promoters",
    "passives",
    "detractors",
    "reference_label",
    "reference_score",
    "change",
    "p_value",
    "p_adjusted",
    "verdict",
]


def wave_label(start: dt.date, end: dt.date) -> str:
    """A wave named by its dates.

    >>> wave_label(dt.date(2025, 10, 13), dt.date(2025, 10, 24))
    '13-24 Oct 2025'
    >>> wave_label(dt.date(2025, 9, 29), dt.date(2025, 10, 3))
    '29 Sep-3 Oct 2025'
    >>> wave_label(dt.date(2026, 4, 2), dt.date(2026, 4, 2))
    '2 Apr 2026'
    """
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if start.year != end.year:
        return f"{start.day} {start:%b %Y}-{end.day} {end:%b %Y}"
    if start.month != end.month:
        return f"{start.day} {start:%b}-{end.day} {end:%b %Y}"
    return f"{start.day}-{end.day} {end:%b %Y}"


def survey_waves(
    days: pd.DataFrame,
    *,
    gap_days: int = GAP_DAYS,
    confidence: float = 0.95,
    interval: str = "adjusted-wald",
    correction: str = "holm",
    min_n: int = 30,
) -> pd.DataFrame:
    """NPS-type scores per survey wave, each compared with the wave before.

    Parameters
    ----------
    days
        One row per day with answers: ``period`` (the day), ``promoters``, ``passives`` and
        ``detractors`` (``ws.metrics.scores(..., period="day")`` of an NPS-type metric).
    gap_days
        More days than this without an answer start a new wave.
    confidence, interval
        The interval level and method of :func:`advocacy.metrics.scores.nps_from_counts`.
    correction
        The multiple-test correction across the waves' comparisons.
    min_n
        Waves with fewer answers are flagged.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`, oldest wave first: the wave's number, first and last day, its label,
        its answers, score, standard error and interval, and against the previous wave its
        label and score, the change with its p-value (raw and corrected) and the verdict in
        words; the first wave has nothing to compare with.

    Raises
    ------
    UsageError
        When ``gap_days`` is not positive.
    """
    if gap_days < 1:
        raise UsageError(
            f"a wave gap of {gap_days} days",
            value=gap_days,
            parameter="gap_days",
            fix="give the days without answers that separate two waves (1 or more)",
        )
    answered = days[(days["promoters"] + days["passives"] + days["detractors"]) > 0]
    if answered.empty:
        return pd.DataFrame(columns=COLUMNS)
    answered = answered.assign(day=pd.to_datetime(answered["period"]).dt.date)
    answered = answered.groupby("day", as_index=False)[
        ["promoters", "passives", "detractors"]
    ].sum()
    gaps = pd.to_datetime(answered["day"]).diff().dt.days.fillna(0)
    answered["wave"] = (gaps > gap_days).cumsum().astype(int) + 1
    rows: list[dict[str, Any]] = []
    for number, (_, group) in enumerate(answered.groupby("wave", sort=True), start=1):
        counts = group[["promoters", "passives", "detractors"]].sum()
        result = nps_from_counts(
            float(counts["detractors"]),
            float(counts["passives"]),
            float(counts["promoters"]),
            confidence=confidence,
            interval=interval,
        )
        start, end = group["day"].min(), group["day"].max()
        n = int(counts.sum())
        rows.append(
            {
                "wave": number,
                "start": start,
                "end": end,
                "label": wave_label(start, end),
                "n": n,
                "score": result.score,
                "se": result.se,
                "ci_low": result.ci_low,
                "ci_high": result.ci_high,
                "flag": f"fewer than {min_n} answers" if n < min_n else None,
                "promoters": int(counts["promoters"]),
                "passives": int(counts["passives"]),
                "detractors": int(counts["detractors"]),
            }
        )
    frame = pd.DataFrame(rows)
    previous = frame.shift(1)
    frame["reference_label"] = previous["label"]
    frame["reference_score"] = previous["score"].astype(float)
    frame["change"] = frame["score"] - frame["reference_score"]
    tested = frame["reference_score"].notna().to_numpy()
    p_values = np.full(len(frame), np.nan)
    if tested.any():
        p_values[tested] = nps_z_test(
            frame["score"][tested],
            frame["se"][tested],
            previous["score"][tested].astype(float),
            previous["se"][tested].astype(float),
        )[1]
    frame["p_value"] = p_values
    adjusted = np.full(len(frame), np.nan)
    if tested.any():
        adjusted[tested] = adjust_p_values(p_values[tested], correction)
    frame["p_adjusted"] = adjusted
    alpha = 1.0 - confidence
    enough = (frame["n"] >= min_n) & (previous["n"].fillna(0) >= min_n)
    frame["verdict"] = [
        "nothing to compare with"
        if not test
        else verdict(float(change), float(p), alpha=alpha, unit="points", enough=bool(ok))
        for test, change, p, ok in zip(
            tested, frame["change"], frame["p_adjusted"], enough, strict=True
        )
    ]
    return frame[COLUMNS]
