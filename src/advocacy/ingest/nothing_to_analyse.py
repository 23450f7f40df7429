"""The note for survey answers in which nothing was recognised that any page analyses.

A poll exported from a survey tool (SurveyMonkey's steak-risk survey: yes/no and choice
questions) imports whole, every answer in ``attrs``. Nothing is lost, but no page, report or
case rule reads ``attrs``: without a score, a rated item or a comment the import would look done
and every page would stay empty. The import says so, and how to map the columns.
"""

from __future__ import annotations

from advocacy.ingest.raw import Adapted

__all__ = ["ANALYSED_FIELDS", "nothing_to_analyse"]

#: Per kind, the fields that some page, report section or case rule analyses.
ANALYSED_FIELDS = {
    "responses": ("nps", "csat", "ces", "comment"),
    "employee-responses": ("enps", "comment"),
}


def nothing_to_analyse(adapted: Adapted) -> list[str]:
    """A note when ``adapted`` holds survey answers with no score, rated item or comment.

    Parameters
    ----------
    adapted
        The file mapped onto its kind.

    Returns
    -------
    list[str]
        One note for survey answers with rows and none of the analysed fields mapped; else
        empty.
    """
    analysed = ANALYSED_FIELDS.get(adapted.kind.name)
    if analysed is None or adapted.rows.num_rows == 0:
        return []
    if adapted.items or any(
        name in adapted.fields or name in adapted.constants for name in analysed
    ):
        return []
    scores = ", ".join(name for name in analysed if name != "comment")
    return [
        f"nothing to analyse: no column was recognised as a score ({scores} or a rated item) "
        f"or a comment, so the {adapted.rows.num_rows:,} answers are kept in attrs only, which "
        "no page, report section or case rule reads: nothing from this file will show. If a "
        "column holds a score or a comment, map it with --map: a YAML file with 'columns:' "
        f"and a line such as '{analysed[0]}: <column name>' or 'comment: <column name>' "
        "(keys in docs/import.md)"
    ]
