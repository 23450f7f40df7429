"""Assemble the CLI: importing each command module registers its commands on the app."""

from __future__ import annotations

from advocacy.present.cli import (  # noqa: F401 - imported for their registrations
    access,
    advocates,
    asks,
    cases,
    data,
    demo,
    gaps,
    metrics,
    outbox,
    plans,
    report,
    retention,
    serve,
    surveys,
    text,
)
from advocacy.present.cli.app import app, run

__all__ = ["app", "run"]
