"""CX maturity: a self-assessment questionnaire scored into a profile with its weakest areas.

The questionnaire (``templates/maturity.yaml``) covers eight areas, three statements each, scored
1-5. An area's score is the mean of its answered statements; its level is that mean rounded
down (so "3.9" is still *Structured*: a level is reached only when all of it is). The overall
score is the mean of the assessed areas, each counting once. The weakest areas are those with
the lowest score (every area tied with the ``weakest``-th lowest is named too).

References
----------
.. [1] Reichheld, F. F. & Markey, R. (2011). The Ultimate Question 2.0. Harvard Business Review
   Press (the practices behind the eight areas).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, StrictInt

from advocacy.config_files import read_packaged
from advocacy.errors import InputError


class Scale(BaseModel):
    """The range statements are scored in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: StrictInt
    max: StrictInt


class Statement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    statements: list[Statement]


class Questionnaire(BaseModel):
    """The maturity questionnaire (``templates/maturity.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    scale: Scale
    levels: dict[StrictInt, str]
    areas: list[Area]


def maturity_questionnaire() -> dict[str, Any]:
    """The shipped questionnaire: scale, level names and the eight areas with statements.

    Returns
    -------
    dict
        ``name``, ``scale`` (``min``, ``max``), ``levels`` (score -> level name) and ``areas``,
        each with an ``id``, a ``name`` and its ``statements`` (``id``, ``text``).

    Examples
    --------
    >>> questionnaire = maturity_questionnaire()
    >>> questionnaire["scale"], len(questionnaire["areas"])
    ({'min': 1, 'max': 5}, 8)
    """
    return read_packaged(Questionnaire, "advocacy.gaps", "templates/maturity.yaml").model_dump()


def maturity_statements() -> pd.DataFrame:
    """One row per statement: area, area_name, statement (id) and text."""
    rows = [
        {
            "area": area["id"],
            "area_name": area["name"],
            "statement": item["id"],
            "text": item["text"],
        }
        for area in maturity_questionnaire()["areas"]
        for item in area["statements"]
    ]
    return pd.DataFrame(rows)


def write_maturity_template(path: str | Path) -> Path:
    """Write the questionnaire as a CSV with an empty ``score`` column for the user to fill in.

    Parameters
    ----------
    path
        The CSV file to write (replaced if it exists).

    Returns
    -------
    Path
        ``path``, with one row per statement: area, area_name, statement, text and score.

    Examples
    --------
    >>> write_maturity_template("maturity.csv")  # doctest: +SKIP
    PosixPath('maturity.csv')
    """
    target = Path(path)
    frame = maturity_statements()
    frame["score"] = ""
    frame.to_csv(target, index=False, quoting=csv.QUOTE_MINIMAL)
    return target


def read_maturity_answers(path: str | Path) -> pd.DataFrame:
    """Read a filled-in template (columns ``statement`` and ``score``)."""
    source = Path(path)
    try:
        frame = pd.read_csv(source, dtype={"statement": str})
    except (OSError, pd.errors.ParserError) as error:
        raise InputError(f"cannot read {source}: {error}", file=str(source)) from None
    if not {"statement", "score"} <= set(frame.columns):
        raise InputError(
            "the maturity answers need columns statement and score",
            file=str(source),
            value=list(frame.columns),
            fix="start from: advocacy maturity --template FILE",
        )
    return frame


@dataclass(frozen=True)
class MaturityProfile:
    """Scores and levels per area, the overall score and the weakest areas.

    Attributes
    ----------
    areas
        One row per area: area, name, score (mean of its answered statements), level,
        answered and statements.
    overall
        Mean score of the assessed areas.
    level
        The level name of ``overall`` (rounded down).
    weakest
        Names of the lowest-scoring areas.
    answered
        How many statements were scored.
    statements
        How many statements the questionnaire has.

    Examples
    --------
    >>> profile = score_maturity({"strategy-1": 2, "strategy-2": 3})
    >>> profile.answered, profile.statements, profile.overall
    (2, 24, 2.5)
    """

    areas: pd.DataFrame
    overall: float
    level: str
    weakest: list[str]
    answered: int
    statements: int


def score_maturity(answers: Any, *, weakest: int = 2) -> MaturityProfile:
    """Score answers (``statement`` -> 1-5) into a maturity profile.

    Parameters
    ----------
    answers
        A frame with ``statement`` and ``score`` columns, or a mapping statement -> score;
        blank scores are unanswered.
    weakest
        How many of the lowest-scoring areas to name (ties included).

    Returns
    -------
    MaturityProfile
        Score and level per area, the overall score and level, and the weakest areas.

    Raises
    ------
    InputError
        On a statement id the questionnaire does not have, or a score outside its scale.

    Examples
    --------
    >>> statements = [s["id"] for a in maturity_questionnaire()["areas"] for s in a["statements"]]
    >>> profile = score_maturity({statement: 4 for statement in statements})
    >>> profile.overall, profile.level, profile.answered
    (4.0, 'Managed', 24)
    """
    questionnaire = maturity_questionnaire()
    low, high = questionnaire["scale"]["min"], questionnaire["scale"]["max"]
    levels = {int(key): str(value) for key, value in questionnaire["levels"].items()}
    if isinstance(answers, dict):
        answers = pd.DataFrame({"statement": list(answers), "score": list(answers.values())})
    given = pd.DataFrame(answers)
    known = maturity_statements()
    unknown = sorted(set(given.statement.astype(str)) - set(known.statement))
    if unknown:
        raise InputError(
            f"unknown maturity statement {unknown[0]!r}",
            value=unknown[0],
            column="statement",
            fix="use the statement ids of: advocacy maturity --template FILE",
        )
    scores = pd.to_numeric(given.score, errors="coerce")
    bad = given.loc[scores.notna() & ((scores < low) | (scores > high)), "score"]
    if len(bad) or (given.score.notna() & scores.isna() & (given.score.astype(str) != "")).any():
        raise InputError(
            f"maturity scores must be numbers from {low} to {high}",
            value=str(bad.iloc[0]) if len(bad) else None,
            column="score",
            fix=f"score each statement {low}-{high}, or leave it blank",
        )
    merged = known.merge(
        pd.DataFrame({"statement": given.statement.astype(str), "score": scores}),
        on="statement",
        how="left",
    )
    rows = []
    for (area, name), group in merged.groupby(["area", "area_name"], sort=False):
        answered = group.score.dropna()
        score = float(answered.mean()) if len(answered) else math.nan
        rows.append(
            {
                "area": area,
                "name": name,
                "score": score,
                "level": levels[math.floor(score)] if len(answered) else "not assessed",
                "answered": len(answered),
                "statements": len(group),
            }
        )
    areas = pd.DataFrame(rows)
    assessed = areas.dropna(subset=["score"])
    overall = float(assessed.score.mean()) if len(assessed) else math.nan
    names: list[str] = []
    if len(assessed):
        ordered = assessed.sort_values("score", kind="stable")
        cut = float(ordered.score.iloc[min(weakest, len(ordered)) - 1])
        names = [str(name) for name in ordered.loc[ordered.score <= cut, "name"]]
    return MaturityProfile(
        areas=areas,
        overall=overall,
        level=levels[math.floor(overall)] if len(assessed) else "not assessed",
        weakest=names,
        answered=int(merged.score.notna().sum()),
        statements=len(merged),
    )
