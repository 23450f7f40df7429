"""The facade's public methods: numpydoc sections whole, and no ``Any`` in a signature.

Covers ``Workspace``, its analysis namespaces (``ws.metrics``, ``ws.text``, ``ws.gaps``,
``ws.advocates``, ``ws.retention``) and ``ws.customers``; ``tests/test_docstrings.py`` covers
the functions the packages export. Properties are attributes (numpydoc gives them no Returns
section).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from advocacy.namespaces.advocates import AdvocatesNamespace
from advocacy.namespaces.customers import CustomersNamespace
from advocacy.namespaces.gaps import GapsNamespace
from advocacy.namespaces.metrics import MetricsNamespace
from advocacy.namespaces.retention import RetentionNamespace
from advocacy.namespaces.text import TextNamespace
from advocacy.workspace import Workspace
from support import require_module

CLASSES = (
    Workspace,
    MetricsNamespace,
    TextNamespace,
    GapsNamespace,
    AdvocatesNamespace,
    RetentionNamespace,
    CustomersNamespace,
)
# A missing docstring or summary, a parameter undocumented or documented but gone, no Returns.
CODES = {"GL08", "SS01", "PR01", "PR02", "RT01"}
# Record rows (JSON-ready values) are the one loosely typed value the facade returns.
ROWS = re.compile(r"dict\[str, Any\]|\bRows\b")


def public_methods() -> list[Any]:
    """``(name, method)`` parameters, each with its name alone as the test id: a function's repr
    holds its address, which differs between pytest-xdist workers and would make their
    collections disagree."""
    return [
        pytest.param(f"{cls.__name__}.{name}", member, id=f"{cls.__name__}.{name}")
        for cls in CLASSES
        for name, member in vars(cls).items()
        if not name.startswith("_") and inspect.isfunction(member)
    ]


@pytest.fixture(scope="module")
def numpydoc() -> ModuleType:
    return require_module("numpydoc.validate", "pip install -e '.[dev]' (numpydoc)")


@pytest.mark.parametrize(("name", "method"), public_methods())
def test_each_method_has_whole_numpydoc_sections(
    numpydoc: ModuleType, name: str, method: Callable[..., Any]
) -> None:
    report = numpydoc.validate(numpydoc.get_doc_object(method))
    assert [(code, text) for code, text in report["errors"] if code in CODES] == [], name


@pytest.mark.parametrize(("name", "method"), public_methods())
def test_no_signature_says_any(name: str, method: Callable[..., Any]) -> None:
    signature = inspect.signature(method)
    annotations = [str(p.annotation) for p in signature.parameters.values()]
    annotations.append(str(signature.return_annotation))
    loose = [text for text in annotations if re.search(r"\bAny\b", ROWS.sub("", text))]
    assert loose == [], name


def test_every_analysis_namespace_is_a_property_of_the_workspace() -> None:
    for attribute in ("metrics", "text", "gaps", "advocates", "retention"):
        assert isinstance(vars(Workspace)[attribute], property), attribute
