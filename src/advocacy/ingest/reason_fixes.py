"""Every quarantine reason says what is wrong with a cell and, apart, what to do about it.

A reason is written as one text, ``"<what is wrong>; fix: <what to do>"``, where it is made
(validation's checks, the date readings, the readers' broken records, the time offsets of a
Parquet export), so the SQL that flags a cell carries one string. :func:`split_fix` takes the
two apart where a quarantine entry is made, and the import ledger stores them in two columns
(``reason`` and ``fix``, migration 0015): ``advocacy quarantine list``, the web Import page and
``quarantine export`` show each cell's fix beside its reason (audit4 L7).

A reason may quote what the user wrote (a conflicting key, a ``time_offsets`` cell, a declared
``date_format``), and that text may hold the mark itself: ``dup; fix: <script>``. A fix is ours
and never quotes the user (:func:`with_fix` refuses one holding the mark), so the fix is the text
after the *last* mark and the user's words stay in the reason. Checks that know their fix apart
keep it apart: a :class:`~advocacy.ingest.validation.BadCell` carries its own ``fix``.

Examples
--------
>>> split_fix("not a number; fix: write a number such as 4 or 4.5")
('not a number', 'write a number such as 4 or 4.5')
>>> split_fix("conflicting key: id 'a; fix: run this'; fix: make the key unique")
("conflicting key: id 'a; fix: run this'", 'make the key unique')
>>> split_fix("something odd")[1] == GENERAL_FIX
True
"""

from __future__ import annotations

__all__ = ["FIX_MARK", "GENERAL_FIX", "split_fix", "with_fix"]

#: What separates a reason's account of the cell from its fix.
FIX_MARK = "; fix: "
#: The fix of a reason written without one (none of validation's: a test keeps them so).
GENERAL_FIX = (
    "correct the cell in the source file, or in the file advocacy quarantine export writes, "
    "and import it again"
)


def with_fix(reason: str, fix: str) -> str:
    """``reason`` and ``fix`` as the one text a check carries (see :func:`split_fix`).

    Raises
    ------
    ValueError
        If ``fix`` holds the mark: a fix is ours, and the text after the last mark is read as it.
    """
    if FIX_MARK in fix:
        raise ValueError(f"a fix cannot hold {FIX_MARK!r}: {fix!r}")
    return f"{reason}{FIX_MARK}{fix}"


def split_fix(text: str) -> tuple[str, str]:
    """A check's text as (what is wrong, what to do); :data:`GENERAL_FIX` when it names none.

    Parameters
    ----------
    text
        A reason as validation or a reader wrote it.

    Returns
    -------
    tuple[str, str]
        The reason without its fix, and the fix: the text after the last :data:`FIX_MARK`,
        since a reason may quote the user's text, mark and all, and a fix never does.
    """
    reason, mark, fix = text.rpartition(FIX_MARK)
    if not mark or not fix.strip():
        return text, GENERAL_FIX
    return reason, fix
