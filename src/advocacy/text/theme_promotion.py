"""Promote a discovered theme into the user's taxonomy file, with the key phrases that mark it.

A discovered theme is a cluster of texts by meaning, named by its most distinctive phrases
(:mod:`advocacy.text.theme_names`); a curated theme is marked outright by its keywords
wherever they occur. The cluster's phrases are not all fit to be keywords: a common word of
the cluster ("comprei", "I bought") is said by texts of every theme, and as a keyword it would
take them all (review27 #20: a cluster of 251 texts became a theme of 1,170). So only the
phrases that are specific to the cluster are written as keywords
(:func:`specific_phrases`), and the promotion says how many texts the theme's keywords and
name mark against the size discovered, so that a theme that would grow is seen before it is
assigned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from advocacy.errors import NotFoundError
from advocacy.store.connection import Database

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from advocacy.text.taxonomy import TaxonomyTheme

__all__ = ["PRECISION", "PromotedTheme", "promote_theme", "specific_phrases"]

#: A phrase is a keyword of the theme when at least this share of the texts that say it are
#: in the discovered theme (and at least twice the theme's share of all texts: a phrase is
#: specific when the theme says it more than the rest do). Chosen by reading the precision of
#: the five phrases of each of Olist's 16 discovered themes (review27's reproducer): the
#: seller pseudonyms and "correios" of discovered-01 are at 0.42-0.54, "comprei" at 0.23.
PRECISION = 0.4
#: At most this many keywords, the phrases that mark most of the theme's texts first.
KEYWORDS = 3


@dataclass(frozen=True)
class PromotedTheme:
    """A discovered theme as written into the taxonomy file, and what its keywords mark.

    Attributes
    ----------
    theme
        The theme as written.
    discovered_id
        The discovered theme's id.
    discovered
        Its texts when discovered.
    marked
        The texts its keywords and the words of its name mark, in the taxonomy as it is now
        (assigning it adds the texts that meaning finds).
    marked_discovered
        Of ``marked``, those in the discovered theme.
    left_out
        The discovered theme's key phrases not written as keywords: said as often, or more,
        by texts of other themes.
    written
        How the file was written (``created``, ``appended to``, or ``rewritten ...`` with the
        backup's name).
    """

    theme: TaxonomyTheme
    discovered_id: str
    discovered: int
    marked: int
    marked_discovered: int
    left_out: tuple[str, ...]
    written: str

    @property
    def name(self) -> str:
        return self.theme.name


def specific_phrases(
    hits: NDArray[np.bool_], members: NDArray[np.bool_], phrases: list[str]
) -> list[str]:
    """The ``phrases`` specific to a theme: the texts that say one are mostly its members.

    Parameters
    ----------
    hits
        Texts x phrases: which phrase each text says.
    members
        Per text, whether it is in the theme.
    phrases
        The phrases, one per column of ``hits``.

    Returns
    -------
    list of str
        At most :data:`KEYWORDS` phrases whose precision (the share of the texts saying them
        that are members) is at least :data:`PRECISION` and twice the members' share of all
        texts, those that mark the most members first (then in the order given).

    Examples
    --------
    >>> import numpy as np
    >>> members = np.array([True, True, False, False, False, False])
    >>> hits = np.array([[1, 1], [0, 1], [0, 1], [0, 1], [0, 0], [0, 0]], dtype=bool)
    >>> specific_phrases(hits, members, ["courier", "bought"])
    ['courier']
    """
    base = float(members.mean()) if len(members) else 0.0
    bar = max(PRECISION, 2 * base)
    said = hits.sum(axis=0)
    inside = (hits & members[:, None]).sum(axis=0)
    chosen = [c for c in range(len(phrases)) if said[c] > 0 and inside[c] / said[c] >= bar]
    chosen.sort(key=lambda c: (-int(inside[c]), c))
    return [phrases[c] for c in chosen[:KEYWORDS]]


def promote_theme(
    db: Database, theme_id: str, taxonomy_path: str | Path, *, name: str | None = None
) -> PromotedTheme:
    """Add discovered theme ``theme_id`` to the taxonomy file (created if missing), keeping
    every line the user wrote (:func:`~advocacy.text.taxonomy_file.append_theme`).

    Its keywords are its key phrases specific to it (:func:`specific_phrases`), its examples
    its first three quotes; its name ``name``, else the first phrase of its discovered name
    when that is one of its keywords (or it has none), else its first keyword, capitalised.
    """
    from advocacy.text.catalogue import document_languages
    from advocacy.text.documents import load_documents
    from advocacy.text.phrases import PhraseMatcher
    from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, load_taxonomy, promote
    from advocacy.text.taxonomy_file import append_theme
    from advocacy.text.theme_keywords import keyword_hits

    row = db.fetchone(
        "SELECT name, keywords, quotes, size FROM themes "
        "WHERE theme_id = ? AND origin = 'discovered'",
        [theme_id],
    )
    if row is None:
        raise NotFoundError(
            f"no discovered theme {theme_id!r}",
            value=theme_id,
            fix="run advocacy text themes to see the discovered theme ids",
        )
    phrases: list[str] = json.loads(row[1]) if isinstance(row[1], str) else list(row[1] or [])
    quotes: list[str] = json.loads(row[2]) if isinstance(row[2], str) else list(row[2] or [])
    documents = load_documents(db)
    texts = [str(t) for t in documents["text"]]
    languages = document_languages(db, documents)
    keys = list(
        zip(
            documents["document_kind"].astype(str),
            documents["document_id"].astype(str),
            strict=True,
        )
    )
    linked = {
        (str(kind), str(document))
        for kind, document in db.fetchall(
            "SELECT document_kind, document_id FROM document_themes "
            "WHERE theme_id = ? AND origin = 'discovered'",
            [theme_id],
        )
    }
    members = np.array([key in linked for key in keys], dtype=bool)
    hits = np.zeros((len(texts), len(phrases)), dtype=bool)
    for text, columns in enumerate(
        PhraseMatcher([(phrase,) for phrase in phrases]).match_many(texts, languages)
    ):
        hits[text, list(columns)] = True
    keywords = specific_phrases(hits, members, phrases)
    # Its discovered name's first phrase when that is specific ("correios / lannister": not
    # the seller "Lannister"), else its first keyword: a name's words mark a theme as keywords.
    label = str(row[0]).split(" / ")[0].strip()
    first = label if label in keywords or not keywords else keywords[0]
    theme = TaxonomyTheme(
        name=name or first[:1].upper() + first[1:],
        keywords=tuple(keywords),
        examples=tuple(quotes[:3]),
    )
    path = Path(taxonomy_path)
    promoted = promote(load_taxonomy(path) if path.exists() else Taxonomy(), theme)
    marked = keyword_hits(texts, promoted, languages=languages)[:, -1]
    discovered = int(row[3]) if row[3] is not None else int(members.sum())
    written = append_theme(
        path, theme, comment=f"promoted from {theme_id} ({row[0]}, {discovered} texts)"
    )
    return PromotedTheme(
        theme,
        theme_id,
        discovered,
        int(marked.sum()),
        int((marked & members).sum()),
        tuple(p for p in phrases if p not in keywords),
        written,
    )
