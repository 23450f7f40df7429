"""The taxonomy a workspace remembers, so that ``text analyze`` keeps its curated themes current.

Assigning a taxonomy (``text analyze --taxonomy FILE`` or ``text assign-themes``) stores it in
``text_taxonomy`` (migration 0018, at most one row): the validated themes as JSON (the file's
``themes`` list, words only), the threshold they were assigned with and the file they came
from. A later ``text analyze`` that analyses any new or changed text assigns the remembered
taxonomy again, with that threshold, to every text (theme assignment learns from all the
texts together, so one new text may move others' themes; only the new and changed texts are
read again, :mod:`advocacy.text.theme_reading_store`), and so does a run after a theme
label was taught (:func:`taught_since`); a run with neither asks one query more. The
file is never opened again: an edit takes effect when it is assigned again, which also
replaces what is remembered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from advocacy.errors import InputError

if TYPE_CHECKING:
    from advocacy.store.connection import Database
    from advocacy.text.taxonomy_file import Taxonomy

__all__ = [
    "ChosenTaxonomy",
    "chosen_taxonomy",
    "curated_unremembered",
    "remember",
    "remembered",
    "taught_since",
]

#: What :attr:`ChosenTaxonomy.source` says of a taxonomy given as an object, not a file.
GIVEN = "a taxonomy given in code"


@dataclass(frozen=True)
class ChosenTaxonomy:
    """A taxonomy to assign, the threshold to assign it with, and where it came from.

    Attributes
    ----------
    taxonomy
        The themes.
    threshold
        The similarity a text needs to join a theme by meaning.
    source
        The file it was read from, as an absolute path (:data:`GIVEN` for an object).
    remembered
        Whether it is the workspace's remembered taxonomy (not one given to this run).
    """

    taxonomy: Taxonomy
    threshold: float
    source: str
    remembered: bool = False

    def describe(self) -> str:
        """What a run's summary says of it: ``"taxonomy.yaml (5 themes)"``, ``"remembered:
        ..."`` for the workspace's own."""
        count = len(self.taxonomy.themes)
        said = f"{self.source} ({count:,} theme{'' if count == 1 else 's'})"
        return f"remembered: {said}" if self.remembered else said


def chosen_taxonomy(
    taxonomy: Taxonomy | str | Path, threshold: float | None = None
) -> ChosenTaxonomy:
    """``taxonomy`` read and checked (a file) or taken as it is, with its threshold.

    Parameters
    ----------
    taxonomy
        A taxonomy, or its YAML file.
    threshold
        The similarity a text needs to join a theme (None:
        :data:`~advocacy.text.theme_assignment.DEFAULT_THRESHOLD`).

    Returns
    -------
    ChosenTaxonomy
        The taxonomy, the threshold and the file's name.

    Raises
    ------
    InputError
        When the file does not exist or does not follow the format.
    """
    from advocacy.text.taxonomy_file import Taxonomy, load_taxonomy
    from advocacy.text.theme_assignment import DEFAULT_THRESHOLD

    chosen = DEFAULT_THRESHOLD if threshold is None else float(threshold)
    if not 0.0 <= chosen <= 1.0:  # also refuses NaN, which every comparison fails
        raise InputError(
            f"a theme's threshold is a similarity from 0 to 1, not {threshold!r}",
            value=threshold,
            parameter="threshold",
            fix="give a threshold from 0 to 1 (--threshold 0.35), or leave it out",
        )
    if isinstance(taxonomy, Taxonomy):
        return ChosenTaxonomy(taxonomy, chosen, GIVEN)
    # Where it came from, whatever folder a later run starts in.
    return ChosenTaxonomy(load_taxonomy(taxonomy), chosen, str(Path(taxonomy).resolve()))


def remember(db: Database, chosen: ChosenTaxonomy, now: datetime | None = None) -> None:
    """Keep ``chosen`` as the workspace's taxonomy, in place of the one kept before.

    Parameters
    ----------
    db
        The workspace's database.
    chosen
        The taxonomy just assigned, with its threshold and source.
    now
        When it was assigned (None: now).
    """
    themes = json.dumps({"themes": [theme.as_dict() for theme in chosen.taxonomy.themes]})
    with db.transaction():
        db.execute("DELETE FROM text_taxonomy")
        db.execute(
            "INSERT INTO text_taxonomy (themes, threshold, source, remembered_at) "
            "VALUES (?, ?, ?, ?)",
            [themes, chosen.threshold, chosen.source, now or datetime.now(UTC)],
        )


def remembered(db: Database) -> ChosenTaxonomy | None:
    """The workspace's remembered taxonomy (None: none was assigned since it could remember).

    Parameters
    ----------
    db
        The workspace's database.

    Returns
    -------
    ChosenTaxonomy or None
        The taxonomy last assigned, with its threshold and file.

    Raises
    ------
    InputError
        When the stored themes no longer pass the taxonomy file's checks (the row was edited):
        never guessed around, since they decide every text's themes.
    """
    row = db.fetchone("SELECT themes, threshold, source FROM text_taxonomy")
    if row is None:
        return None
    from advocacy.text.taxonomy_file import parse_taxonomy

    fix = "assign the taxonomy again: advocacy text analyze --taxonomy FILE"
    try:
        data = json.loads(str(row[0]))
    except ValueError as error:
        raise InputError(
            f"the workspace's remembered taxonomy is not readable JSON ({error})",
            fix=fix,
        ) from error
    try:
        taxonomy = parse_taxonomy(data, path=f"remembered taxonomy from {row[2]}")
    except InputError as error:  # the file's own fix ("merge them") is not this row's
        raise InputError(
            f"the workspace's remembered taxonomy no longer passes the checks ({error.message})",
            fix=fix,
        ) from error
    return ChosenTaxonomy(taxonomy, float(row[1]), str(row[2]), remembered=True)


def curated_unremembered(db: Database) -> bool:
    """Whether the workspace holds curated themes but remembers no taxonomy: they were
    assigned before workspaces remembered one (migration 0018), so a new text gets none.

    Parameters
    ----------
    db
        The workspace's database.

    Returns
    -------
    bool
        True when a ``text analyze`` should say that its new texts got no curated theme.
    """
    if db.fetchone("SELECT 1 FROM text_taxonomy") is not None:
        return False
    return db.fetchone("SELECT 1 FROM themes WHERE origin = 'curated' LIMIT 1") is not None


def taught_since(db: Database) -> bool:
    """Whether a theme label was taught after the remembered taxonomy was last assigned (so
    the next ``text analyze`` assigns it again even when no text is new: taught themes tag
    the documents nobody taught). One query; False when nothing is remembered.

    Parameters
    ----------
    db
        The workspace's database.

    Returns
    -------
    bool
        True when a taught theme label is newer than the remembered taxonomy's assignment.
    """
    row = db.fetchone(
        "SELECT 1 FROM text_labels l JOIN text_taxonomy t ON l.taught_at > t.remembered_at "
        "WHERE l.theme IS NOT NULL LIMIT 1"
    )
    return row is not None
