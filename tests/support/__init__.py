"""Helpers the test suite shares: the CI rule for missing components, PostgreSQL and Spark."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def running_in_ci() -> bool:
    """True in CI (``CI=true``), where no test may be skipped for lack of a component."""
    return os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Go on only if ``condition`` holds; otherwise skip the test locally and fail it in CI.

    A developer without PostgreSQL, Java or ``../shared/data`` still gets a useful local run, but
    CI (``CI=true``) must exercise everything, so there a missing component is an error.
    ``reason`` should say what is missing and how to get it.
    """
    if condition:
        return
    if running_in_ci():
        pytest.fail(f"CI=true and a test component is missing: {reason}", pytrace=False)
    pytest.skip(reason)


def require_module(name: str, install: str) -> ModuleType:
    """Import ``name``, or skip locally and fail in CI as ``require`` does; ``install`` says how
    to get it (the one route for an optional package, instead of ``pytest.importorskip``)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        require(False, f"{name} cannot be imported: {install}")
        raise  # not reached: require skipped or failed the test
