"""What the case rules did with an import, in sentences: ``advocacy import`` and the web Import
page show the same lines, from the ``cases`` object of an import's summary
(:meth:`advocacy.loop.cases.backfill.BulkCases.to_dict`, also what ``--server`` and
``POST /api/v1/imports`` answer). The module imports nothing heavy: the CLI starts with it.
"""

from __future__ import annotations

from typing import Any


def cases_sentences(cases: dict[str, Any]) -> list[str]:
    """What the case rules did with an import, as lines for people.

    Parameters
    ----------
    cases
        The ``cases`` object of an import's summary (``BulkCases.to_dict()``).

    Returns
    -------
    list of str
        One line with the cases opened per rule, the records checked and those too old for the
        case window (with how to open them), then a line for records dated ahead and one for
        rules unlike the shipped ones, when there are any.
    """
    if not cases["rules"]:
        return [
            "cases: none opened, no enabled case rule reads these records (advocacy cases "
            "rules lists them; advocacy cases load-rules --shipped loads the shipped ones)"
        ]
    window = f"the {cases['window_days']}-day case window"
    since = str(cases["since"])[:16].replace("T", " ") + " UTC"
    if cases["too_old"] and not cases["checked"]:
        line = (
            f"cases: none opened, all {cases['too_old']:,} records are dated before {since} "
            f"(older than {window}; to open cases on them: advocacy cases open --since DATE)"
        )
    else:
        by_rule = ", ".join(f"{rule} {count:,}" for rule, count in cases["by_rule"].items())
        line = f"cases: {cases['opened']:,} opened" + (f" ({by_rule})" if by_rule else "")
        line += f" by the case rules over {cases['checked']:,} records"
        if cases.get("undated"):
            line += f" ({cases['undated']:,} undated, checked as arriving now)"
        if cases["too_old"]:
            line += (
                f"; {cases['too_old']:,} dated before {since} opened none (older than {window}; "
                "to open them: advocacy cases open --since DATE)"
            )
    lines = [line]
    if cases.get("future"):
        lines.append(
            f"note: {cases['future']:,} of the records checked are dated more than a day ahead "
            "(a day and month swapped? see docs/import.md on date formats)"
        )
    if cases.get("differ_from_shipped"):
        names = ", ".join(cases["differ_from_shipped"])
        lines.append(
            f"note: the workspace's rule(s) {names} differ from the shipped ones of this release "
            "(advocacy cases rules shows yours; advocacy cases load-rules --shipped --dry-run "
            "what the shipped ones would open; loading them replaces all your rules)"
        )
    return lines


__all__ = ["cases_sentences"]
