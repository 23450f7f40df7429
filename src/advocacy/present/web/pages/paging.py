"""Tables the server sorts and pages: which page of a table is shown and in which order, read
from the URL (``<table>_page``, ``<table>_sort``), and where that page is in the whole.

The topic pages (``/advocates``, ``/gaps``...) and the case list page their tables with it, 50
rows a page; a link to another page or order keeps the page's filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Rows of a table on one page; the server sorts and pages (the page and order are in the URL).
PAGE_ROWS = 50


@dataclass(frozen=True)
class Paging:
    """Which page of a table is shown and in which order: ``sort`` a column (``""`` keeps the
    table's own order), read from the URL (``<table>_page``, ``<table>_sort``, ``-`` before
    the column for the highest first)."""

    page: int = 1
    sort: str = ""
    descending: bool = False

    @classmethod
    def read(cls, query: Mapping[str, str], key: str) -> Paging:
        """The paging of table ``key`` in ``query`` (nonsense reads as the first page)."""
        text = str(query.get(f"{key}_page", "") or "")
        page = int(text) if text.isdigit() and 0 < len(text) < 10 else 1
        sort = str(query.get(f"{key}_sort", "") or "")[:200]
        descending = sort.startswith("-")
        return cls(max(1, page), sort.lstrip("-"), descending)

    def pairs(self, key: str) -> dict[str, str]:
        """This paging as query parameters (none for the defaults)."""
        found = {}
        if self.sort:
            found[f"{key}_sort"] = ("-" if self.descending else "") + self.sort
        if self.page > 1:
            found[f"{key}_page"] = str(self.page)
        return found

    def turned(self, sort: str) -> Paging:
        """The first page sorted by ``sort``: ascending, or descending when this paging sorts
        ascending by it now (a second click on a heading turns the order)."""
        return Paging(1, sort, self.sort == sort and not self.descending)

    def within(self, rows: int) -> Paging:
        """This paging with its page no further than the last page of ``rows`` rows."""
        return Paging(min(self.page, pages_of(rows)), self.sort, self.descending)

    @property
    def start(self) -> int:
        """How many rows come before this page (0-based index of its first row)."""
        return (self.page - 1) * PAGE_ROWS


def pages_of(rows: int) -> int:
    """How many pages ``rows`` rows fill (one, when there is none)."""
    return max(1, -(-rows // PAGE_ROWS))
