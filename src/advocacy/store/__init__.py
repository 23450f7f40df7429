"""The store layer: one database (DuckDB file or PostgreSQL), its schema and its writes.

``Database`` and ``connect`` are imported on first use: the store's light modules
(:mod:`advocacy.store.steady`) are imported by every command, DuckDB only by those that open
a database.
"""

from advocacy.lazy_names import lazy_names as _lazy_names

_LAZY = {"Database": "advocacy.store.connection", "connect": "advocacy.store.connection"}

__all__ = ["Database", "connect"]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
