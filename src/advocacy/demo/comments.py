"""The demo's customer comments: text we wrote for Lumen & Oak, a fictional home-goods retailer.

The text lives in ``comments.yaml`` beside this module (shipped as package data); this module
reads it once and gives it to the generator as tuples. Comments are grouped by theme (the
touchpoint or topic they talk about) and by score band (:data:`BANDS`: ``promoter`` 9-10,
``passive`` 7-8, ``detractor`` 0-6), so a generated response reads like its score. A few slots
are filled in at generation time: ``{product}`` (from :data:`PRODUCTS`) and ``{day}`` (from
:data:`DAYS`). Some entries are deliberately informal, terse or misspelt, as real feedback is.
The order of every list matters: the generator samples by position with a seeded RNG.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

#: The score bands every theme has comments for.
BANDS = ("promoter", "passive", "detractor")
#: The data file holding the text, in this package.
COMMENTS_FILE = "comments.yaml"


def _read() -> dict[str, Any]:
    text = resources.files(__package__ or "advocacy.demo").joinpath(COMMENTS_FILE)
    data: dict[str, Any] = yaml.safe_load(text.read_text(encoding="utf-8"))
    return data


_TEXT = _read()
PRODUCTS: tuple[str, ...] = tuple(_TEXT["products"])
DAYS: tuple[str, ...] = tuple(_TEXT["days"])
#: theme -> band -> comments.
CUSTOMER_COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    theme: {band: tuple(bands[band]) for band in BANDS}
    for theme, bands in _TEXT["customer_comments"].items()
}
#: Short extra clauses added to some comments from the slow unit: effort in the customer's words.
EFFORT_CLAUSES: tuple[str, ...] = tuple(_TEXT["effort_clauses"])


def customer_comment_templates() -> list[str]:
    """Every customer comment template, in a stable order."""
    return [text for bands in CUSTOMER_COMMENTS.values() for band in BANDS for text in bands[band]]
