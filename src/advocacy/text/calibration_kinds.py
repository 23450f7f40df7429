"""Which kinds of text (responses, mentions, notes) a calibration reads, and the sentence that
says so.

A calibration learns what one kind of text means (a CSAT comment "arrived late" is a
complaint) and can read another kind worse than the model alone: one fitted on Amazon CSAT
comments read TweetEval tweets at 0.344 accuracy, the model alone at 0.666 (the fourth audit,
item 5). Reading only the kinds it has labels of was not enough: five rated reviews imported as
mentions put all 2,000 tweets of a workspace back under the CSAT calibration, 0.715 -> 0.382
(review 23, item 1). So a kind is read through the calibration only when the calibration
learnt from enough texts of it (:func:`read_kinds`); the others are read by the model alone.
Taught labels (``text teach``) count as labels of their text's kind, one each: teaching is the
user's explicit act, but ten taught texts cannot show that a fit made mostly of another kind
reads theirs better than the model alone does, so they count as any label does.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MIN_KIND_LABELS", "kinds_scope", "read_kinds"]

#: A kind of text is read through the calibration with at least this many labels of it (or
#: when it holds at least half of the labels: the fit is then mostly about it). 30 is where the
#: calibration starts comparing corrections by cross-validation at all
#: (:data:`~.calibration_cross_validation.MIN_HEAD_LABELS`): with fewer labels nothing it
#: measures says anything about the kind; at 30, a fall like review 23's (0.715 -> 0.382) is
#: several times the width of the labels' accuracy interval (about +-0.17 at 95%).
MIN_KIND_LABELS = 30


def read_kinds(kinds: Mapping[str, int]) -> dict[str, int]:
    """The kinds a calibration fitted on ``kinds`` reads: those with at least
    :data:`MIN_KIND_LABELS` labels, or at least half of its labels.

    Parameters
    ----------
    kinds
        The calibration's labels of each kind of text (its ``kinds_``; empty: fitted
        without kinds, and then it reads every kind).

    Returns
    -------
    dict of str to int
        The kinds it reads, with their labels, in the order of ``kinds``.
    """
    total = sum(kinds.values())
    return {
        kind: count
        for kind, count in kinds.items()
        if count >= MIN_KIND_LABELS or 2 * count >= total
    }


def kinds_scope(kinds: Mapping[str, int]) -> str:
    """What a calibration fitted on ``kinds`` reads, and what it leaves to the model alone.

    Parameters
    ----------
    kinds
        The calibration's labels of each kind of text (not empty).

    Returns
    -------
    str
        As "it reads response (3,000 labels); too few labels of mention (5 labels), read by
        the model alone; a kind of text needs 30 labels, or half of the calibration's, to be
        read by it (other kinds: by the model alone)".
    """
    reads = read_kinds(kinds)
    read = ", ".join(f"{kind} ({count:,} labels)" for kind, count in reads.items())
    few = ", ".join(
        f"{kind} ({count:,} label{'' if count == 1 else 's'})"
        for kind, count in kinds.items()
        if kind not in reads
    )
    scope = f"it reads {read}"
    if few:
        scope += f"; too few labels of {few}, read by the model alone"
    return (
        f"{scope}; a kind of text needs {MIN_KIND_LABELS} labels, or half of the "
        "calibration's, to be read by it (other kinds: by the model alone)"
    )
