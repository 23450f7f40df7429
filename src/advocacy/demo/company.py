"""Lumen & Oak, the demo's fictional home-goods retailer: its units, staff and customers.

Everything random comes from the ``numpy.random.Generator`` passed in, so a seed rebuilds the
same company. Customers carry a hidden ``loyalty`` (their standing disposition towards the
company) and an active window (``start_day``/``end_day`` in days since :data:`START`); the
evidence generators read both, then the hidden columns are dropped before the files are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd

BRAND = "Lumen & Oak"

#: The evidence spans 18 months: January 2025 to June 2026.
START = datetime(2025, 1, 1, tzinfo=UTC)
END = datetime(2026, 7, 1, tzinfo=UTC)
SPAN_DAYS = (END - START).days
#: The last quarter, when the Coast store's scores drift down.
LAST_QUARTER_DAY = (datetime(2026, 4, 1, tzinfo=UTC) - START).days


@dataclass(frozen=True)
class Unit:
    """A store or team. ``score_shift`` moves its customers' likelihood to recommend."""

    name: str
    region: str
    staff: int
    score_shift: float
    duration_factor: float = 1.0
    effort_shift: float = 0.0
    late_drift: float = 0.0


#: North is the slow, short-staffed store; Coast drifts down in the last quarter.
UNITS: tuple[Unit, ...] = (
    Unit("North", "North", 14, -0.9, duration_factor=1.8, effort_shift=-1.1),
    Unit("Central", "Midlands", 26, 0.0),
    Unit("South", "South", 24, 0.3),
    Unit("Coast", "West", 22, 0.2, late_drift=-1.1),
    Unit("Online", "National", 34, 0.0),
)
UNIT_BY_NAME = {unit.name: unit for unit in UNITS}
STORE_UNITS = tuple(unit.name for unit in UNITS if unit.name != "Online")


@dataclass(frozen=True)
class Touchpoint:
    """A moment of the journey: its stage, the comment theme it draws on, channels, effect."""

    name: str
    stage: str
    theme: str
    channels: tuple[str, ...]
    score_shift: float


TOUCHPOINTS: tuple[Touchpoint, ...] = (
    Touchpoint("onboarding", "sell", "onboarding", ("web", "app", "store"), 0.2),
    Touchpoint("pricing", "sell", "pricing", ("web", "email"), -0.2),
    Touchpoint("website", "sell", "app", ("web", "app"), 0.0),
    Touchpoint("delivery", "serve", "delivery", ("email", "sms"), 0.0),
    Touchpoint("in-store", "serve", "staff", ("store",), 0.3),
    Touchpoint("product", "serve", "product", ("email", "web"), 0.2),
    Touchpoint("support", "solve", "support", ("phone", "chat", "email"), -0.3),
    Touchpoint("billing", "solve", "billing", ("email", "phone"), -0.3),
    Touchpoint("returns", "solve", "returns", ("store", "web"), -0.1),
)
TOUCHPOINT_BY_NAME = {touchpoint.name: touchpoint for touchpoint in TOUCHPOINTS}

FIRST_NAMES = (
    "Ana", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hugo", "Isla", "Jonas", "Kiran",
    "Leah", "Marco", "Nadia", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Yusuf", "Zoe", "Aisha", "Callum", "Dara", "Eva", "Finn", "Hana", "Ivan", "Jess",
    "Luca", "Maya", "Noah", "Olga", "Ravi", "Sofia", "Theo",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Baker", "Costa", "Das", "Evans", "Fischer", "Garcia", "Hughes", "Ibrahim", "Jones",
    "Kowalski", "Lee", "Murphy", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Singh", "Turner",
    "Usman", "Varga", "Walsh", "Xu", "Young", "Zhang", "Brennan", "Clarke", "Dubois", "Moreau",
)  # fmt: skip


def person_names(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` plausible full names (repeats allowed, as in any real list)."""
    first = rng.choice(FIRST_NAMES, size=count)
    last = rng.choice(LAST_NAMES, size=count)
    return [f"{a} {b}" for a, b in zip(first, last, strict=True)]


def days_to_timestamps(days: np.ndarray) -> pd.Series:
    """Days since :data:`START` (floats) as UTC timestamps rounded to the second."""
    offsets = pd.to_timedelta(np.round(np.asarray(days, dtype=float) * 86_400), unit="s")
    return pd.Series(pd.Timestamp(START) + offsets)


def make_employees(rng: np.random.Generator) -> pd.DataFrame:
    """Staff of every unit: a manager, team leads, and front-line roles reporting to them."""
    rows: list[dict[str, object]] = []
    number = 0
    for unit in UNITS:
        front_line = (
            ("support agent", "billing specialist")
            if unit.name == "Online"
            else ("store associate", "service desk", "design advisor")
        )
        leads: list[str] = []
        manager = ""
        for index in range(unit.staff):
            number += 1
            employee_id = f"E{number:03d}"
            if index == 0:
                role, supervisor = (
                    ("store manager" if unit.name != "Online" else "head of service"),
                    "",
                )
                manager = employee_id
            elif index <= max(1, unit.staff // 10):
                role, supervisor = "team lead", manager
                leads.append(employee_id)
            else:
                role, supervisor = str(rng.choice(front_line)), str(rng.choice(leads))
            rows.append(
                {
                    "employee_id": employee_id,
                    "unit": unit.name,
                    "role": role,
                    "supervisor_id": supervisor,
                }
            )
    frame = pd.DataFrame(rows)
    names = person_names(rng, len(frame))
    frame.insert(1, "name", names)
    frame.insert(
        2,
        "email",
        [f"{n.lower().replace(' ', '.')}.{i}@lumenandoak.example" for i, n in enumerate(names)],
    )
    # North loses people faster, so its staff were hired more recently.
    tenure_years = np.where(
        frame["unit"] == "North", rng.gamma(1.5, 0.8, len(frame)), rng.gamma(2.0, 1.6, len(frame))
    )
    hired = pd.Timestamp(START) - pd.to_timedelta(np.round(tenure_years * 365), unit="D")
    frame["hired_at"] = hired.strftime("%Y-%m-%d")
    return frame


def make_customers(rng: np.random.Generator, count: int) -> pd.DataFrame:
    """``count`` customers with segment, region, tier, plan and the hidden columns.

    Hidden columns (dropped before writing): ``loyalty`` (standard normal disposition),
    ``unit`` (home store or Online), ``start_day``/``end_day`` (active window in days since
    :data:`START`; ``end_day`` before the end of the window means the customer churned).
    """
    ids = [f"C{index:05d}" for index in range(1, count + 1)]
    names = person_names(rng, count)
    unit_weights = np.array([0.17, 0.22, 0.2, 0.16, 0.25])
    units = rng.choice([unit.name for unit in UNITS], size=count, p=unit_weights)
    regions = np.array([UNIT_BY_NAME[str(unit)].region for unit in units], dtype=object)
    online = units == "Online"
    regions[online] = rng.choice(["North", "Midlands", "South", "West"], size=int(online.sum()))
    segment = rng.choice(["household", "small business"], size=count, p=[0.86, 0.14])
    loyalty = rng.normal(0.0, 1.0, count)
    spend = 0.5 * loyalty + rng.normal(0.0, 1.0, count) + np.where(segment == "household", 0, 0.6)
    tier = np.where(spend > 1.1, "gold", np.where(spend > 0.0, "silver", "bronze"))
    plan = rng.choice(["none", "club", "club plus"], size=count, p=[0.45, 0.4, 0.15])
    # 70% were customers before the window opened; the rest joined during it.
    joined_before = rng.random(count) < 0.7
    start_day = np.where(
        joined_before, -rng.uniform(30, 4 * 365, count), rng.uniform(0, SPAN_DAYS - 20, count)
    )
    # Churn hazard rises steeply as loyalty falls: detractors leave.
    monthly_hazard = 0.012 * np.exp(-0.9 * loyalty)
    lifetime = rng.exponential(30.4 / monthly_hazard)
    end_day = np.minimum(np.maximum(start_day, 0.0) + lifetime, float(SPAN_DAYS))
    frame = pd.DataFrame(
        {
            "customer_id": ids,
            "name": names,
            "email": [
                f"{n.lower().replace(' ', '.')}{i}@mail.example" for i, n in enumerate(names, 1)
            ],
            "segment": segment,
            "region": regions.astype(str),
            "value_tier": tier,
            "plan": plan,
            "loyalty": loyalty,
            "unit": units,
            "start_day": start_day,
            "end_day": end_day,
        }
    )
    return frame


HIDDEN_CUSTOMER_COLUMNS = ("loyalty", "unit", "start_day", "end_day")


def customers_table(customers: pd.DataFrame) -> pd.DataFrame:
    """The customers file: canonical columns plus ``plan``, hidden columns dropped."""
    table = customers.drop(columns=list(HIDDEN_CUSTOMER_COLUMNS))
    table["first_seen"] = days_to_timestamps(customers["start_day"].to_numpy())
    return table
