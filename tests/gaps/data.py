"""A small, seeded workspace for the gap tests, loaded through the real importer.

Three units (North, South, East) with 30 customer answers each; attribute ratings (speed, price,
staff) drive NPS; SERVQUAL pairs for reliability (2 items) and tangibles (1 item); an employee
survey where East has only 4 respondents (below the suppression threshold of 5); targets.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import advocacy

UNITS = ("North", "South", "East")
EMPLOYEES = {"North": 6, "South": 5, "East": 4}


def frames(seed: int = 7) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    responses, items = [], []
    number = 0
    for unit_index, unit in enumerate(UNITS):
        for k in range(30):
            number += 1
            rid = f"R{number:03d}"
            speed, price, staff = rng.integers(1, 8, 3)
            score = 0.9 * speed + 0.5 * price + 0.2 * staff - 2.0 + unit_index * 0.3
            nps = int(np.clip(round(score + rng.normal(0, 0.8)), 0, 10))
            responses.append(
                {
                    "response_id": rid,
                    "submitted_at": f"2024-{1 + k % 12:02d}-{1 + k % 27:02d}T10:00:00Z",
                    "unit": unit,
                    "touchpoint": ("billing", "support", "store")[k % 3],
                    "nps": nps,
                }
            )
            for item, value in (("speed", speed), ("price", price), ("staff", staff)):
                items.append(
                    (
                        rid,
                        item,
                        "responsiveness" if item == "speed" else "value",
                        "rating",
                        float(value),
                    )
                )
            for item, dimension in (
                ("Keeps promises", "reliability"),
                ("Right first time", "reliability"),
                ("Neat staff", "tangibles"),
            ):
                expectation = float(rng.integers(5, 8))
                shortfall = 1.0 if dimension == "reliability" else 0.0
                perception = float(np.clip(expectation - shortfall - rng.integers(0, 2), 1, 7))
                items.append((rid, item, dimension, "expectation", expectation))
                items.append((rid, item, dimension, "perception", perception))
    item_frame = pd.DataFrame(items, columns=["response_id", "item", "dimension", "kind", "value"])
    item_frame["scale_min"], item_frame["scale_max"] = 1.0, 7.0
    answers, ratings = [], []
    number = 0
    for unit, count in EMPLOYEES.items():
        for k in range(count):
            number += 1
            eid = f"E{number:03d}"
            answers.append(
                {
                    "employee_response_id": eid,
                    "unit": unit,
                    "submitted_at": f"2024-06-{1 + k:02d}T09:00:00Z",
                    "enps": int((9, 10, 7, 3, 9, 8)[k % 6]),
                }
            )
            for attribute, gap in (("Career paths", 2.0), ("Leaders who inspire", 1.0)):
                desired = 9.0
                ratings.append((eid, attribute, "desired", desired))
                ratings.append((eid, attribute, "current", desired - gap - (k % 2)))
    rating_frame = pd.DataFrame(ratings, columns=["employee_response_id", "item", "kind", "value"])
    targets = pd.DataFrame(
        {
            "target_id": ["T1", "T2", "T3"],
            "metric": ["nps", "item:reliability", "referral_conversion"],
            "scope": ["all", "all", "all"],
            "desired_value": [60.0, 6.5, 0.3],
            "due": ["2025-12-31"] * 3,
        }
    )
    return {
        "responses": pd.DataFrame(responses),
        "response-items": item_frame,
        "employee-responses": pd.DataFrame(answers),
        "employee-response-items": rating_frame,
        "targets": targets,
    }


def workspace_with_gaps(url: str, folder: Path) -> advocacy.Workspace:
    """Open ``url`` and import the frames above as CSV files written to ``folder``."""
    ws = advocacy.open(url)
    for kind, frame in frames().items():
        path = folder / f"{kind}.csv"
        frame.to_csv(path, index=False)
        ws.import_file(path, kind=kind)
    return ws
