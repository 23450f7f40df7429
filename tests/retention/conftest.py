"""The CDNOW sample of Fader, Hardie & Lee (2005) as a frame of customer_id, date, amount."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest


def read_cdnow_sample(shared_data: Path) -> pd.DataFrame:
    """CDNOW_sample.txt: master id, sample id, YYYYMMDD, CDs, dollars (no header)."""
    frame = pd.read_csv(
        shared_data / "cdnow" / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["customer_id", "sample_id", "date", "quantity", "amount"],
        dtype={"customer_id": str, "date": str},
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


@pytest.fixture(scope="module")
def cdnow(shared_data: Path) -> pd.DataFrame:
    return read_cdnow_sample(shared_data)
