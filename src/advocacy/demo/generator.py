"""The demo generator: a seeded, realistic Lumen & Oak workspace as pandas data frames.

>>> import numpy as np
>>> data = generate(np.random.default_rng(7), customers=500)
>>> sorted(data.tables)[:3]
['customers', 'employee-response-items', 'employee-responses']

Built-in effects, so every analysis has something real to find:

- the North store is slow and short-staffed: longer interactions, fewer resolved at first
  contact, lower CES and NPS, more effort complaints, and (in :mod:`advocacy.demo.culture`) an
  unhappy team with low eNPS and wide culture gaps;
- billing errors (about 30% of billing contacts, 3% elsewhere) cut the score by ~2.6 points and
  bring billing complaints with them;
- the Coast store's scores drift down in the last quarter (April-June 2026);
- promoters refer far more than passives, about half never refer; ~20% of referrals convert;
  detractors buy less and churn sooner (:mod:`advocacy.demo.commerce`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advocacy.demo import comments, voices
from advocacy.demo.commerce import (
    band_of,
    expected_score,
    make_referrals,
    make_transactions,
    referrals_table,
)
from advocacy.demo.company import (
    BRAND,
    LAST_QUARTER_DAY,
    SPAN_DAYS,
    STORE_UNITS,
    TOUCHPOINT_BY_NAME,
    TOUCHPOINTS,
    UNIT_BY_NAME,
    customers_table,
    days_to_timestamps,
    make_customers,
    make_employees,
    person_names,
)
from advocacy.demo.culture import make_culture_survey, make_response_items, make_targets

#: Kinds in the order they must be imported (customers before anything that refers to them).
IMPORT_ORDER = (
    "customers",
    "employees",
    "responses",
    "response-items",
    "interactions",
    "transactions",
    "referrals",
    "mentions",
    "notes",
    "employee-responses",
    "employee-response-items",
    "targets",
)

BILLING_ERROR_DROP = 2.6
SERVICE_ROLES = ("store associate", "service desk", "design advisor", "support agent",
                 "billing specialist")  # fmt: skip


@dataclass
class DemoData:
    """Every table of the demo, keyed by kind, columns named as the canonical fields."""

    tables: dict[str, pd.DataFrame]

    def __getitem__(self, kind: str) -> pd.DataFrame:
        return self.tables[kind]


def fill_slots(rng: np.random.Generator, text: str, unit: str | None = None) -> str:
    """Fill ``{product}``, ``{day}`` and ``{unit}`` in a comment template."""
    if "{product}" in text:
        text = text.replace("{product}", str(rng.choice(comments.PRODUCTS)))
    if "{day}" in text:
        text = text.replace("{day}", str(rng.choice(comments.DAYS)))
    if "{unit}" in text:
        text = text.replace("{unit}", unit or str(rng.choice(STORE_UNITS)))
    return text


def _active_days(rng: np.random.Generator, customers: pd.DataFrame, rate: float) -> np.ndarray:
    """Indices of customers repeated once per event, events at ``rate`` per active month."""
    start = np.maximum(customers["start_day"].to_numpy(), 0.0)
    months = np.maximum(customers["end_day"].to_numpy() - start, 0.0) / 30.4
    return np.repeat(np.arange(len(customers)), rng.poisson(rate * months))


def _event_days(rng: np.random.Generator, customers: pd.DataFrame, owner: np.ndarray) -> np.ndarray:
    start = np.maximum(customers["start_day"].to_numpy(), 0.0)[owner]
    end = customers["end_day"].to_numpy()[owner]
    return np.asarray(start + rng.random(len(owner)) * (end - start))


def _staff_picker(employees: pd.DataFrame) -> dict[str, np.ndarray]:
    service = employees[employees["role"].isin(SERVICE_ROLES)]
    return {str(unit): group["employee_id"].to_numpy() for unit, group in service.groupby("unit")}


def _visit_units(
    rng: np.random.Generator, units: np.ndarray, touchpoints: np.ndarray
) -> np.ndarray:
    """Online customers visiting a store are served by one of the stores."""
    units = units.astype(object).copy()
    visiting = (units == "Online") & (touchpoints == "in-store")
    units[visiting] = rng.choice(STORE_UNITS, size=int(visiting.sum()))
    return units


def make_responses(
    rng: np.random.Generator, customers: pd.DataFrame, employees: pd.DataFrame
) -> pd.DataFrame:
    """Relationship and post-touchpoint survey answers with NPS, CSAT, CES and comments."""
    owner = _active_days(rng, customers, 0.1)
    count = len(owner)
    day = _event_days(rng, customers, owner)
    relationship = rng.random(count) < 0.2
    names = np.array([touchpoint.name for touchpoint in TOUCHPOINTS])
    weights = np.array([0.1, 0.06, 0.1, 0.16, 0.14, 0.12, 0.14, 0.1, 0.08])
    touchpoint = np.where(relationship, "relationship", rng.choice(names, size=count, p=weights))
    units = _visit_units(rng, customers["unit"].to_numpy()[owner], touchpoint)
    unit_info = [UNIT_BY_NAME[str(unit)] for unit in units]
    billing_error = rng.random(count) < np.where(touchpoint == "billing", 0.3, 0.03)
    touch_shift = np.array([TOUCHPOINT_BY_NAME[t].score_shift if t in TOUCHPOINT_BY_NAME else 0.0
                            for t in touchpoint])  # fmt: skip
    drift = np.array([info.late_drift for info in unit_info]) * (day >= LAST_QUARTER_DAY)
    store_shift = np.array([info.score_shift for info in unit_info])
    home_shift = customers["unit"].map(lambda n: UNIT_BY_NAME[n].score_shift).to_numpy()[owner]
    score = (
        expected_score(customers)[owner]
        - home_shift
        + store_shift
        + touch_shift
        + drift
        - BILLING_ERROR_DROP * billing_error
        + rng.normal(0.0, 1.1, count)
    )
    nps = np.clip(np.round(score), 0, 10).astype(int)
    csat = np.clip(np.round(1 + (score + rng.normal(0, 0.9, count)) / 2.4), 1, 5)
    effort_shift = np.array([info.effort_shift for info in unit_info])
    ces = np.clip(
        np.round(4.4 + 0.45 * (score - 7) + effort_shift + rng.normal(0, 0.8, count)), 1, 7
    )
    staff = _staff_picker(employees)
    bands = band_of(score)
    rows: list[dict[str, object]] = []
    for index in range(count):
        tp = str(touchpoint[index])
        unit = str(units[index])
        served = tp in ("in-store", "support", "returns", "billing")
        comment = None
        if rng.random() < 0.6:
            comment = _comment(rng, tp, unit, str(bands[index]), bool(billing_error[index]))
        rows.append(
            {
                "survey": "relationship" if tp == "relationship" else f"post-{tp}",
                "channel": "email"
                if tp == "relationship"
                else str(rng.choice(TOUCHPOINT_BY_NAME[tp].channels)),
                "touchpoint": tp,
                "journey_stage": TOUCHPOINT_BY_NAME[tp].stage if tp != "relationship" else "other",
                "unit": unit,
                "employee_id": str(rng.choice(staff[unit])) if served else None,
                "comment": comment,
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(0, "customer_id", customers["customer_id"].to_numpy()[owner])
    frame.insert(
        1, "submitted_day", np.minimum(day + rng.uniform(0, 0.5, count), SPAN_DAYS - 0.001)
    )
    frame["nps"] = nps
    frame["csat"] = csat
    frame["csat_scale_min"], frame["csat_scale_max"] = 1, 5
    frame["ces"] = ces
    frame["ces_scale_min"], frame["ces_scale_max"] = 1, 7
    frame["language"] = "en"
    frame["billing_error"] = billing_error
    frame = frame.sort_values(["submitted_day", "customer_id"], kind="stable").reset_index(
        drop=True
    )
    frame.insert(0, "response_id", [f"R{index:06d}" for index in range(1, len(frame) + 1)])
    frame.insert(3, "submitted_at", days_to_timestamps(frame["submitted_day"].to_numpy()))
    return frame


def _comment(rng: np.random.Generator, touchpoint: str, unit: str, band: str, billing: bool) -> str:
    if billing:
        theme = "billing"
    elif unit == "North" and band != "promoter" and rng.random() < 0.45:
        theme = "support"
    elif touchpoint in TOUCHPOINT_BY_NAME:
        theme = TOUCHPOINT_BY_NAME[touchpoint].theme
    else:
        theme = str(rng.choice(list(comments.CUSTOMER_COMMENTS)))
    if billing and band == "promoter":
        band = "passive"  # a billing error rarely leaves a glowing comment
    text = fill_slots(rng, str(rng.choice(comments.CUSTOMER_COMMENTS[theme][band])), unit)
    if unit == "North" and band == "detractor" and rng.random() < 0.35:
        text = f"{text} {rng.choice(comments.EFFORT_CLAUSES)}"
    return text


def make_interactions(
    rng: np.random.Generator, customers: pd.DataFrame, employees: pd.DataFrame
) -> pd.DataFrame:
    """Contacts by touchpoint and channel; North's take longer and resolve less often."""
    owner = _active_days(rng, customers, 0.2)
    count = len(owner)
    names = np.array(["support", "returns", "billing", "delivery", "in-store", "onboarding"])
    touchpoint = rng.choice(names, size=count, p=[0.35, 0.15, 0.15, 0.15, 0.1, 0.1])
    units = _visit_units(rng, customers["unit"].to_numpy()[owner], touchpoint)
    channel = np.where(
        touchpoint == "in-store", "store", rng.choice(["phone", "chat", "email"], size=count)
    )
    base = pd.Series(channel).map({"phone": 480.0, "chat": 600.0, "email": 300.0, "store": 420.0})
    factor = np.array([UNIT_BY_NAME[str(unit)].duration_factor for unit in units])
    duration = base.to_numpy() * factor * np.where(touchpoint == "billing", 1.4, 1.0)
    duration = np.round(duration * rng.lognormal(0.0, 0.5, count))
    resolved = np.where(units == "North", 0.62, 0.84)
    draw = rng.random(count)
    outcome = np.where(draw < resolved, "resolved",
                       np.where(draw < resolved + 0.1, "escalated", "unresolved"))  # fmt: skip
    staff = _staff_picker(employees)
    frame = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[owner],
            "occurred_day": _event_days(rng, customers, owner),
            "channel": channel,
            "touchpoint": touchpoint,
            "journey_stage": [TOUCHPOINT_BY_NAME[str(t)].stage for t in touchpoint],
            "unit": units.astype(str),
            "employee_id": [str(rng.choice(staff[str(unit)])) for unit in units],
            "outcome": outcome,
            "duration_seconds": duration,
        }
    )
    frame = frame.sort_values(["occurred_day", "customer_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "interaction_id", [f"I{index:07d}" for index in range(1, len(frame) + 1)])
    frame.insert(2, "occurred_at", days_to_timestamps(frame["occurred_day"].to_numpy()))
    return frame


def make_mentions(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Social posts and reviews; negative ones name North most, Coast's gather late."""
    count = max(30, len(customers) // 8)
    sentiment = rng.choice(["positive", "neutral", "negative"], size=count, p=[0.45, 0.22, 0.33])
    rows: list[dict[str, object]] = []
    authors = person_names(rng, count)
    for index in range(count):
        mood = str(sentiment[index])
        north = {"positive": 0.06, "neutral": 0.2, "negative": 0.45}[mood]
        others = [unit for unit in STORE_UNITS if unit != "North"]
        unit = "North" if rng.random() < north else str(rng.choice(others))
        template = str(rng.choice(voices.MENTIONS[mood]))
        day = float(rng.uniform(0, SPAN_DAYS))
        if mood == "negative" and unit == "Coast" and rng.random() < 0.6:
            day = float(rng.uniform(LAST_QUARTER_DAY, SPAN_DAYS))
        platform = str(rng.choice(["twitter", "instagram", "facebook", "trustpilot", "google"]))
        rating = None
        if platform in ("trustpilot", "google"):
            rating = float({"positive": rng.choice([4, 5, 5]), "neutral": 3,
                            "negative": rng.choice([1, 1, 2])}[mood])  # fmt: skip
        known = rng.random() < 0.3
        rows.append(
            {
                "platform": platform,
                "author": "@" + authors[index].lower().replace(" ", "_") + str(index % 97),
                "customer_id": str(rng.choice(customers["customer_id"])) if known else None,
                "posted_day": day,
                "text": fill_slots(rng, template, unit),
                "rating": rating,
                "url": f"https://{platform}.example/posts/{index + 1}",
                "unit": unit if "{unit}" in template else None,
                "brand": BRAND,
            }
        )
    frame = pd.DataFrame(rows).sort_values("posted_day", kind="stable").reset_index(drop=True)
    frame.insert(0, "mention_id", [f"M{index:05d}" for index in range(1, len(frame) + 1)])
    frame.insert(4, "posted_at", days_to_timestamps(frame["posted_day"].to_numpy()))
    return frame.drop(columns=["posted_day"])


def make_notes(rng: np.random.Generator, customers: pd.DataFrame) -> pd.DataFrame:
    """Interview and call notes by the customer team."""
    count = max(len(voices.NOTES), len(customers) // 90)
    interviewers = ("Maria Lopez", "James Okoro", "Hannah Berg", "Sunil Mehta")
    texts = [voices.NOTES[index % len(voices.NOTES)] for index in range(count)]
    return pd.DataFrame(
        {
            "note_id": [f"N{index:04d}" for index in range(1, count + 1)],
            "customer_id": rng.choice(customers["customer_id"], size=count),
            "taken_at": days_to_timestamps(np.sort(rng.uniform(0, SPAN_DAYS, count))),
            "interviewer": rng.choice(interviewers, size=count),
            "text": [fill_slots(rng, text) for text in texts],
        }
    )


def generate(rng: np.random.Generator, *, customers: int = 5000) -> DemoData:
    """Generate the whole demo company from ``rng``: every table, keyed by kind.

    Parameters
    ----------
    rng
        The random generator; the same seed gives the same company.
    customers
        Number of customers (the other tables scale with it).

    Returns
    -------
    DemoData
        Tables keyed by kind in :data:`IMPORT_ORDER`, with canonical column names.
    """
    employees = make_employees(rng)
    people = make_customers(rng, customers)
    referrals = make_referrals(rng, people)  # moves converted customers' start days
    responses = make_responses(rng, people, employees)
    transactions = make_transactions(rng, people)
    survey, survey_items = make_culture_survey(rng, employees)
    tables = {
        "customers": customers_table(people),
        "employees": employees,
        "responses": responses.drop(columns=["submitted_day", "billing_error"]),
        "response-items": make_response_items(rng, responses),
        "interactions": make_interactions(rng, people, employees).drop(columns=["occurred_day"]),
        "transactions": transactions.drop(columns=["occurred_day"]),
        "referrals": referrals_table(referrals, people, transactions),
        "mentions": make_mentions(rng, people),
        "notes": make_notes(rng, people),
        "employee-responses": survey,
        "employee-response-items": survey_items,
        "targets": make_targets(),
    }
    return DemoData({kind: tables[kind] for kind in IMPORT_ORDER})
