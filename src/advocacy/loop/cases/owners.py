"""Who may own a case: an enabled user who may work cases, or a team named in a setting.

A case owned by a name nobody signs in with is a case nobody works: its notifications go
nowhere and it never shows under anyone's "my cases". So every way of naming an owner checks
the name here: assigning a case (:func:`advocacy.loop.cases.work.assign_case`, hence the API, the
case page and ``advocacy cases assign``) and the routes, ``default_owner`` and ``escalate_to``
of case rules loaded from a file or text (``advocacy cases load-rules``, the rules page,
``PUT /api/v1/rules``). Teams that work cases together without one person owning each (a
billing desk, a returns queue) are listed in the ``case_teams`` setting.

Rules stored by :func:`advocacy.loop.cases.rule_store.replace_rules` directly (the demo, tests) are
not checked: they may be written before their owners' accounts exist.

Viewers may read cases but not work them, so they cannot own one. The pages offer owners from
:func:`assignable_owners` (a list to pick from, never a free-text box): the users who may work
cases, case handlers only for cases of their units, and the teams.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from advocacy.access.roles import GRANTS, Permission, Role, parse_units
from advocacy.errors import UsageError, ValidationError
from advocacy.loop.cases.rules import Rule
from advocacy.settings import Settings
from advocacy.store.connection import Database


def case_teams(settings: Settings) -> tuple[str, ...]:
    """The team names of the ``case_teams`` setting of ``settings`` (a workspace's)."""
    raw = settings.case_teams
    return tuple(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))


#: Roles whose users may work, hence own, cases.
WORKING_ROLES = tuple(role for role in Role if Permission.work_cases in GRANTS[role])


@dataclass(frozen=True)
class Owner:
    """Someone a case may be assigned to.

    Attributes
    ----------
    name
        The user name, or the team's name.
    role
        The user's role (``admin``, ``analyst``, ``case-handler``), or ``team``.
    units
        The units a case handler works for (empty: every unit).
    """

    name: str
    role: str
    units: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How a picker shows the owner: ``hal (case handler: North)``."""
        role = self.role.replace("-", " ")
        return (
            f"{self.name} ({role}: {', '.join(self.units)})"
            if self.units
            else f"{self.name} ({role})"
        )


def _working_users(db: Database, names: Sequence[str] | None = None) -> list[Owner]:
    roles = [role.value for role in WORKING_ROLES]
    sql = (
        "SELECT username, role, units FROM users WHERE NOT disabled AND role IN "
        f"({', '.join('?' for _ in roles)})"
    )
    params: list[str] = [*roles]
    if names is not None:
        sql += f" AND username IN ({', '.join('?' for _ in names)})"
        params += names
    rows = db.fetchall(sql + " ORDER BY username", params)
    return [
        Owner(str(row[0]), str(row[1]), parse_units(str(row[2]) if row[2] else None))
        for row in rows
    ]


def assignable_owners(db: Database, *, settings: Settings, unit: str | None = None) -> list[Owner]:
    """Who a case of ``unit`` may be assigned to: users first (by name), then the teams.

    Parameters
    ----------
    db
        The workspace database.
    settings
        The workspace's settings (their ``case_teams``).
    unit
        The case's unit: case handlers of other units are left out (they could not open the
        case). None: every user who may work cases.

    Returns
    -------
    list of Owner
        Enabled admins, analysts and case handlers, then the teams.
    """
    users = [
        owner
        for owner in _working_users(db)
        if unit is None or not owner.units or unit in owner.units
    ]
    return users + [Owner(team, "team") for team in case_teams(settings)]


def unknown_owners(db: Database, names: Iterable[str], *, settings: Settings) -> list[str]:
    """Those of ``names`` that are neither an enabled user who may work cases nor a team, in the
    order given."""
    wanted = list(dict.fromkeys(name for name in names if name))
    if not wanted:
        return []
    users = {owner.name for owner in _working_users(db, wanted)}
    allowed = users | set(case_teams(settings))
    return [name for name in wanted if name not in allowed]


def _fix(settings: Settings) -> str:
    teams = case_teams(settings)
    listed = f" (teams now: {', '.join(teams)})" if teams else ""
    return (
        "give the user name of an enabled admin, analyst or case handler (advocacy access "
        "users; viewers cannot work cases), add the user with "
        "advocacy access add-user, or name a team in the case_teams setting "
        "(ADVOCACY_CASE_TEAMS)" + listed
    )


def check_owner(db: Database, owner: str, *, settings: Settings, unit: str | None = None) -> str:
    """``owner`` stripped, if it may own cases (of ``unit``); else :class:`UsageError` saying who
    may.

    A case handler may own only the cases of their units: they could not open another's.
    """
    name = owner.strip()
    if unknown_owners(db, [name], settings=settings):
        raise UsageError(
            f"{name!r} cannot own cases: it is not an enabled user who may work cases, or a team",
            value=name,
            parameter="owner",
            fix=_fix(settings),
        )
    if unit is not None and name not in case_teams(settings):
        (user,) = _working_users(db, [name])
        if user.units and unit not in user.units:
            raise UsageError(
                f"{name!r} handles cases of {', '.join(user.units)}, not of unit {unit!r}",
                value=name,
                parameter="owner",
                fix=f"pick an owner who handles {unit}, an analyst, or a team",
            )
    return name


def check_rule_owners(
    db: Database, rules: Sequence[Rule], *, source: str, settings: Settings
) -> None:
    """Refuse rules that route cases to, or escalate them to, someone who cannot own them.

    Raises
    ------
    ValidationError
        Naming the first rule with an unknown owner, and every unknown name.
    """
    for rule in rules:
        named = [route.owner for route in rule.routes]
        named += [name for name in (rule.default_owner, rule.escalate_to) if name]
        unknown = unknown_owners(db, named, settings=settings)
        if unknown:
            raise ValidationError(
                f"rule {rule.rule_id!r} names owner(s) {', '.join(map(repr, unknown))}, who are "
                "not enabled users who may work cases, or teams",
                file=source,
                value=", ".join(unknown),
                fix=_fix(settings),
            )


__all__ = [
    "WORKING_ROLES",
    "Owner",
    "assignable_owners",
    "case_teams",
    "check_owner",
    "check_rule_owners",
    "unknown_owners",
]
