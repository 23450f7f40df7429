"""Who may own a case: an enabled user of the workspace, or a team named in a setting.

A case owned by a name nobody signs in with is a case nobody works: its notifications go
nowhere and it never shows under anyone's "my cases". So every way of naming an owner checks
the name here: assigning a case (:func:`advocacy.loop.cases.work.assign_case`, hence the API, the
case page and ``advocacy cases assign``) and the routes, ``default_owner`` and ``escalate_to``
of case rules loaded from a file or text (``advocacy cases load-rules``, the rules page,
``PUT /api/v1/rules``). Teams that work cases together without one person owning each (a
billing desk, a returns queue) are listed in the ``case_teams`` setting.

Rules stored by :func:`advocacy.loop.cases.rule_store.replace_rules` directly (the demo, tests) are
not checked: they may be written before their owners' accounts exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from advocacy.errors import UsageError, ValidationError
from advocacy.loop.cases.rules import Rule
from advocacy.settings import Settings
from advocacy.store.connection import Database


def case_teams(settings: Settings) -> tuple[str, ...]:
    """The team names of the ``case_teams`` setting of ``settings`` (a workspace's)."""
    raw = settings.case_teams
    return tuple(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))


def unknown_owners(db: Database, names: Iterable[str], *, settings: Settings) -> list[str]:
    """Those of ``names`` that are neither an enabled user nor a team, in the order given."""
    wanted = list(dict.fromkeys(name for name in names if name))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    users = {
        str(row[0])
        for row in db.fetchall(
            f"SELECT username FROM users WHERE NOT disabled AND username IN ({marks})", wanted
        )
    }
    allowed = users | set(case_teams(settings))
    return [name for name in wanted if name not in allowed]


def _fix(settings: Settings) -> str:
    teams = case_teams(settings)
    listed = f" (teams now: {', '.join(teams)})" if teams else ""
    return (
        "give the user name of an enabled user (advocacy access users), add the user with "
        "advocacy access add-user, or name a team in the case_teams setting "
        "(ADVOCACY_CASE_TEAMS)" + listed
    )


def check_owner(db: Database, owner: str, *, settings: Settings) -> str:
    """``owner`` stripped, if it may own cases; else :class:`UsageError` saying who may."""
    name = owner.strip()
    if unknown_owners(db, [name], settings=settings):
        raise UsageError(
            f"{name!r} cannot own cases: it is not an enabled user or a team",
            value=name,
            parameter="owner",
            fix=_fix(settings),
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
                "not enabled users or teams",
                file=source,
                value=", ".join(unknown),
                fix=_fix(settings),
            )


__all__ = ["case_teams", "check_owner", "check_rule_owners", "unknown_owners"]
