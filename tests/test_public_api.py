"""The public API is listed once, in ``advocacy.__all__``, and every ``__all__`` tells the truth.

``advocacy`` imports its names on first use (``advocacy.lazy_names``), so looking at the package's
namespace cannot show a name left out of ``__all__``: these tests read the lazy tables, the
``TYPE_CHECKING`` imports mypy sees and every public module under ``advocacy`` instead.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path
from types import ModuleType

import advocacy


def public_modules() -> list[str]:
    """Every module under ``advocacy`` with no underscore-led part (so not ``__main__``)."""
    found = pkgutil.walk_packages(advocacy.__path__, prefix="advocacy.")
    return sorted(
        info.name
        for info in found
        if not any(part.startswith("_") for part in info.name.split("."))
    )


def type_checking_names(module: ModuleType) -> set[str]:
    """The names a package imports under ``if TYPE_CHECKING:`` (what mypy sees of its API)."""
    assert module.__file__ is not None
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom):
                    names |= {alias.asname or alias.name for alias in statement.names}
    return names


def test_the_walk_sees_the_whole_package() -> None:
    modules = public_modules()
    assert {"advocacy.workspace", "advocacy.retention.bg_nbd", "advocacy.present.cli.app"} <= set(
        modules
    )
    assert not [name for name in modules if "._" in name]


def test_every_name_in_advocacy_all_resolves() -> None:
    for name in advocacy.__all__:
        assert getattr(advocacy, name) is not None, name


def test_the_lazy_table_and_all_agree_both_ways() -> None:
    lazy: dict[str, str] = vars(advocacy)["_LAZY"]
    exported = set(advocacy.__all__)
    assert set(lazy) - exported == set(), "in _LAZY but not in __all__"
    eager = exported - set(lazy)
    # Names not in the table must be bound at import time (errors and the version), not lazily.
    assert {name for name in eager if name not in vars(advocacy)} == set()
    assert type_checking_names(advocacy) == set(lazy), "the TYPE_CHECKING imports drift from _LAZY"
    for name, target in lazy.items():
        module, _, attribute = target.partition(":")
        assert hasattr(importlib.import_module(module), attribute or name), target


def all_problems(name: str) -> list[str]:
    """What is wrong with module ``name``'s ``__all__`` (nothing if it has none)."""
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None:
        return []  # a module without __all__ exports by the underscore convention alone
    problems = [
        f"{name}.__all__ names {entry!r}, which it lacks"
        for entry in exported
        if not hasattr(module, entry)
    ]
    if len(set(exported)) != len(exported):
        problems.append(f"{name}.__all__ repeats a name")
    defined = {
        attribute
        for attribute, value in vars(module).items()
        if not attribute.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == name
    }
    problems += [
        f"{name} defines {left!r} but leaves it out of __all__" for left in defined - set(exported)
    ]
    lazy = vars(module).get("_LAZY", {})
    problems += [
        f"{name}._LAZY has {extra!r}, missing from __all__" for extra in set(lazy) - set(exported)
    ]
    return problems


def test_every_all_lists_what_its_module_defines_and_nothing_else() -> None:
    problems = [problem for name in public_modules() for problem in all_problems(name)]
    assert problems == []


def test_every_public_class_and_function_of_the_package_is_exported() -> None:
    for name in advocacy.__all__:
        getattr(advocacy, name)
    public = {
        name
        for name, value in vars(advocacy).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", "").startswith("advocacy")
    }
    assert public - set(advocacy.__all__) == set()
