"""``ws.cases``: the closed loop's case rules, cases, their work and the loop's results.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.cases.load_rules("rules.yaml")
...     [case.case_id for case in ws.cases.list(status="open")]
...     ws.cases.work("K-1001", "contact", text="called back", actor="ada")
...     ws.cases.results(window_days=90).rows("owner")

Each method is one function of :mod:`advocacy.loop` applied to the workspace's database; every
change is written with its timeline entry and audit entry in one transaction. ``units`` limits
what a case handler sees to the cases of their units (None: every case).

The module also names the cases' public types and vocabularies (statuses, actions and the
statuses each action is allowed from), imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.access.masking import TextRedactor
    from advocacy.access.roles import Principal
    from advocacy.errors import UsageError
    from advocacy.loop.cases import Case, CaseDetail, LoopResults, Rule, SweepResult
    from advocacy.loop.cases.backfill import BulkCases
    from advocacy.loop.cases.coaching import CoachingSummary
    from advocacy.loop.cases.employee_feedback import EmployeeFeedback
    from advocacy.loop.cases.import_lines import CASES_AT_ONCE, OPEN_PAGE, cases_sentences
    from advocacy.loop.cases.owners import Owner
    from advocacy.loop.cases.rule_format import dump_rules
    from advocacy.loop.cases.rule_volumes import RuleVolume
    from advocacy.loop.cases.store import SORTABLE, STATUSES
    from advocacy.loop.cases.work import ACTIONS, ALLOWED_FROM
    from advocacy.loop.cases.workload import OwnerLoad
    from advocacy.settings import Settings
    from advocacy.store.connection import Database

    # Named here, outside the class, where ``list`` is still the built-in.
    Cases: TypeAlias = list[Case]
    Owners: TypeAlias = list[Owner]
    Loads: TypeAlias = list[OwnerLoad]
    Rules: TypeAlias = list[Rule]
    Volumes: TypeAlias = list[RuleVolume]
    Rows: TypeAlias = list[dict[str, Any]]

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "ACTIONS": "advocacy.loop.cases.work",
    "ALLOWED_FROM": "advocacy.loop.cases.work",
    "BulkCases": "advocacy.loop.cases.backfill",
    "Case": "advocacy.loop.cases.store",
    "CaseDetail": "advocacy.loop.cases.store",
    "CoachingSummary": "advocacy.loop.cases.coaching",
    "EmployeeFeedback": "advocacy.loop.cases.employee_feedback",
    "cases_sentences": "advocacy.loop.cases.import_lines",
    "CASES_AT_ONCE": "advocacy.loop.cases.import_lines",
    "OPEN_PAGE": "advocacy.loop.cases.import_lines",
    "dump_rules": "advocacy.loop.cases.rule_format",
    "LoopResults": "advocacy.loop.cases.recovery",
    "Owner": "advocacy.loop.cases.owners",
    "OwnerLoad": "advocacy.loop.cases.workload",
    "Rule": "advocacy.loop.cases.rules",
    "RuleVolume": "advocacy.loop.cases.rule_volumes",
    "SORTABLE": "advocacy.loop.cases.store",
    "STATUSES": "advocacy.loop.cases.store",
}


class CasesNamespace:
    """Case rules, cases and the loop's results of the workspace (``ws.cases``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    # -- rules ----------------------------------------------------------------------------------
    def rules(self) -> Rules:
        """The stored case rules, in the order they were written."""
        from advocacy.loop.cases import list_rules

        return list_rules(self._db)

    def load_rules(self, path: str | Path, *, actor: str = "python") -> Rules:
        """Validate the YAML rules file at ``path`` and replace the stored rules with it.

        Parameters
        ----------
        path
            The rules file (``advocacy cases export-rules`` writes one).
        actor
            Who loads it, for the audit log.

        Returns
        -------
        list of Rule
            The rules now stored.

        Raises
        ------
        InputError
            When the file cannot be read.
        ValidationError
            When it is not YAML, or a rule, trigger, route or owner is not valid (with the line
            at fault).
        """
        from advocacy.loop.cases import load_rules

        return load_rules(self._db, path, actor=actor, settings=self._settings)

    def load_shipped_rules(self, *, actor: str = "python") -> Rules:
        """Replace the stored rules with the ones advocacy ships (a new workspace starts with
        them; ``loop/cases/default_rules.yaml``).

        Parameters
        ----------
        actor
            Who loads them, for the audit log.

        Returns
        -------
        list of Rule
            The rules now stored.
        """
        from advocacy.loop.cases.rule_format import default_rules
        from advocacy.loop.cases.rule_store import replace_rules

        return replace_rules(self._db, default_rules(), actor=actor)

    def check_rules(self, path: str | Path | None = None) -> Rules:
        """Validate a rules file as :meth:`load_rules` does, without storing it.

        Parameters
        ----------
        path
            The rules file (None: the shipped rules).

        Returns
        -------
        list of Rule
            The rules the file holds.

        Raises
        ------
        InputError, ValidationError
            As :meth:`load_rules`.
        """
        from advocacy.loop.cases.owners import check_rule_owners
        from advocacy.loop.cases.rule_format import default_rules, read_rules_file

        if path is None:
            return default_rules()
        rules = read_rules_file(path)
        check_rule_owners(self._db, rules, source=str(path), settings=self._settings)
        return rules

    def rule_volumes(
        self, rules: Sequence[Rule] | None = None, *, latest: int | None = None
    ) -> Volumes:
        """How many of the latest stored responses and mentions each rule would open a case on.

        Parameters
        ----------
        rules
            The rules to count (None: the stored ones); each is counted on its own.
        latest
            How many of the latest responses and of the latest mentions to read (None:
            :data:`advocacy.loop.cases.rule_volumes.PREVIEW_RECORDS`).

        Returns
        -------
        list of RuleVolume
            One per rule: records checked, how many it fires on, and the share.
        """
        from advocacy.loop.cases import list_rules
        from advocacy.loop.cases.rule_volumes import PREVIEW_RECORDS, rule_volumes

        chosen = list_rules(self._db) if rules is None else [*rules]
        return rule_volumes(self._db, chosen, latest=PREVIEW_RECORDS if latest is None else latest)

    def rules_text(self) -> str:
        """The stored rules as the YAML text of a rules file (what :meth:`load_rules` reads)."""
        from advocacy.loop.cases import dump_rules, list_rules

        return dump_rules(list_rules(self._db))

    # -- cases ----------------------------------------------------------------------------------
    def list(
        self,
        *,
        customer_id: str | None = None,
        status: str | None = None,
        owner: str | None = None,
        rule_id: str | None = None,
        units: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        sort: str | None = None,
        descending: bool = False,
    ) -> Cases:
        """Cases, newest first (or by ``sort``); ``offset`` and ``limit`` give a page of them.

        Parameters
        ----------
        customer_id, owner, rule_id
            Only the cases of this customer, owner or rule.
        status
            ``new``, ``contacted``, ``resolved``, ``closed``, or ``open`` for the first two.
        units
            Only the cases of these units.
        limit
            How many cases to return at most (None:
            :data:`advocacy.loop.cases.store.DEFAULT_LIMIT`).
        offset
            How many cases of the order to skip first.
        sort
            A field of :data:`advocacy.loop.cases.store.SORTABLE` (``due_at``, ``priority``...)
            to order by, ties newest first; None: newest first.
        descending
            Highest first (latest, for times; most urgent, for the priority).

        Returns
        -------
        list of Case

        Raises
        ------
        UsageError
            On an unknown ``status`` or ``sort``.
        """
        from advocacy.loop.cases import DEFAULT_LIMIT, list_cases

        return list_cases(
            self._db,
            customer_id=customer_id,
            status=status,
            owner=owner,
            units=units,
            rule_id=rule_id,
            limit=DEFAULT_LIMIT if limit is None else limit,
            offset=offset,
            sort=sort,
            descending=descending,
        )

    def count(
        self,
        *,
        customer_id: str | None = None,
        status: str | None = None,
        owner: str | None = None,
        rule_id: str | None = None,
        units: Sequence[str] | None = None,
    ) -> int:
        """How many cases :meth:`list` would give with these filters and no limit.

        Parameters
        ----------
        customer_id, status, owner, rule_id, units
            As :meth:`list` takes them.

        Returns
        -------
        int
        """
        from advocacy.loop.cases import count_cases

        return count_cases(
            self._db,
            customer_id=customer_id,
            status=status,
            owner=owner,
            units=units,
            rule_id=rule_id,
        )

    def get(self, case_id: str, *, units: Sequence[str] | None = None) -> CaseDetail:
        """One case with its timeline and the evidence that opened it.

        Raises
        ------
        NotFoundError
            When there is no such case.
        AccessDeniedError
            When it is outside ``units``.
        """
        from advocacy.loop.cases import get_case

        return get_case(self._db, case_id, units=units)

    def work(
        self,
        case_id: str,
        action: str,
        *,
        actor: str = "python",
        text: str | None = None,
        root_cause: str | None = None,
        action_taken: str | None = None,
        owner: str | None = None,
        follow_up: bool = False,
        units: Sequence[str] | None = None,
    ) -> Case:
        """Apply one action to a case: contact, note, resolve, close, reopen or assign.

        Parameters
        ----------
        case_id
            The case.
        action
            ``contact``, ``note``, ``resolve``, ``close``, ``reopen`` or ``assign``.
        actor
            Who acts, for the timeline and the audit log.
        text
            A note with the action (the note itself for ``note``).
        root_cause, action_taken
            Required to ``close``.
        owner
            The new owner, to ``assign``.
        follow_up
            To ``resolve`` with a follow-up re-survey link to the customer.
        units
            Refuse cases outside these units.

        Returns
        -------
        Case
            The case after the action.

        Raises
        ------
        UsageError
            For an unknown action, or one the case's status does not allow.
        NotFoundError
            When there is no such case.
        """
        from advocacy.loop.cases import work_case

        return work_case(
            self._db,
            case_id,
            action,
            actor=actor,
            text=text,
            root_cause=root_cause,
            action_taken=action_taken,
            owner=owner,
            follow_up=follow_up,
            units=units,
            settings=self._settings,
        )

    def owners(self, *, unit: str | None = None) -> Owners:
        """Who a case (of ``unit``) may be assigned to: the pickers' choices.

        Parameters
        ----------
        unit
            The case's unit: case handlers of other units are left out (None: everyone who may
            work cases).

        Returns
        -------
        list of Owner
            Enabled admins, analysts and case handlers by name, then the ``case_teams`` teams.
        """
        from advocacy.loop.cases.owners import assignable_owners

        return assignable_owners(self._db, settings=self._settings, unit=unit)

    def workload(self, *, units: Sequence[str] | None = None, now: datetime | None = None) -> Loads:
        """The open cases by owner: open, not yet contacted, overdue and due soon.

        Parameters
        ----------
        units
            Only the cases of these units (None: every case).
        now
            The clock that decides what is overdue (default: now).

        Returns
        -------
        list of OwnerLoad
            One per owner with open cases (the unassigned as owner None), most overdue first.
        """
        from advocacy.loop.cases.workload import workload

        return workload(self._db, units=units, now=now)

    def open_for(self, kind: str, ids: Sequence[str], *, actor: str = "python") -> Cases:
        """Run the enabled case rules over the given responses or mentions.

        Parameters
        ----------
        kind
            ``responses`` or ``mentions``.
        ids
            Their ``response_id`` or ``mention_id``; unknown ids are skipped.
        actor
            Who opens the cases, for the timeline and the audit log.

        Returns
        -------
        list of Case
            The cases opened.
        """
        from advocacy.loop.cases import open_cases_for

        return open_cases_for(self._db, kind, [*ids], settings=self._settings, actor=actor)

    def sweep(self, *, actor: str = "python") -> SweepResult:
        """Escalate overdue cases, then open cases for the enabled sweep rules (one transaction).

        Returns
        -------
        SweepResult
            The cases escalated and the cases opened.
        """
        from advocacy.loop.cases import sweep

        return sweep(self._db, settings=self._settings, actor=actor)

    def results(
        self, *, window_days: int | None = None, units: Sequence[str] | None = None
    ) -> LoopResults:
        """Time to first contact, share closed in time and recovery rate, with a comparison
        group of customers who had no case (:func:`advocacy.loop.cases.recovery.loop_results`).

        Parameters
        ----------
        window_days
            Days after a case opens in which a re-score or a repurchase counts as recovery
            (None: :data:`advocacy.loop.cases.recovery_rule.RECOVERY_WINDOW_DAYS`).
        units
            Only the cases of these units.

        Returns
        -------
        LoopResults
            Overall and by owner and unit (``rows("owner")``), and the comparison.
        """
        from advocacy.loop.cases import RECOVERY_WINDOW_DAYS, loop_results

        days = RECOVERY_WINDOW_DAYS if window_days is None else window_days
        return loop_results(self._db, window_days=days, units=units)

    def work_mark(self) -> tuple[int, str]:
        """A fingerprint of the work done on cases, which changes when any case is worked or
        escalated but not when one opens (:func:`advocacy.loop.cases.store.work_mark`): what
        cached loop results are kept against.

        Returns
        -------
        tuple of (int, str)
            How many cases changed after they opened, and when the latest change was.
        """
        from advocacy.loop.cases import work_mark

        return work_mark(self._db)

    def save_rules_text(
        self, text: str, *, actor: str = "python", source: str = "<request>"
    ) -> Rules:
        """Validate the YAML text of a rules file and replace the stored rules with it.

        Parameters
        ----------
        text
            The rules, as :meth:`rules_text` gives them.
        actor
            Who saves them, for the audit log.
        source
            Where the text came from, named in validation errors.

        Returns
        -------
        list of Rule
            The rules now stored.

        Raises
        ------
        ValidationError
            When it is not YAML, or a rule, trigger, route or owner is not valid (with the line
            at fault).
        """
        from advocacy.loop.cases.rule_store import save_rules_text

        return save_rules_text(self._db, text, actor=actor, settings=self._settings, source=source)

    def open_for_import(
        self,
        kind: str,
        import_id: str,
        *,
        window_days: int | None = 30,
        actor: str = "rules",
        dry_run: bool = False,
        at_most: int | None = 500,
    ) -> BulkCases | None:
        """Run the enabled case rules over the records of ``kind`` one import wrote.

        Records dated more than ``window_days`` days ago open no case (history loaded in bulk:
        :mod:`advocacy.loop.cases.backfill`), nor do undated ones (their age is unknown);
        :meth:`open` opens cases over them on purpose. Call it inside the import's transaction
        (:meth:`Workspace.transaction`) to commit both together.

        Parameters
        ----------
        kind
            What the import wrote (``responses``, ``mentions``, ...); for kinds no rule can
            read nothing runs and the result is None.
        import_id
            The import.
        window_days
            How many days back evidence may open a case (None, or more days than the calendar
            holds: all of it, as the API does).
        actor
            Who opens the cases, for the timeline and the audit log.
        dry_run
            Say what would open (an import's check); write nothing.
        at_most
            The most cases that open at once (None: every one, the user's yes).

        Returns
        -------
        BulkCases or None
            The cases opened, the records checked and those too old to open one (None: not a
            kind of evidence the rules read). More than ``at_most`` cases
            (:data:`~advocacy.loop.cases.import_lines.CASES_AT_ONCE`) do not open: ``withheld``
            counts them and ``withheld_since`` says from which day :meth:`open` opens them.
        """
        from advocacy.loop.cases.backfill import open_cases_for_import

        return open_cases_for_import(
            self._db, kind, import_id, settings=self._settings, window_days=window_days,
            actor=actor, dry_run=dry_run, at_most=at_most,
        )  # fmt: skip

    def open(
        self,
        *,
        since: datetime,
        until: datetime | None = None,
        kinds: Sequence[str] = ("responses", "mentions"),
        actor: str = "python",
        dry_run: bool = False,
        at_most: int | None = None,
        progress: Callable[[str, int, int], None] | None = None,
        confirm: Callable[[UsageError], bool] | None = None,
        include_undated: bool = False,
    ) -> dict[str, BulkCases]:
        """Run the enabled case rules over stored evidence dated from ``since`` (a backfill).

        Parameters
        ----------
        since, until
            The dates of the evidence: from ``since`` to before ``until`` (None: no end).
            A date without a time zone is read in the workspace's (the ``timezone`` setting),
            as :meth:`Workspace.import_file` reads a file's times.
        kinds
            ``responses``, ``mentions`` or both.
        actor
            Who opens the cases, for the timeline and the audit log.
        dry_run
            Say what would open; write nothing.
        at_most
            Refuse, writing nothing, when more than this many cases would open (None: no
            bound; ``advocacy cases open`` asks before opening more than 500).
        progress
            Called with (kind, kinds done, kinds) as the rules run.
        confirm
            Asked, with the refusal naming the counts, when more than ``at_most`` would open:
            True opens the cases already chosen (the rules do not run again). It is asked
            outside any transaction; evidence that gets a case meanwhile opens no other.
        include_undated
            Check the evidence without a date too (an import opens no case on it: its age is
            unknown); it is counted in ``undated`` either way.

        Returns
        -------
        dict of str to BulkCases
            Per kind, the cases opened (or that would open) and the records checked; evidence
            that already has a case opens none.

        Raises
        ------
        UsageError
            When more than ``at_most`` cases would open and ``confirm`` does not say yes,
            naming how many per kind and rule.
        """
        from advocacy.loop.cases.backfill import open_cases_since

        return open_cases_since(
            self._db, since, until=until, kinds=kinds, settings=self._settings, actor=actor,
            dry_run=dry_run, at_most=at_most, progress=progress, confirm=confirm,
            include_undated=include_undated,
        )  # fmt: skip

    def opened_together(
        self, opened_at: datetime, *, actor: str, units: Sequence[str] | None = None
    ) -> Cases:
        """The cases one opening wrote (:meth:`open`, :meth:`open_for`): those ``actor`` opened
        at the instant ``opened_at``, read again without opening anything.

        Parameters
        ----------
        opened_at
            The instant the cases opened (each one's ``opened_at``).
        actor
            Who opened them.
        units
            Only cases of these units; None for all.

        Returns
        -------
        list of Case
            The cases, by evidence kind and id.
        """
        from advocacy.loop.cases.store import cases_opened_together

        return cases_opened_together(self._db, opened_at, actor=actor, units=units)

    def coaching(
        self,
        employee_id: str,
        *,
        unit: str | None,
        confidence: float = 0.95,
        units: Sequence[str] | None = None,
    ) -> CoachingSummary:
        """The themes of an employee's feedback against their unit's, and their cases.

        Parameters
        ----------
        employee_id
            The employee.
        unit
            Their unit, whose commented responses are the comparison.
        confidence
            Level of the Wilson intervals.
        units
            A case handler's units: only responses and cases of those units count.

        Returns
        -------
        CoachingSummary
            Themes, case counts and the recovery rate.
        """
        from advocacy.loop.cases.coaching import coaching_summary

        return coaching_summary(
            self._db, employee_id, unit=unit, confidence=confidence, units=units
        )

    def coachable_employees(self, *, principal: Principal | None = None) -> Rows:
        """The employees whose coaching page ``principal`` may open, with their responses counted.

        Parameters
        ----------
        principal
            Who asks: admins and analysts get everyone, a case handler the employees of their
            units (counting only those units' responses), anyone else themselves (user name =
            employee id or e-mail) and the people they supervise (None: everyone).

        Returns
        -------
        list of dict
            One row per employee, by unit then id: employee_id, name, unit, role,
            supervisor_id, email and responses.

        Examples
        --------
        >>> rows = ws.cases.coachable_employees(principal=handler)       # doctest: +SKIP
        >>> [row["employee_id"] for row in rows]                        # doctest: +SKIP
        ['e-north-1', 'e-north-2']
        """
        from advocacy.access.roles import WORKSPACE_OWNER
        from advocacy.loop.cases.employee_feedback import coachable_employees

        return coachable_employees(
            self._db, principal if principal is not None else WORKSPACE_OWNER
        )

    def employee_feedback(
        self,
        employee_id: str,
        *,
        principal: Principal | None = None,
        redactor: TextRedactor | None = None,
    ) -> EmployeeFeedback:
        """The responses naming an employee and the interactions they handled, newest first.

        Parameters
        ----------
        employee_id
            The employee.
        principal
            Who asks; they must be allowed the employee's coaching page
            (:meth:`coachable_employees`). A case handler gets only their units' evidence, a
            viewer personal fields masked and free text redacted (None: everything).
        redactor
            The viewer's redactor (``ws.access.text_redactor``); built when None.

        Returns
        -------
        EmployeeFeedback
            The employee, their responses and interactions, the interactions by outcome and
            the responses' NPS.

        Raises
        ------
        AccessDeniedError
            When ``principal`` may not open this employee's coaching page, or there is no such
            employee.

        Examples
        --------
        >>> ws.cases.employee_feedback("e-north-1", principal=handler).outcomes  # doctest: +SKIP
        {'resolved': 12, '(not set)': 3}
        """
        from advocacy.access.roles import WORKSPACE_OWNER
        from advocacy.loop.cases.employee_feedback import employee_feedback

        return employee_feedback(
            self._db,
            employee_id,
            principal if principal is not None else WORKSPACE_OWNER,
            redactor=redactor,
        )


__all__ = [
    "ACTIONS",
    "ALLOWED_FROM",
    "CASES_AT_ONCE",
    "OPEN_PAGE",
    "SORTABLE",
    "STATUSES",
    "BulkCases",
    "Case",
    "CaseDetail",
    "CasesNamespace",
    "CoachingSummary",
    "EmployeeFeedback",
    "LoopResults",
    "Owner",
    "OwnerLoad",
    "Rule",
    "RuleVolume",
    "cases_sentences",
    "dump_rules",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
