"""A demo workspace with one user and one API token per role, for the web tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import advocacy
from advocacy.access import add_user, create_token, update_user

PASSWORD = "correct horse battery staple"
ROLES = ("admin", "analyst", "case-handler", "viewer")
#: User name per role; the case handler handles the North unit.
USERS = {"admin": "ada", "analyst": "ana", "case-handler": "hal", "viewer": "vic"}
HANDLER_UNITS = ("North",)


@dataclass
class Site:
    """A prepared workspace: its URL, tokens per role, and sample records to open."""

    url: str
    tokens: dict[str, str] = field(default_factory=dict)
    north_customer: str = ""  # has evidence in North
    other_customer: str = ""  # has no evidence in North
    north_employee: str = ""
    other_employee: str = ""


def ensure_user(
    ws: advocacy.Workspace, name: str, *, role: str, units: tuple[str, ...] | None = None
) -> None:
    """Add user ``name`` with the tests' password, or give the demo's user of that name (who
    has the password already) ``role`` and ``units``."""
    found = {user.username: user for user in ws.access.users()}.get(name)
    if found is not None:
        if (found.role.value, found.units) != (role, tuple(units or ())):
            update_user(ws.db, name, role=role, units=units or None)
    else:
        add_user(ws.db, name, role=role, password=PASSWORD, units=units)


def prepare_site(demo_directory: Path, target: Path) -> Site:
    """Copy the demo workspace to ``target`` and add users and tokens for every role.

    The demo already has some of the users (its case owners, with the tests' password).
    """
    target.mkdir(parents=True, exist_ok=True)
    url = str(target / "advocacy.duckdb")
    shutil.copy(demo_directory / "advocacy.duckdb", url)
    site = Site(url)
    with advocacy.open(url) as ws:
        for role, name in USERS.items():
            units = HANDLER_UNITS if role == "case-handler" else None
            ensure_user(ws, name, role=role, units=units)
            site.tokens[role] = create_token(ws.db, role=role, name=name, units=units).secret
        north = "SELECT customer_id FROM responses WHERE unit = 'North'"
        site.north_customer = ws.db.fetchall(f"{north} ORDER BY customer_id LIMIT 1")[0][0]
        site.other_customer = ws.db.fetchall(
            "SELECT customer_id FROM customers WHERE customer_id NOT IN "
            "(SELECT customer_id FROM responses WHERE unit = 'North' AND customer_id IS NOT NULL "
            "UNION SELECT customer_id FROM interactions WHERE unit = 'North' "
            "AND customer_id IS NOT NULL) AND customer_id IN (SELECT customer_id FROM responses) "
            "ORDER BY customer_id LIMIT 1"
        )[0][0]
        site.north_employee = ws.db.fetchall(
            "SELECT employee_id FROM employees WHERE unit = 'North' ORDER BY 1 LIMIT 1"
        )[0][0]
        site.other_employee = ws.db.fetchall(
            "SELECT employee_id FROM employees WHERE unit <> 'North' ORDER BY 1 LIMIT 1"
        )[0][0]
    return site


def bearer(site: Site, role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.tokens[role]}"}
