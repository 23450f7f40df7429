"""Who may coach whom, and the feedback and interactions that name one employee.

An employee's coaching page (the themes and cases of :mod:`advocacy.loop.cases.coaching`)
starts from two reads, both as a principal may make them:

- :func:`coachable_employees`: the employees whose page the principal may open, each with their
  responses counted. Admins and analysts see everyone; a case handler the employees of their
  units, counting only those units' responses (their evidence is all a handler may read,
  :mod:`advocacy.access.scope`); anyone else their own page (user name = employee id or
  e-mail) and those of the people they supervise;
- :func:`employee_feedback`: the responses that name the employee and the interactions they
  handled, newest first, limited to a case handler's units, with the employee's NPS and the
  interactions counted by outcome; masked for a viewer (:mod:`advocacy.access.masking`).

Coaching lives with the loop (see :mod:`advocacy.loop.cases.coaching`), so these do too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advocacy.access.masking import TextRedactor, mask_record, mask_records, text_redactor
from advocacy.access.roles import AccessDeniedError, Principal, Role
from advocacy.access.scope import SqlSource, scope
from advocacy.metrics.scores import NpsResult, nps
from advocacy.store.connection import Database

#: What an outcome left empty is counted as.
NO_OUTCOME = "(not set)"


@dataclass(frozen=True)
class EmployeeFeedback:
    """The evidence naming one employee, as one principal may see it.

    Attributes
    ----------
    employee
        The employee's row (employee_id, name, unit, role, supervisor_id, email and their
        responses counted), as :func:`coachable_employees` lists it.
    responses
        The responses naming the employee, newest first: submitted_at, customer_id,
        touchpoint, channel, unit, nps, csat, ces and comment.
    interactions
        The interactions the employee handled, newest first: occurred_at, customer_id,
        touchpoint, channel, unit, outcome and duration_seconds.
    outcomes
        The interactions counted by outcome (``(not set)`` for those without one).
    score
        The NPS of the responses that carry one, or None when none does.
    """

    employee: dict[str, Any]
    responses: list[dict[str, Any]]
    interactions: list[dict[str, Any]]
    outcomes: dict[str, int]
    score: NpsResult | None


def _rows(db: Database, source: SqlSource, order: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = db.fetch_arrow(
        f"SELECT * FROM ({source.sql}) s ORDER BY {order}", list(source.params)
    ).to_pylist()
    return rows


def coachable_employees(db: Database, principal: Principal) -> list[dict[str, Any]]:
    """The employees whose coaching page ``principal`` may open, with their responses counted.

    Parameters
    ----------
    db
        The workspace database.
    principal
        Who asks: admins and analysts get everyone, a case handler the employees of their
        units (counting only those units' responses), anyone else themselves (user name =
        employee id or e-mail) and the people they supervise.

    Returns
    -------
    list of dict
        One row per employee, by unit then id: employee_id, name, unit, role, supervisor_id,
        email and responses.

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")                          # doctest: +SKIP
    >>> [row["employee_id"] for row in coachable_employees(ws.db, handler)]  # doctest: +SKIP
    ['e-north-1', 'e-north-2']
    """
    answers = scope(SqlSource("SELECT employee_id, unit FROM responses"), principal)
    employees = scope(
        SqlSource(
            "SELECT e.employee_id, e.name, e.unit, e.role, e.supervisor_id, e.email, "
            f"(SELECT count(*) FROM ({answers.sql}) r WHERE r.employee_id = e.employee_id) "
            "AS responses FROM employees e",
            answers.params,
        ),
        principal,
    )
    rows = _rows(db, employees, "s.unit, s.employee_id")
    if principal.role in (Role.admin, Role.analyst) or principal.limited_to_units:
        return rows
    mine = {
        row["employee_id"] for row in rows if principal.name in (row["employee_id"], row["email"])
    }
    return [row for row in rows if row["employee_id"] in mine or row["supervisor_id"] in mine]


def employee_feedback(
    db: Database,
    employee_id: str,
    principal: Principal,
    *,
    redactor: TextRedactor | None = None,
) -> EmployeeFeedback:
    """The responses and interactions naming ``employee_id``, as ``principal`` may see them.

    Parameters
    ----------
    db
        The workspace database.
    employee_id
        The employee.
    principal
        Who asks: one of :func:`coachable_employees`'s rows must be ``employee_id``. A case
        handler gets only their units' evidence; a viewer gets personal fields masked and free
        text redacted.
    redactor
        The viewer's redactor (:func:`advocacy.access.masking.text_redactor`); built from the
        workspace when None.

    Returns
    -------
    EmployeeFeedback
        The employee, their responses and interactions newest first, the interactions by
        outcome and the NPS of the responses.

    Raises
    ------
    AccessDeniedError
        When ``principal`` may not open this employee's coaching page (or there is no such
        employee).

    Examples
    --------
    >>> import advocacy
    >>> ws = advocacy.open("advocacy.duckdb")                          # doctest: +SKIP
    >>> employee_feedback(ws.db, "e-north-1", handler).outcomes        # doctest: +SKIP
    {'resolved': 12, '(not set)': 3}
    """
    allowed = {row["employee_id"]: row for row in coachable_employees(db, principal)}
    if employee_id not in allowed:
        raise AccessDeniedError(
            "you may open your own coaching page and those of the people you supervise",
            value=employee_id,
            fix="ask an admin if you need this one",
        )
    responses = scope(
        SqlSource(
            "SELECT submitted_at, customer_id, touchpoint, channel, unit, nps, csat, ces, comment "
            "FROM responses WHERE employee_id = ?",
            (employee_id,),
        ),
        principal,
    )
    interactions = scope(
        SqlSource(
            "SELECT occurred_at, customer_id, touchpoint, channel, unit, outcome, "
            "duration_seconds FROM interactions WHERE employee_id = ?",
            (employee_id,),
        ),
        principal,
    )
    answered = _rows(db, responses, "submitted_at DESC")
    handled = _rows(db, interactions, "occurred_at DESC")
    scores = [row["nps"] for row in answered if row["nps"] is not None]
    outcomes: dict[str, int] = {}
    for row in handled:
        outcome = row["outcome"] or NO_OUTCOME
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    if principal.masks_personal_data:
        redactor = redactor or text_redactor(db, principal)
    return EmployeeFeedback(
        mask_record(allowed[employee_id], principal, redactor=redactor),
        mask_records(answered, principal, redactor=redactor),
        mask_records(handled, principal, redactor=redactor),
        outcomes,
        nps(scores) if scores else None,
    )


__all__ = ["NO_OUTCOME", "EmployeeFeedback", "coachable_employees", "employee_feedback"]
