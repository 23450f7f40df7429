"""What a target's desired value means: the range of its metric, and shares written as fractions.

One rule, read by the targets import (which refuses a value outside its metric's range and says
how it read a fraction), by the gaps (:mod:`advocacy.gaps.targets`) and by the plans
(:func:`advocacy.loop.plans.impact.metric_range`):

- NPS and eNPS lie in -100..100; the mean CSAT in 1-5 and the mean CES in 1-7 (the scales
  ``advocacy metrics scores`` rescales every answer to);
- a share (``csat`` = % satisfied, ``top-box``, ``ces-easy``) is a percentage, 0-100. Written
  between 0 and 1 it is a fraction: 0.85 reads as 85% (and 1 as 100%). Nobody targets 1% satisfied;
  the import's note says which values it read so;
- a ``csat`` value above 1 and up to 5 is refused (:data:`MEAN_LOOKALIKES`): before 2026-12-06 a
  ``csat`` target was the mean rating on 1-5, so 4.2 is the old mean target, not 4.2% satisfied.
  The import quarantines it naming the fix ``csat-mean`` rather than reading it as a mean: a
  guessed metric would change what the user wrote without their knowing, and a value such as 5
  could be either. Migration ``0014_csat_mean_targets`` renames such targets already stored;
- a value written with a per cent sign (``85%``, ``85 %`` with any space, ``85％``, ``٨٥٪``; any
  metric) is refused with one reason, the fix naming its number ("write 85", "write 4.5" for
  ``4,5%``), never read: the stored value is a bare number whose meaning this rule gives, so
  ``0.85%`` would be stored as 0.85 and read back as 85% (a fraction), and ``nps 45%`` or
  ``csat-mean 4.2%`` have no per cent on their scales; one edit by the user costs less than a
  guess that changes a target without their knowing. An NPS or
  eNPS target between -1 and 1 (``nps 0.45``) is kept as written, with a note that 45 was likely
  meant (a score of 0.45 is possible, if odd, so it is not refused).

The names are those of :data:`advocacy.metrics.catalogue.METRICS` (a test keeps them equal); this
module sits below the metrics layer so that the importer can check targets.

Examples
--------
>>> desired_value("csat", 0.85), desired_value("csat", 85.0), desired_value("csat-mean", 0.85)
(85.0, 85.0, 0.85)
>>> metric_name(" CSAT_Mean ")
'csat-mean'
>>> mean_lookalike("csat", 4.2), mean_lookalike("csat", 85.0), mean_lookalike("csat", 1.0)
(True, False, False)
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

#: The metrics given as a percentage of answers (the tool's "% satisfied", "% very satisfied").
SHARE_METRICS: tuple[str, ...] = ("csat", "top-box", "ces-easy")
#: The values a target on each experience metric may take.
METRIC_RANGES: dict[str, tuple[float, float]] = {
    "nps": (-100.0, 100.0),
    "csat": (0.0, 100.0),
    "csat-mean": (1.0, 5.0),
    "top-box": (0.0, 100.0),
    "ces": (1.0, 7.0),
    "ces-easy": (0.0, 100.0),
    "enps": (-100.0, 100.0),
}
#: Share metrics whose values in ``(low, high]`` are a mean on the scale of another metric, the
#: one to write instead: ``(low, high, metric)``. The import refuses them (see the module notes).
MEAN_LOOKALIKES: dict[str, tuple[float, float, str]] = {"csat": (1.0, 5.0, "csat-mean")}
#: How each range is read, for messages.
_READINGS = {
    "nps": "an NPS, -100 to 100",
    "enps": "an eNPS, -100 to 100",
    "csat-mean": "a mean CSAT on 1-5",
    "ces": "a mean CES on 1-7, higher is easier",
}


#: The code points :func:`metric_name` strips around a metric: Python's whitespace
#: (``str.isspace``: tab, line breaks, no-break, ideographic and the other Unicode spaces). The
#: targets import strips the same before it checks and stores a metric, and migration
#: ``0017_target_metric_spaces`` strips the metrics stored before, so the checks, the stored
#: metric and the gaps read one name: before, the SQL checks trimmed spaces only, and ``csat``
#: followed by a tab got past the ``csat-mean`` and range checks and was read as a share.
METRIC_SPACE_CODES: tuple[int, ...] = (
    *(0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680),
    *range(0x2000, 0x200B),
    *(0x2028, 0x2029, 0x202F, 0x205F, 0x3000),
)


def metric_name(raw: str) -> str:
    """A target's metric as the catalogue names it: without the whitespace around it
    (:data:`METRIC_SPACE_CODES`), lower case, ``-`` for ``_``."""
    return str(raw).strip().lower().replace("_", "-")


def is_fraction(metric: str, value: float) -> bool:
    """Whether ``value`` of ``metric`` is a share written as a fraction (0-1) and read x100."""
    return metric_name(metric) in SHARE_METRICS and 0.0 < float(value) <= 1.0


def mean_lookalike(metric: str, value: float) -> bool:
    """Whether ``value`` of the share ``metric`` lies on a mean's scale (``csat`` 4.2)."""
    bounds = MEAN_LOOKALIKES.get(metric_name(metric))
    return bounds is not None and bounds[0] < float(value) <= bounds[1]


def lookalike_text(metric: str) -> str:
    """Why a share target of ``metric`` on a mean's scale is refused, and the fix."""
    name = metric_name(metric)
    low, high, mean = MEAN_LOOKALIKES[name]
    return (
        f"{name} is a share in % and a value above {low:g} up to {high:g} reads as a mean rating; "
        f"fix: write the metric {mean} for {_READINGS[mean]}, or the share of satisfied answers "
        "as a percentage (85) or a fraction (0.85)"
    )


def desired_value(metric: str, value: float) -> float:
    """The target ``value`` of ``metric`` on the metric's own scale (a share's 0.85 is 85)."""
    return float(value) * 100.0 if is_fraction(metric, value) else float(value)


def range_text(metric: str) -> str:
    """The fix of a target outside ``metric``'s range: what to write, then what the metric is.

    Examples
    --------
    >>> range_text("nps")
    'write a value from -100 to 100 for nps (an NPS)'
    """
    name = metric_name(metric)
    low, high = METRIC_RANGES[name]
    if name in SHARE_METRICS:
        return (
            f"write a value from {low:g} to {high:g} for {name} (a share in %), or a fraction "
            "from 0 to 1 (0.85 reads as 85%)"
        )
    return f"write a value from {low:g} to {high:g} for {name} ({_READINGS[name].split(',')[0]})"


#: How a target written with a per cent sign is refused: the import reads numbers only. The
#: import's fix names the cell's own number (:func:`percent_fix`); this one is the general case.
PERCENT_SIGN_TEXT = (
    "a target is a number without a % sign; fix: write the number alone, 85 for 85% "
    "(a share such as csat is already a percentage)"
)
#: A number with a per cent sign before or after it, spaced or not: ``85%``, ``85 %`` with a
#: no-break or narrow space, full-width ``85％``, Arabic ``٨٥٪`` (any script's decimal digits).
#: DuckDB's RE2 ``\s`` is ASCII-only, hence ``\p{Zs}``.
_PERCENT_PATTERN = (
    r"^(?:[%％٪﹪][\s\p{Zs}]*[-−]?\p{Nd}[\p{Nd}.,٫٬]*"
    r"|[-−]?\p{Nd}[\p{Nd}.,٫٬]*[\s\p{Zs}]*[%％٪﹪])$"
)
#: The longest number (in characters) a fix spells out; a longer one gets the general fix.
_SPELLED = 24


def percent_sql(text: str) -> str:
    """SQL (DuckDB): whether the trimmed cell ``text`` is a number written with a per cent sign."""
    return f"regexp_matches({text}, '{_PERCENT_PATTERN}')"


def percent_fix(value: str | None) -> str:
    """The fix of a target written with a per cent sign: the number to write instead.

    The digits of any script are read as 0-9; a comma before the last one to three digits is a
    decimal comma when there are no other separators (``4,5``, as the import reads it), and
    ``1.000,5`` is read with ``.`` grouping thousands. A value this cannot read gets the general
    fix of :data:`PERCENT_SIGN_TEXT`.

    Examples
    --------
    >>> [percent_fix(value)[:12] for value in ("4,5%", "٨٥٪", "1.000,5\u00a0%", "-5%")]
    ['write 4.5 (t', 'write 85 (th', 'write 1000.5', 'write -5 (th']
    """
    general = PERCENT_SIGN_TEXT.rpartition("; fix: ")[2]
    number = _percent_number(value or "")
    if number is None:
        return general
    return f"write {number} (the number alone; a share such as csat is already a percentage)"


def _percent_number(value: str) -> str | None:
    kept = []
    for char in value:
        if char.isdecimal():
            kept.append(str(unicodedata.decimal(char)))
        elif char in ".,-":
            kept.append(char)
        elif char in "٫٬−":
            kept.append({"٫": ".", "٬": ",", "−": "-"}[char])
        elif not (char.isspace() or char in "%％٪﹪"):
            return None
    text = "".join(kept)
    if re.fullmatch(r"-?\d+,\d+", text):
        text = text.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
        text = text.replace(".", "").replace(",", ".")
    if len(text) > _SPELLED or not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    return format(Decimal(text).normalize(), "f")


#: Metrics on -100..100 whose values strictly between -1 and 1 look like a share's fraction.
SCORE_METRICS: tuple[str, ...] = ("nps", "enps")


def score_fraction_note(readings: list[tuple[str, float]]) -> list[str]:
    """The import's note on NPS/eNPS targets between -1 and 1 (``nps 0.45``): kept as written,
    a score of 0.45 on -100..100, but most likely a share meant as 45."""
    odd = [
        (metric, value)
        for metric, value in readings
        if metric_name(metric) in SCORE_METRICS and value != 0 and -1.0 < float(value) < 1.0
    ]
    if not odd:
        return []
    shown = ", ".join(f"{metric} {value:g}" for metric, value in odd[:5]) + (
        ", ..." if len(odd) > 5 else ""
    )
    return [
        f"{len(odd)} NPS target{'s' if len(odd) != 1 else ''} between -1 and 1 kept as "
        f"written, on -100 to 100: {shown}; if a share was meant (0.45 for 45), "
        "write the score (45) and import again"
    ]


def fraction_note(readings: list[tuple[str, float]]) -> list[str]:
    """The import's note on the share targets it read as fractions (``(metric, value)`` pairs)."""
    if not readings:
        return []
    shown = ", ".join(
        f"{metric} {value:g} as {value * 100:g}%" for metric, value in readings[:5]
    ) + (", ..." if len(readings) > 5 else "")
    count = len(readings)
    return [
        f"{count} share target{'s' if count != 1 else ''} written as a fraction "
        f"{'were' if count != 1 else 'was'} read as a percentage: {shown} "
        "(shares such as csat, % satisfied, are percentages; a value of 0-1 is a fraction)"
    ]


__all__ = [
    "MEAN_LOOKALIKES",
    "METRIC_RANGES",
    "METRIC_SPACE_CODES",
    "PERCENT_SIGN_TEXT",
    "SCORE_METRICS",
    "SHARE_METRICS",
    "desired_value",
    "fraction_note",
    "is_fraction",
    "lookalike_text",
    "mean_lookalike",
    "metric_name",
    "percent_fix",
    "percent_sql",
    "range_text",
    "score_fraction_note",
]
