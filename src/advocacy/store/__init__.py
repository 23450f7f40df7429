"""The store layer: one database (DuckDB file or PostgreSQL), its schema and its writes."""

from advocacy.store.connection import Database, connect

__all__ = ["Database", "connect"]
