"""Ibis's SQL compilers, loaded one engine at a time.

``ibis.backends.sql.compilers`` imports the compiler of every engine Ibis supports (Athena,
BigQuery, ClickHouse, Trino... twenty, with their sqlglot dialects) the moment any backend
connects, although a workspace only ever compiles for one: DuckDB, PostgreSQL or Spark. That
was ~0.1-0.15 s of CPU in every CLI command that ran an analysis. :func:`defer_sql_compilers`
registers the package without running its ``__init__``: a backend reaching for its own compiler
(``compilers.duckdb``, as every Ibis backend does) imports just that module, and any other name
(``compilers.TrinoCompiler``, ``__all__``) runs the package's ``__init__`` first, so everything
Ibis offers still works, only later.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from typing import Any

PACKAGE = "ibis.backends.sql.compilers"
_INSTALLING = threading.Lock()  # server threads may connect at once


def defer_sql_compilers() -> None:
    """Register :data:`PACKAGE` so that its engines' compilers load when first named.

    Does nothing when the package is already imported, or when Ibis lays it out differently
    (no package of that name): the compilers then load the usual way.
    """
    with _INSTALLING:
        if PACKAGE not in sys.modules:
            _install()


def _install() -> None:
    spec = importlib.util.find_spec(PACKAGE)  # imports the parents (ibis.backends.sql)
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return
    package = importlib.util.module_from_spec(spec)
    state = {"complete": False}
    completing = threading.RLock()

    def complete() -> None:
        with completing:
            if not state["complete"]:
                state["complete"] = True
                assert spec.loader is not None
                spec.loader.exec_module(package)  # the real __init__: every engine's compiler

    def get(name: str) -> Any:
        if not name.startswith("__"):
            submodule = f"{PACKAGE}.{name}"
            try:
                return importlib.import_module(submodule)  # also sets it on the package
            except ModuleNotFoundError as error:
                if error.name != submodule:
                    raise
        elif name != "__all__":
            raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")
        complete()
        if name in package.__dict__:
            return package.__dict__[name]
        raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")

    package.__getattr__ = get  # type: ignore[method-assign]
    sys.modules[PACKAGE] = package
    parent = sys.modules[PACKAGE.rpartition(".")[0]]
    parent.compilers = package  # type: ignore[attr-defined]
