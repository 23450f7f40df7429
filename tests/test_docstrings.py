"""The public API's docstrings: their examples run and say what happens, their sections are whole.

Two checks:

- the doctests of every module of the package run and pass (examples that need a workspace
  are marked ``+SKIP``; the rest must print what the code really returns). Every module, not
  only those defining a public name: an example in a module without one went stale unseen
  (review24 item 3: ``sentiment_readings.reading_of`` still wrote the v8 model's name after v9);
- over every function and class that ``advocacy.__all__``, ``advocacy.access.__all__`` and
  ``advocacy.text.__all__`` export, plus ``advocacy.report.write``, numpydoc's validator finds
  none of the errors in :data:`FUNCTION_CODES` / :data:`CLASS_CODES`, and each result dataclass
  describes every field in its ``Attributes`` section.
"""

from __future__ import annotations

import dataclasses
import doctest
import enum
import inspect
import pkgutil
from types import ModuleType
from typing import Any

import pytest

import advocacy
import advocacy.access
import advocacy.report
import advocacy.text
from support import require_module

# Owned by the facade's own docstrings (workspace.py, the namespaces), checked there.
NOT_HERE = {"__version__", "Workspace", "open"}
# Sub-packages whose own __all__ is public API too.
PACKAGES = [advocacy.access, advocacy.text]
# Names left out of the check (none: the American renames of item 6 have settled).
RENAMING: set[str] = set()

# The numpydoc codes that mean a reader is missing something or is told something false. Purely
# typographic codes (GL01-GL03 blank lines, SS03-SS06 punctuation and mood, PR06-PR10 and RT02-RT03
# formatting of types and descriptions, ES01 extended summary, SA01 See Also) are left out: the
# house style writes types in annotations, not in docstrings, and a one-line summary may run on.
FUNCTION_CODES = {
    "GL08": "the object has no docstring",
    "SS01": "no one-line summary",
    "PR01": "a real parameter is not documented",
    "PR02": "a documented parameter does not exist (renamed or removed)",
    "RT01": "a function that returns something has no Returns section",
    "EX01": "no Examples section",
}
# Classes: the same, except that Parameters only apply to a hand-written __init__, and RT01 has no
# meaning. A dataclass's fields are its Attributes (test_result_dataclasses_describe_every_field);
# an error subclass takes AdvocacyError's parameters; Settings' pydantic fields carry their help
# as descriptions, the settings table that tests/present/test_docs.py keeps documented.
CLASS_CODES = {"GL08", "SS01", "EX01"}
INIT_CODES = {"PR01", "PR02"}


@pytest.fixture(scope="module")
def numpydoc() -> ModuleType:
    """numpydoc's validator."""
    return require_module("numpydoc.validate", "pip install -e '.[dev]' (numpydoc)")


def numpydoc_errors(numpydoc: ModuleType, obj: Any) -> set[tuple[str, str]]:
    """The (code, message) pairs numpydoc reports on ``obj``'s docstring."""
    report = numpydoc.validate(numpydoc.get_doc_object(obj))
    return {(code, message) for code, message in report["errors"]}


def public_objects() -> list[tuple[str, Any]]:
    """(name, object) for every function and class exported by ``advocacy`` and the packages in
    :data:`PACKAGES`, and the report's ``write``; each object once."""
    found = [(name, getattr(advocacy, name)) for name in advocacy.__all__ if name not in NOT_HERE]
    found.append(("report.write", advocacy.report.write))
    for package in PACKAGES:
        found += [
            (f"{package.__name__}.{name}", getattr(package, name))
            for name in package.__all__
            if name not in RENAMING
        ]
    seen: set[int] = set()
    unique = []
    for name, obj in found:
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and id(obj) not in seen:
            seen.add(id(obj))
            unique.append((name, obj))
    return unique


PUBLIC = public_objects()


def defining_modules() -> list[str]:
    """The modules that define a public name (and the report's ``write``)."""
    return sorted({obj.__module__ for _, obj in PUBLIC} | {"advocacy.report"})


def every_module() -> list[str]:
    """Every module and package of ``advocacy`` by name, found without importing the modules
    (``__main__`` runs the CLI on import, so it is left out: its docstring has no example)."""
    found = {"advocacy"}
    for info in pkgutil.walk_packages(advocacy.__path__, "advocacy."):
        if info.name.rsplit(".", 1)[-1] != "__main__":
            found.add(info.name)
    return sorted(found)


MODULES = every_module()


def has_own_init(cls: type) -> bool:
    """A hand-written ``__init__`` whose parameters the class docstring should list."""
    generated = dataclasses.is_dataclass(cls) or hasattr(cls, "model_fields")
    if generated or issubclass(cls, enum.Enum) or getattr(cls, "_is_protocol", False):
        return False
    owner = next(base for base in cls.__mro__ if "__init__" in vars(base))
    if owner is object:
        return False
    # Error subclasses share AdvocacyError's parameters, documented there.
    return not (issubclass(cls, advocacy.AdvocacyError) and owner is not cls)


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name: str) -> None:
    # An optional dependency missing skips locally and fails in CI (require_module).
    module = require_module(name, "pip install -e '.[dev]' (the package's optional extras)")
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testmod(module, optionflags=flags, report=True)
    assert result.failed == 0, f"{result.failed} doctest(s) of {name} failed"


def test_every_module_is_walked() -> None:
    """The walk finds the modules that define public names, the text modules beside them (which
    define none the package exports), and modules many levels down."""
    walked = set(MODULES)
    assert set(defining_modules()) <= walked
    assert {
        "advocacy.text.sentiment_readings",
        "advocacy.text.negation",
        "advocacy.text.negation_scope",
        "advocacy.text.effort",
        "advocacy.present.web.pages.theme_cards",
        "advocacy.loop.asks.results",
    } <= walked
    assert len(walked) > 100


@pytest.mark.parametrize(("name", "obj"), PUBLIC, ids=[name for name, _ in PUBLIC])
def test_numpydoc_sections(numpydoc: ModuleType, name: str, obj: Any) -> None:
    if inspect.isclass(obj):
        codes = CLASS_CODES | (INIT_CODES if has_own_init(obj) else set())
    else:
        codes = set(FUNCTION_CODES)
    errors = sorted(
        f"{code}: {text}" for code, text in numpydoc_errors(numpydoc, obj) if code in codes
    )
    assert not errors, f"{name}:\n" + "\n".join(errors)


RESULTS = [(name, obj) for name, obj in PUBLIC if dataclasses.is_dataclass(obj)]


@pytest.mark.parametrize(("name", "cls"), RESULTS, ids=[name for name, _ in RESULTS])
def test_result_dataclasses_describe_every_field(name: str, cls: type) -> None:
    docscrape = require_module("numpydoc.docscrape", "pip install -e '.[dev]' (numpydoc)")
    documented = {
        part.strip()
        for parameter in docscrape.NumpyDocString(cls.__doc__ or "")["Attributes"]
        for part in parameter.name.split(",")
    }
    fields = {field.name for field in dataclasses.fields(cls)}
    assert fields - documented == set(), f"{name}: fields without a description"
    assert documented - fields == set(), f"{name}: described attributes that are not fields"


def test_the_checks_can_fail(numpydoc: ModuleType) -> None:
    """The validator reports the chosen codes on a docstring that lacks the sections."""

    def doubled(value: int) -> int:
        """Twice ``value``."""
        return 2 * value

    codes = {code for code, _ in numpydoc_errors(numpydoc, doubled)}
    assert {"PR01", "RT01", "EX01"} <= codes
