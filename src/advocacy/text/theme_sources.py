"""How many of a stored theme's texts its keywords gave it, and how many meaning alone.

Theme assignment (:func:`~advocacy.text.theme_assignment.assign_themes`) stores a curated
theme's link at score 1.0 when a sentence says one of its keywords or a word of its name (or a
sub-theme's, carried to the parent), below 1.0 when only meaning put the text there (the
sentence's similarity, the self-trained probability, the broad theme of a text nothing else
marks); a theme a user taught for a text is stored at 1.0 under origin ``taught``, and the
themes learnt from those below 1.0 under ``learned``. A theme meaning fills with unrelated
texts looks, by its size alone, like one its keywords fill: the listing says both counts,
"403 texts: 320 by its keywords, 83 by meaning alone", so a CX analyst can tell how much of a
theme to trust and where to add keywords. Nothing here changes an assignment.

Read from the stored links (``document_themes``) through Ibis, over the documents a listing
keeps, so the counts add up to the size it shows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["SOURCE_COLUMNS", "theme_sources"]

#: The columns :func:`theme_sources` gives each theme: texts by a keyword, by a user's teaching
#: (and no keyword), by meaning alone (neither). They add up to the theme's size.
SOURCE_COLUMNS = ("by_keyword", "by_teaching", "by_meaning")


def theme_sources(assigned: Any) -> pd.DataFrame:
    """Per curated theme, how many of its texts came by a keyword, by teaching, by meaning alone.

    Parameters
    ----------
    assigned
        Ibis table of the document-theme links to count (``document_themes``, kept to a
        listing's documents): ``document_kind``, ``document_id``, ``theme_id``, ``score``,
        ``origin``.

    Returns
    -------
    pandas.DataFrame
        ``theme_id`` and :data:`SOURCE_COLUMNS`, one row per theme that has a curated, taught or
        learned link. A text is counted once per theme: by keyword when a curated link scores
        1.0, else by teaching when a user taught it, else by meaning alone. Discovered themes
        (clusters, stored at 1.0 whatever their texts say) are left out.
    """
    curated = assigned.filter(assigned.origin.isin(("curated", "taught", "learned")))
    links = curated.select(
        "document_kind",
        "document_id",
        "theme_id",
        keyword=((curated.origin == "curated") & (curated.score >= 1.0)).ifelse(1, 0),
        taught=(curated.origin == "taught").ifelse(1, 0),
    )
    per_text = links.group_by(["document_kind", "document_id", "theme_id"]).aggregate(
        keyword=links.keyword.max(), taught=links.taught.max()
    )
    teaching = ((per_text.keyword == 0) & (per_text.taught == 1)).ifelse(1, 0)
    counts: pd.DataFrame = (
        per_text.group_by("theme_id")
        .aggregate(
            by_keyword=per_text.keyword.sum(),
            by_teaching=teaching.sum(),
            size=per_text.count(),
        )
        .to_pandas()
    )
    counts["by_meaning"] = counts["size"] - counts["by_keyword"] - counts["by_teaching"]
    counts["theme_id"] = counts["theme_id"].astype(str)
    out: pd.DataFrame = counts[["theme_id", *SOURCE_COLUMNS]]
    return out.astype({column: "int64" for column in SOURCE_COLUMNS})
