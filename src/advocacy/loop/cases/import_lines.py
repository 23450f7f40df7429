"""What the case rules did with an import, in sentences: ``advocacy import`` and the web Import
page show the same lines, from the ``cases`` object of an import's summary
(:meth:`advocacy.loop.cases.backfill.BulkCases.to_dict`, also what ``--server`` and
``POST /api/v1/imports`` answer). The module imports nothing heavy: the CLI starts with it.
"""

from __future__ import annotations

from typing import Any

#: The most cases one import or backfill opens without the user's yes (``cases open --yes``);
#: an import that would open more opens none and says how to open them.
CASES_AT_ONCE = 500
#: The web page that opens cases over stored evidence (``advocacy cases open`` on the web).
OPEN_PAGE = "/cases/open"
#: The box of :data:`OPEN_PAGE` that checks evidence without a date too (``--include-undated``);
#: the page's template shows these words.
UNDATED_BOX = "also evidence without a date"


def cases_sentences(cases: dict[str, Any]) -> list[str]:
    """What the case rules did with an import, as lines for people.

    Parameters
    ----------
    cases
        The ``cases`` object of an import's summary (``BulkCases.to_dict()``).

    Returns
    -------
    list of str
        One line with the cases opened per rule, the records checked, those too old for the
        case window and those undated (with how to open them, by the command and on the web
        page :data:`OPEN_PAGE`, which a DuckDB file held by ``serve`` leaves as the only way),
        then a line for records dated
        ahead and one for rules unlike the shipped ones, when there are any.
    """
    if not cases["rules"]:
        return [
            "cases: none opened, no enabled case rule reads these records (advocacy cases "
            "rules lists them; advocacy cases load-rules --shipped loads the shipped ones)"
        ]
    window = f"the {cases['window_days']}-day case window"
    since = _since(cases)
    dry = bool(cases.get("dry_run"))
    withheld = cases.get("withheld") or {}
    if cases["too_old"] and not cases["checked"]:
        line = (
            f"cases: none {'would open' if dry else 'opened'}, all {cases['too_old']:,} records"
            f"{' with a date' if cases.get('undated') else ''} are dated before {since} (older "
            f"than {window}; to open cases on them: advocacy cases open --since DATE, or on the "
            f"web: {OPEN_PAGE})"
        )
    elif withheld:
        count = sum(withheld.values())
        by_rule = ", ".join(f"{rule} {number:,}" for rule, number in withheld.items())
        line = (
            f"cases: none {'would open' if dry else 'opened'}: the case rules would open "
            f"{count:,} ({by_rule}) over {cases['checked']:,} records, more than "
            f"{CASES_AT_ONCE:,} at once; "
        )
        if dry:
            # Before the import, the user's yes is an option of the import itself.
            line += (
                'to open them all, import with --all-cases (the web Import page: "Open '
                'every case"; the API: all_cases=true)'
            )
        else:
            # The rows are written: a re-import changes nothing, a backfill opens them.
            line += (
                f"see them with advocacy cases open --since {cases['withheld_since']} "
                "--dry-run; open them with that command without --dry-run and with --yes, "
                f"or on the web: {OPEN_PAGE}?since={cases['withheld_since']} (a DuckDB "
                "workspace takes the web or the command, not both at once)"
            )
    else:
        by_rule = ", ".join(f"{rule} {count:,}" for rule, count in cases["by_rule"].items())
        line = f"cases: {cases['opened']:,} {'would open' if dry else 'opened'}"
        line += (f" ({by_rule})" if by_rule else "") + " by the case rules over "
        line += f"{cases['checked']:,} records"
    if cases.get("undated") and not cases.get("undated_checked"):
        # Their age is unknown: they may be as old as the history the window leaves out.
        line += (
            f"; {cases['undated']:,} undated: no case (their age is unknown; to open cases "
            "on them: advocacy cases open --since DATE --include-undated, or on the web: "
            f"{OPEN_PAGE}, ticking “{UNDATED_BOX}”)"
        )
    if cases["too_old"] and cases["checked"]:
        line += (
            f"; {cases['too_old']:,} dated before {since} {'would open' if dry else 'opened'} "
            f"none (older than {window}; to open them: advocacy cases open --since DATE, or on the "
            f"web: {OPEN_PAGE})"
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


def _since(cases: dict[str, Any]) -> str:
    """The window's start in the workspace's time zone, named (UTC for older summaries)."""
    if cases.get("since_local"):
        return f"{cases['since_local']} ({cases.get('timezone') or 'UTC'})"
    return str(cases["since"])[:16].replace("T", " ") + " UTC"


__all__ = ["CASES_AT_ONCE", "OPEN_PAGE", "UNDATED_BOX", "cases_sentences"]
