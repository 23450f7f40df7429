"""A small workspace with comment themes, one of them planted to drive NPS down.

Two units, 90 answers each, rated on speed and price (1-7), which drive NPS. 20 answers have no
comment; every other comment carries one to three themes. "Billing errors" is mentioned only in
North's billing comments, and costs the respondent 5 NPS points (every fifth mention comes from
a customer whose error was put right, who gives 9);
"Friendly staff", "Parking" and "Opening hours" are mentioned at random and move nothing. Targets
ask for NPS 70 in both units, so both units have a gap; North's is made by billing errors.
Themes and their assignments are written straight into the derived tables, as the text layer
would after ``advocacy text discover-themes``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

import advocacy

PLANTED = "Billing errors"
NOISE = ("Friendly staff", "Parking", "Opening hours")
THEMES = {"T1": PLANTED, "T2": NOISE[0], "T3": NOISE[1], "T4": NOISE[2]}


def frames(seed: int = 11) -> dict[str, pd.DataFrame]:
    """``responses``, ``response-items``, ``targets`` and the ``mentions`` (response, theme)."""
    rng = np.random.default_rng(seed)
    responses, items, mentions = [], [], []
    number = 0
    for unit in ("North", "South"):
        for k in range(90):
            number += 1
            rid = f"R{number:03d}"
            touchpoint = ("billing", "store", "support")[k % 3]
            speed, price = (int(v) for v in rng.integers(1, 8, 2))
            score = 4.0 + 0.6 * speed + 0.3 * price + rng.normal(0, 0.7)
            commented = k % 9 != 0  # 10 of 90 per unit leave no comment
            themes: list[str] = []
            if commented:
                if unit == "North" and touchpoint == "billing" and k % 2 == 0:
                    themes.append(PLANTED)
                    if len([m for m in mentions if m[1] == PLANTED]) % 5 != 4:
                        score -= 5.0
                    else:
                        score = 9.0  # an error put right: the customer still recommends
                themes += [name for name in NOISE if rng.random() < 0.3]
                if not themes:
                    themes.append(NOISE[int(rng.integers(0, 3))])
            mentions += [(rid, name) for name in themes]
            responses.append(
                {
                    "response_id": rid,
                    "submitted_at": f"2025-{1 + k % 12:02d}-{1 + k % 27:02d}T10:00:00Z",
                    "unit": unit,
                    "touchpoint": touchpoint,
                    "nps": int(np.clip(round(score), 0, 10)),
                    "comment": ("About " + ", ".join(themes).lower()) if commented else "",
                }
            )
            items.append((rid, "speed", "pace", "rating", float(speed)))
            items.append((rid, "price", "value", "rating", float(price)))
    item_frame = pd.DataFrame(items, columns=["response_id", "item", "dimension", "kind", "value"])
    item_frame["scale_min"], item_frame["scale_max"] = 1.0, 7.0
    targets = pd.DataFrame(
        {
            "target_id": ["T1", "T2"],
            "metric": ["nps", "nps"],
            "scope": ["unit=North", "unit=South"],
            "desired_value": [70.0, 70.0],
            "due": ["2026-12-31"] * 2,
        }
    )
    return {
        "responses": pd.DataFrame(responses),
        "response-items": item_frame,
        "targets": targets,
        "mentions": pd.DataFrame(mentions, columns=["response_id", "theme"]),
    }


def workspace_with_themes(url: str, folder: Path, *, themes: bool = True) -> advocacy.Workspace:
    """Open ``url``, import the frames through the real importer and write the themes."""
    data = frames()
    ws = advocacy.open(url)
    for kind in ("responses", "response-items", "targets"):
        path = folder / f"{kind}.csv"
        data[kind].to_csv(path, index=False)
        ws.import_file(path, kind=kind)
    if not themes:
        return ws
    stamp = datetime(2026, 1, 5, tzinfo=UTC)
    ids = {name: theme_id for theme_id, name in THEMES.items()}
    with ws.db.transaction():
        for theme_id, name in THEMES.items():
            ws.db.execute(
                "INSERT INTO themes (theme_id, name, origin, created_at) VALUES (?, ?, ?, ?)",
                [theme_id, name, "curated", stamp],
            )
        for row in data["mentions"].itertuples():
            ws.db.execute(
                "INSERT INTO document_themes (document_kind, document_id, theme_id, origin, "
                "assigned_at) VALUES (?, ?, ?, ?, ?)",
                ["response", row.response_id, ids[row.theme], "curated", stamp],
            )
    return ws
