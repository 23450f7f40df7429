"""Versioned schema migrations, applied in order by :mod:`advocacy.store.migrate`.

Each migration is a SQL file ``NNNN_description.sql`` (run on every engine) or
``NNNN_description.<dialect>.sql`` (run only on that engine; the version still counts on the
others). Never edit a migration that has shipped: add a new one.
"""
