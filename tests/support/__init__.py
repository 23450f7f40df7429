"""Helpers the test suite shares: the CI rule for missing components, PostgreSQL and Spark."""

from __future__ import annotations

import os

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
