"""Survey answers for the case rules' tests: dated relative to today, one too old for the
import's case window, one undated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

#: When the test session started, in UTC.
TODAY = datetime.now(UTC)


def day(days_ago: int) -> str:
    """The day ``days_ago`` days before :data:`TODAY`, as ``YYYY-MM-DD``."""
    return (TODAY - timedelta(days=days_ago)).strftime("%Y-%m-%d")


def four_answers(path: Path) -> Path:
    """Four answers: a recent detractor, a detractor of a year ago, an undated one, a promoter."""
    path.write_text(
        "response_id,submitted_at,nps,comment\n"
        f"r-new,{day(2)},2,The parcel never came\n"
        f"r-old,{day(400)},1,Rude staff\n"
        "r-undated,,3,Slow\n"
        f"r-fan,{day(1)},10,Lovely\n",
        encoding="utf-8",
    )
    return path
