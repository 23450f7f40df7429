"""Public names of a package imported on first use (PEP 562).

``advocacy``, ``advocacy.access`` and ``advocacy.text`` list their public API in ``__all__``, but
importing every module behind it at once costs seconds (pandas, SciPy, Ibis, the text models), and
every command of the CLI, every page of the server, paid it at start-up. Each package instead
hands :func:`lazy_names` a table of where its names live; a name is imported the first time it is
read, then kept in the package like any other.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_names(
    package: str, table: Mapping[str, str], public: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``.

    ``table`` maps each lazily imported name to its module, written ``module:attribute`` where
    the attribute has another name (``open`` is ``advocacy.workspace:open_workspace``).
    """

    def get(name: str) -> Any:
        target = table.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = target.partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        setattr(sys.modules[package], name, value)  # imported once
        return value

    def names() -> list[str]:
        return sorted(public)

    return get, names


__all__ = ["lazy_names"]
