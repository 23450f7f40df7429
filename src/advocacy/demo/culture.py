"""The demo's ratings: the employee culture survey, SERVQUAL pairs, and the company's targets.

The culture survey rates nine attributes of a customer-centred culture, each current and
desired on 1-10, in two anonymous waves (October 2025 and April 2026). North's team is unhappy:
low eNPS and gaps about twice as wide as elsewhere, the same store whose customers wait longest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from advocacy.demo import voices
from advocacy.demo.commerce import band_of
from advocacy.demo.company import START, days_to_timestamps

#: The nine culture attributes, each with its usual gap between desired and current.
CULTURE_ITEMS: dict[str, float] = {
    "Clear vision and achievable mission": 1.2,
    "Leaders who inspire": 1.6,
    "Supervisors who coach rather than manage": 2.1,
    "Employees working from their strengths": 1.4,
    "Engaged workforce aligned to purpose": 1.5,
    "Job-specific training": 1.9,
    "Career paths": 2.3,
    "Rewards and recognition": 2.0,
    "Customers who become advocates": 1.3,
}

#: Survey waves, in days since START.
WAVES = ((START.replace(year=2025, month=10, day=13) - START).days,
         (START.replace(year=2026, month=4, day=13) - START).days)  # fmt: skip

#: SERVQUAL dimension -> two items rated for expectation and perception on 1-7.
SERVQUAL_ITEMS: dict[str, tuple[str, str]] = {
    "reliability": ("Delivers what was promised", "Gets it right the first time"),
    "responsiveness": ("Prompt service", "Always willing to help"),
    "assurance": ("Staff know their products", "I feel safe paying"),
    "empathy": ("Individual attention", "Understands my needs"),
    "tangibles": ("Stores and website look good", "Products look as pictured"),
}
#: How far perception falls short in the North store, by dimension.
NORTH_SHORTFALL = {"responsiveness": 1.4, "assurance": 0.5, "empathy": 0.4}


def make_culture_survey(
    rng: np.random.Generator, employees: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Anonymous culture survey answers (``employee-responses``) and their ratings.

    About 80% of staff answer each wave. Returns the answers and the item ratings, current and
    desired, on 1-10.
    """
    answers: list[dict[str, object]] = []
    items: list[dict[str, object]] = []
    number = 0
    for wave, wave_day in enumerate(WAVES):
        for unit in employees["unit"].to_numpy():
            if rng.random() > 0.8:
                continue
            number += 1
            answer_id = f"ER{number:04d}"
            north = unit == "North"
            mood = rng.normal(-1.7 if north else 0.3 - 0.2 * wave, 1.2)
            enps = int(np.clip(np.round(8.0 + 1.3 * mood), 0, 10))
            band = str(band_of(np.array([float(enps)]))[0])
            comment = None
            if rng.random() < 0.5:
                comment = str(rng.choice(voices.EMPLOYEE_COMMENTS[band]))
            answers.append(
                {
                    "employee_response_id": answer_id,
                    "employee_id": None,
                    "unit": unit,
                    "submitted_day": wave_day + float(rng.uniform(0, 10)),
                    "enps": enps,
                    "comment": comment,
                }
            )
            for item, usual_gap in CULTURE_ITEMS.items():
                desired = float(np.clip(np.round(rng.normal(8.7, 0.8)), 1, 10))
                gap = usual_gap * (2.1 if north else 1.0) - 0.35 * mood + rng.normal(0, 0.9)
                current = float(np.clip(np.round(desired - gap), 1, 10))
                for kind, value in (("current", current), ("desired", desired)):
                    items.append(
                        {
                            "employee_response_id": answer_id,
                            "item": item,
                            "kind": kind,
                            "value": value,
                            "scale_min": 1.0,
                            "scale_max": 10.0,
                        }
                    )
    survey = pd.DataFrame(answers)
    survey.insert(3, "submitted_at", days_to_timestamps(survey["submitted_day"].to_numpy()))
    return survey.drop(columns=["submitted_day"]), pd.DataFrame(items)


def make_response_items(rng: np.random.Generator, responses: pd.DataFrame) -> pd.DataFrame:
    """SERVQUAL expectation and perception pairs (1-7) for every relationship-survey answer.

    Perception follows the answer's likelihood to recommend, falls short on responsiveness in
    the North store and on reliability after a billing error; expectations sit high everywhere.
    """
    rated = responses[responses["survey"] == "relationship"]
    rows: list[dict[str, object]] = []
    for response_id, nps, unit, billing in zip(
        rated["response_id"], rated["nps"], rated["unit"], rated["billing_error"], strict=True
    ):
        for dimension, names in SERVQUAL_ITEMS.items():
            shortfall = NORTH_SHORTFALL.get(dimension, 0.0) if unit == "North" else 0.0
            if billing and dimension == "reliability":
                shortfall += 1.2
            for item in names:
                expectation = np.clip(np.round(rng.normal(6.1, 0.7)), 1, 7)
                perception = np.clip(
                    np.round(4.9 + 0.38 * (nps - 7) - shortfall + rng.normal(0, 0.8)), 1, 7
                )
                for kind, value in (("expectation", expectation), ("perception", perception)):
                    rows.append(
                        {
                            "response_id": response_id,
                            "item": item,
                            "dimension": dimension,
                            "kind": kind,
                            "value": float(value),
                            "scale_min": 1.0,
                            "scale_max": 7.0,
                        }
                    )
    return pd.DataFrame(
        rows,
        columns=["response_id", "item", "dimension", "kind", "value", "scale_min", "scale_max"],
    )


def make_targets() -> pd.DataFrame:
    """The targets the leadership team set for the end of 2026."""
    rows = [
        ("nps", "all", 35.0),
        ("nps", "unit=North", 20.0),
        ("nps", "unit=Coast", 35.0),
        ("csat-mean", "all", 4.2),
        ("ces", "all", 5.5),
        ("ces", "unit=North", 5.0),
        ("enps", "all", 30.0),
        ("enps", "unit=North", 0.0),
        ("item:reliability", "all", 6.0),
        ("item:responsiveness", "all", 6.0),
        ("referral_conversion", "all", 0.25),
        ("culture:Supervisors who coach rather than manage", "all", 8.0),
        ("culture:Career paths", "all", 7.5),
    ]
    return pd.DataFrame(
        {
            "target_id": [f"G{index:03d}" for index in range(1, len(rows) + 1)],
            "metric": [row[0] for row in rows],
            "scope": [row[1] for row in rows],
            "desired_value": [row[2] for row in rows],
            "due": "2026-12-31",
        }
    )
