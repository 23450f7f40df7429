"""Recognise the date, amount and quantity of purchases in a plain file by their column names.

Order and sales exports seldom name their columns ``occurred_at`` and ``amount``; they say
``date``, ``order_date`` or ``dollar_value``. For ``--kind transactions`` a column whose name
(lower case, spaces and hyphens as ``_``) is in one of these lists fills the field, the first
listed name that the file has winning; a field named canonically, or mapped, keeps its column:

- ``occurred_at``: :data:`DATE_NAMES` (``date``, ``order_date``, ``purchase_date``, ...);
- ``amount``: :data:`AMOUNT_NAMES` (``dollar_value``, ``total``, ``order_total``, ``revenue``,
  ...). ``price`` and ``unit_price`` are left out on purpose: a unit price is what one unit
  cost, not what the customer spent when they bought several, so such a file needs a mapping
  (or an amount column);
- ``quantity``: :data:`QUANTITY_NAMES` (``qty``, ``units``, ...) or ``number_of_<things>``
  (``number_of_cds``);
- ``customer_id``: :data:`CUSTOMER_NAMES` (``customerid``, ``client_id``, ...; not a bare
  ``customer``, which often holds names).

``items`` is no quantity (it often lists what was bought).

Names only: the values are then checked as any mapped column's are (a ``date`` column of
non-dates is quarantined row by row, with the fix). Each choice is a
:class:`~advocacy.ingest.raw.Detection` that the import summary prints.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from advocacy.ingest.raw import Detection

__all__ = [
    "AMOUNT_NAMES",
    "CUSTOMER_NAMES",
    "DATE_NAMES",
    "QUANTITY_NAMES",
    "purchase_columns",
]

#: Names of when a purchase happened, the surest first.
DATE_NAMES = (
    "purchase_date",
    "purchased_at",
    "order_date",
    "ordered_at",
    "transaction_date",
    "invoice_date",
    "invoicedate",
    "sale_date",
    "order_purchase_timestamp",
    "date",
)
#: Names of what the customer spent on a purchase, the surest first.
AMOUNT_NAMES = (
    "dollar_value",
    "order_total",
    "order_value",
    "total_amount",
    "purchase_amount",
    "sale_amount",
    "payment_value",
    "total",
    "value",
    "revenue",
    "sales",
    "spend",
)
#: Names of how many units a purchase held (besides ``number_of_<things>``).
QUANTITY_NAMES = ("qty", "units", "unit_count", "item_count", "number_of_items")
#: Names of the customer who bought, besides ``customer_id`` itself.
CUSTOMER_NAMES = ("customerid", "customer_no", "customer_number", "client_id", "buyer_id")

_NUMBER_OF = re.compile(r"^number_of_[a-z0-9_]+$")


def _named(column: str) -> str:
    return column.strip().lower().replace(" ", "_").replace("-", "_")


def purchase_columns(
    columns: Sequence[str], taken: Mapping[str, str]
) -> tuple[dict[str, str], list[Detection]]:
    """The transaction fields that ``columns`` fill by name, beyond those ``taken``.

    Parameters
    ----------
    columns
        The file's column names.
    taken
        Fields already filled (named canonically or mapped), which keep their columns.

    Returns
    -------
    tuple[dict[str, str], list[Detection]]
        Field to column for the newly recognised fields, and why each was chosen.
    """
    free = [column for column in columns if column not in set(taken.values())]
    by_name: dict[str, str] = {}
    for column in free:
        by_name.setdefault(_named(column), column)
    found: dict[str, str] = {}
    lists = (
        ("occurred_at", DATE_NAMES),
        ("amount", AMOUNT_NAMES),
        ("quantity", QUANTITY_NAMES),
        ("customer_id", CUSTOMER_NAMES),
    )
    for field, names in lists:
        if field in taken:
            continue
        named = [by_name[name] for name in names if name in by_name]
        if field == "quantity":
            named += [column for name, column in by_name.items() if _NUMBER_OF.match(name)]
        if named and named[0] not in found.values():
            found[field] = named[0]
    detections = [
        Detection(column, field, f"column {column!r} is named like a purchase's {field!r}")
        for field, column in found.items()
    ]
    return found, detections
