"""How a number, a share, a period, a moment or a flag is written for people: one formatter for
the CLI, the web app and the report.

Every function returns plain text (escaping for a page is the template's job) and writes an
absent value (None, NaN, NaT) as ``""``. Precision follows the interval where one is known: a
score whose 95% interval is ±5 is written to the unit ("42"), one whose interval is ±0.05 to the
hundredth ("4.23"), so a screen never shows more digits than the data can support.

Examples
--------
>>> percent(0.0884)
'8.8%'
>>> estimate(42.37, 37.2, 47.5)
'42 [37, 48]'
>>> period_label("2025-04-01", "quarter")
'2025 Q2'
>>> yes_no(True)
'yes'
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

#: The most decimals any number is written with.
MAX_DIGITS = 3
#: A minus sign, not a hyphen, so that "−4.1" reads as negative in every font.
MINUS = "\u2212"


def missing(value: Any) -> bool:
    """Whether ``value`` is absent: None, a float NaN, or pandas' NA/NaT.

    >>> missing(None), missing(float("nan")), missing(0)
    (True, True, False)
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas' NA and NaT are not floats; both compare unequal to themselves or refuse to.
    kind = type(value).__name__
    return kind in ("NAType", "NaTType")


def digits_for(low: float | None, high: float | None) -> int:
    """Decimals an estimate with interval [``low``, ``high``] supports: the first significant
    digit of the half-width, between 0 and :data:`MAX_DIGITS`.

    >>> digits_for(37.2, 47.5), digits_for(4.18, 4.28), digits_for(None, None)
    (0, 2, 1)
    """
    if missing(low) or missing(high):
        return 1
    assert low is not None and high is not None
    half = abs(float(high) - float(low)) / 2
    if half == 0 or not math.isfinite(half):
        return 1
    return max(0, min(MAX_DIGITS, -math.floor(math.log10(half))))


def number(value: Any, digits: int | None = None) -> str:
    """A number with thousands separators, ``digits`` decimals (default: as many as it needs,
    at most :data:`MAX_DIGITS`), and a true minus sign.

    >>> number(3191), number(0.5), number(-4.125, 1), number(10.0)
    ('3,191', '0.5', '−4.1', '10')
    """
    if missing(value):
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        text = f"{value:,}"
    else:
        value = float(value)
        if not math.isfinite(value):
            return "∞" if value > 0 else f"{MINUS}∞"
        if digits is None:
            text = f"{value:,.{MAX_DIGITS}f}".rstrip("0").rstrip(".")
        else:
            text = f"{value:,.{digits}f}"
        if text.startswith("-") and not text.strip("-0.,"):
            text = text[1:]  # -0.0 rounds to zero: no sign
    return text.replace("-", MINUS)


def signed(value: Any, digits: int | None = 1) -> str:
    """A change with its sign always written: ``+10.4``, ``−4.1``, ``0``.

    >>> signed(10.44), signed(-4.1), signed(0.0)
    ('+10.4', '−4.1', '0.0')
    """
    text = number(value, digits)
    if text and not text.startswith(MINUS) and text.strip("0.,"):
        return "+" + text
    return text


def points(change: Any, digits: int | None = 1) -> str:
    """A change of a share or of a score on a -100..100 scale, in points, its sign written:
    ``+1.1 points`` (40.6% against 39.6%), the convention of every CSAT and NPS change.

    >>> points(1.06), points(-4.0, 0), points(None)
    ('+1.1 points', '−4 points', '')
    """
    if missing(change):
        return ""
    return signed(change, digits) + " points"


def percent(share: Any, digits: int | None = 1) -> str:
    """A share (0.088) as a percentage ("8.8%").

    >>> percent(0.088), percent(1), percent(0.12345, 0)
    ('8.8%', '100.0%', '12%')
    """
    if missing(share):
        return ""
    return number(float(share) * 100, digits) + "%"


def estimate(value: Any, low: Any = None, high: Any = None, *, suffix: str = "") -> str:
    """An estimate and its interval at the precision the interval supports.

    >>> estimate(4.2312, 4.18, 4.28), estimate(31.0, None, None)
    ('4.23 [4.18, 4.28]', '31')
    """
    if missing(value):
        return ""
    digits = digits_for(low, high)
    if missing(low) or missing(high):
        text = number(value, None if float(value) != int(float(value)) else 0)
        return text + suffix
    return (
        f"{number(value, digits)}{suffix} [{number(low, digits)}{suffix}, "
        f"{number(high, digits)}{suffix}]"
    )


def share_estimate(share: Any, low: Any = None, high: Any = None) -> str:
    """A share and its interval as percentages at the precision the interval supports.

    >>> share_estimate(0.229, 0.175, 0.282)
    '23% [18%, 28%]'
    """
    scaled = [None if missing(x) else float(x) * 100 for x in (share, low, high)]
    return estimate(*scaled, suffix="%")


def p_value(value: Any) -> str:
    """A p-value as people read it: ``< 0.001`` below that, else three decimals.

    >>> p_value(0.0), p_value(0.01234), p_value(None)
    ('< 0.001', '0.012', '')
    """
    if missing(value):
        return ""
    return "< 0.001" if float(value) < 0.001 else number(float(value), 3)


def yes_no(value: Any) -> str:
    """``yes`` or ``no`` for a flag; ``""`` when unknown.

    >>> yes_no(False), yes_no(None)
    ('no', '')
    """
    if missing(value):
        return ""
    return "yes" if bool(value) else "no"


def _as_date(value: Any) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # pandas Timestamp, numpy datetime64


def period_label(start: Any, period: str | None) -> str:
    """The period starting ``start`` as people name it: ``2025 Q2``, ``Apr 2025``,
    ``2025 W14``, ``2025``; a day as its ISO date.

    >>> period_label("2025-04-01", "month"), period_label("2025-03-31", "week")
    ('Apr 2025', '2025 W14')
    """
    if missing(start):
        return ""
    day = _as_date(start)
    if period == "quarter":
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    if period == "month":
        return day.strftime("%b %Y")
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year} W{week:02d}"
    if period == "year":
        return str(day.year)
    return day.isoformat()


def moment(value: Any, timezone: str = "UTC", *, seconds: bool = False) -> str:
    """A moment in ``timezone`` (an IANA name) without a raw offset: ``2025-04-03 14:05``.

    A naive moment is taken as UTC, as the store keeps them; a date stays a date.

    >>> moment("2025-04-03T12:05:00+00:00", "Europe/Berlin")
    '2025-04-03 14:05'
    """
    if missing(value):
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if not isinstance(value, dt.datetime):
        return _as_date(value).isoformat()
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(ZoneInfo(timezone))
    return str(local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"))


def day(value: Any, timezone: str = "UTC") -> str:
    """The calendar day of ``value`` in ``timezone``: ``2025-04-03``.

    >>> day("2025-04-03T23:30:00+00:00", "Asia/Tokyo")
    '2025-04-04'
    """
    text = moment(value, timezone)
    return text[:10]


def change_word(delta: Any, higher_is_better: bool = True) -> str:
    """``better``, ``worse`` or ``no change`` for a change, whatever direction is good.

    >>> change_word(-0.13, higher_is_better=False), change_word(2.0)
    ('better', 'better')
    """
    if missing(delta) or float(delta) == 0:
        return "no change"
    return "better" if (float(delta) > 0) == higher_is_better else "worse"


def cell(value: Any, timezone: str = "UTC") -> str:
    """Any value from a result table as text: flags as yes/no, moments in ``timezone``, numbers
    as :func:`number`, mappings as ``key: value`` pairs (never a Python dict).

    >>> cell({"positive": 0.406, "negative": 0.1}), cell(True), cell(3.0)
    ('positive: 0.406, negative: 0.1', 'yes', '3')
    """
    if missing(value):
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dt.datetime) or type(value).__name__ == "Timestamp":
        return moment(value, timezone)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return number(value)
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        return cell(value.item(), timezone)
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {cell(item, timezone)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(cell(item, timezone) for item in value)
    return str(value)


#: Unicode's bidirectional embedding, override and isolate controls (U+202A-U+202E,
#: U+2066-U+2069): invisible, they reorder the text after them, so one pasted right-to-left
#: override shows "The product broke after a week" as "keew a retfa ekorb tcudorp ehT".
#: Right-to-left languages need none of them (a browser orders Arabic or Hebrew by itself).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    """``text`` as it reads, its bidirectional controls taken out (:data:`BIDI_CONTROLS`).

    >>> without_bidi_controls("\u202ekeew a\u202c")
    'keew a'
    """
    return BIDI_CONTROLS.sub("", text) if BIDI_CONTROLS.search(text) else text
