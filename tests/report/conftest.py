"""A small workspace for the report tests: three units over a year, named customers with e-mail
addresses, and comments that carry personal data (so redaction has something to remove).

South's promoters collapse in the last quarter, so the report has a significant drop to name.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import advocacy

#: Personal data planted in the fixture; a redacted report must contain none of it.
NAMES = ["Ada Quillfeather", "Bartholomew Oyelaran", "Cordelia Vasquez-Pike", "Dmitri Holloway"]
EMAILS = ["ada.quill@example.org", "bart.o@example.net", "cordelia@pike.example", "dh@example.com"]
PHONES = ["+44 20 7946 0958", "(555) 014-2237", "555-867-5309", "+1 415 555 0132"]
UNITS = ["North", "South", "Online"]


def write_fixture(directory: Path, *, responses: int = 1500, seed: int = 11) -> dict[str, Path]:
    """Write customers, responses and employee responses as canonical CSV files."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    customer_count = 200
    customers = pd.DataFrame(
        {
            "customer_id": [f"CUST-{i:04d}" for i in range(customer_count)],
            "name": [
                NAMES[i] if i < len(NAMES) else f"Customer Person{i}" for i in range(customer_count)
            ],
            "email": [
                EMAILS[i] if i < len(EMAILS) else f"person{i}@example.com"
                for i in range(customer_count)
            ],
            "segment": rng.choice(["consumer", "business"], customer_count),
            "region": rng.choice(["east", "west"], customer_count),
        }
    )
    start = pd.Timestamp("2025-01-01", tz="UTC")
    days = rng.integers(0, 365, responses)
    submitted = (
        start
        + pd.to_timedelta(days, unit="D")
        + pd.to_timedelta(rng.integers(0, 86_400, responses), unit="s")
    )
    unit = rng.choice(UNITS, responses)
    late_south = (unit == "South") & (submitted >= pd.Timestamp("2025-10-01", tz="UTC"))
    base = np.where(late_south, 6.4, 8.2)
    nps = np.clip(np.round(rng.normal(base, 1.8)), 0, 10).astype(int)
    csat = np.clip(np.round(nps / 2.2 + rng.normal(0.6, 0.7, responses)), 1, 5).astype(int)
    ces = np.clip(np.round(nps / 1.7 + rng.normal(1.0, 1.0, responses)), 1, 7).astype(int)
    who = rng.integers(0, customer_count, responses)
    # The first customers write comments that name themselves and give a phone number.
    who[: len(NAMES)] = np.arange(len(NAMES))
    comments = [
        "Delivery was late again and nobody called back." if score < 7 else "Friendly staff."
        for score in nps
    ]
    for i in range(len(NAMES)):
        comments[i] = (
            f"I am {NAMES[i]}, write to {EMAILS[i]} or call {PHONES[i]}; "
            "card 4111 1111 1111 1111 was charged twice."
        )
    answers = pd.DataFrame(
        {
            "response_id": [f"R{i:06d}" for i in range(responses)],
            "customer_id": customers["customer_id"].to_numpy()[who],
            "survey": "relationship",
            "submitted_at": submitted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channel": rng.choice(["email", "web"], responses),
            "unit": unit,
            "nps": nps,
            "csat": csat,
            "ces": ces,
            "comment": comments,
        }
    )
    staff = 240
    employee_answers = pd.DataFrame(
        {
            "employee_response_id": [f"E{i:04d}" for i in range(staff)],
            "unit": rng.choice(UNITS, staff),
            "submitted_at": (
                start + pd.to_timedelta(rng.integers(0, 365, staff), unit="D")
            ).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "enps": np.clip(np.round(rng.normal(7.0, 2.2, staff)), 0, 10).astype(int),
        }
    )
    paths = {
        "customers": directory / "customers.csv",
        "responses": directory / "responses.csv",
        "employee-responses": directory / "employee_responses.csv",
    }
    customers.to_csv(paths["customers"], index=False)
    answers.to_csv(paths["responses"], index=False)
    employee_answers.to_csv(paths["employee-responses"], index=False)
    return paths


def build_workspace(url: str, directory: Path, *, responses: int = 1500) -> None:
    """Import the fixture files into the workspace at ``url``."""
    paths = write_fixture(directory, responses=responses)
    with advocacy.open(url) as ws:
        for kind, path in paths.items():
            ws.import_file(path, kind=kind)


@pytest.fixture(scope="module")
def report_workspace(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB workspace holding the fixture (built once per module)."""
    directory = tmp_path_factory.mktemp("report-workspace")
    url = str(directory / "workspace.duckdb")
    build_workspace(url, directory / "data")
    return url
