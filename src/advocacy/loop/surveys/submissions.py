"""Answers to hosted surveys: one form becomes one ``responses`` record, and the rules run on it.

Checked submissions (:func:`advocacy.loop.surveys.forms.prepare_submission`) are committed
(:func:`commit_batch`) in one transaction per batch: the responses are written through
:func:`advocacy.ingest.records.write_records` (validated like an import), the case rules run on
them (:func:`advocacy.loop.cases.opening.open_cases_for`) and their invitations are marked
answered. A double submit changes nothing and is reported as already answered. An answer to a
survey that names no unit takes the unit its customer was last seen in
(:func:`advocacy.loop.cases.customer_units.latest_units`; its ``attrs`` say ``unit_from:
customer``), so it counts for that unit and its case reaches that unit's owner.

:class:`SubmissionWriter` is the group commit a server uses: request threads hand it checked
submissions, one writer thread commits them in batches (up to ``max_batch``, or whatever
arrived within ``max_wait`` seconds) and only then answers each request
(:class:`advocacy.store.group_commit.GroupCommit`). If a batch fails as a whole, its
submissions are committed one by one, so one bad record never loses the others.

Each takes the workspace's settings (``ws.settings``): the ``secret_key`` that checks links and
forms, the ``timezone`` of the answers, and those of the new cases' notifications.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from advocacy.access.audit import now_utc
from advocacy.errors import AdvocacyError
from advocacy.ingest.limits import InputLimits
from advocacy.ingest.records import write_records
from advocacy.loop.surveys.definitions import Survey, ensure_default_survey, get_survey
from advocacy.loop.surveys.forms import RESPONSE_PREFIX, Submission, prepare_submission
from advocacy.loop.surveys.signing import LinkError
from advocacy.settings import Settings
from advocacy.store.connection import Database
from advocacy.store.group_commit import GroupCommit


@dataclass(frozen=True)
class SubmissionResult:
    """What became of a submission: its response, whether it was a repeat, the cases opened."""

    response_id: str
    survey_id: str
    customer_id: str | None
    already_answered: bool = False
    cases: tuple[Any, ...] = field(default=())


def commit_batch(
    db: Database,
    submissions: Sequence[Submission],
    *,
    settings: Settings,
    now: datetime | None = None,
) -> list[SubmissionResult | AdvocacyError]:
    """Write checked ``submissions`` and run the case rules on them, all in one transaction.

    Returns one result per submission, in order: a :class:`SubmissionResult` (with
    ``already_answered`` for a repeat, which writes nothing) or the error that refused it
    (an invitation this workspace does not know). An answer to the built-in ``default``
    survey stores its definition first
    (:func:`advocacy.loop.surveys.definitions.ensure_default_survey`).
    """
    from advocacy.loop.cases.customer_units import latest_units
    from advocacy.loop.cases.opening import open_cases_for

    moment = now_utc(now)
    results: list[SubmissionResult | AdvocacyError | None] = [None] * len(submissions)
    with db.transaction():
        invitation_ids = sorted({s.invitation_id for s in submissions if s.invitation_id})
        known: dict[str, Any] = {}
        invited: dict[str, Any] = {}
        if invitation_ids:
            marks = ", ".join("?" * len(invitation_ids))
            for row in db.fetchall(
                "SELECT invitation_id, response_id, customer_id FROM survey_invitations "
                f"WHERE invitation_id IN ({marks})",
                invitation_ids,
            ):
                known[str(row[0])], invited[str(row[0])] = row[1], row[2]
        ids = sorted({s.response_id for s in submissions})
        marks = ", ".join("?" * len(ids))
        stored = {
            str(row[0])
            for row in db.fetchall(
                f"SELECT response_id FROM responses WHERE response_id IN ({marks})", ids
            )
        }
        fresh: list[tuple[int, Submission]] = []
        for index, item in enumerate(submissions):
            if item.invitation_id is not None and item.invitation_id not in known:
                results[index] = LinkError(
                    "this survey link is not known to this workspace",
                    value=item.invitation_id,
                    fix="ask the sender for a new link",
                )
            elif item.response_id in stored or (
                item.invitation_id is not None and known[item.invitation_id] is not None
            ):
                results[index] = SubmissionResult(
                    item.response_id, item.survey.survey_id, _customer(item, invited), True
                )
            else:
                stored.add(item.response_id)  # a second copy in the same batch is a repeat
                fresh.append((index, item))
        if fresh:
            if any(item.survey.created_at is None for _, item in fresh):
                # An answer to the built-in default survey: keep the wording it answered.
                ensure_default_survey(db, now=moment)
            records = [dict(item.record) for _, item in fresh]
            for record, (_, item) in zip(records, fresh, strict=True):
                # The invitation's customer, not the one its link signed: a merge of an e-mail
                # placeholder into its customer moves the invitation, not the links sent.
                if item.invitation_id is not None and invited[item.invitation_id] is not None:
                    record["customer_id"] = invited[item.invitation_id]
            units = latest_units(db, [r["customer_id"] for r in records if not r.get("unit")])
            for record in records:
                if not record.get("unit") and record.get("customer_id") in units:
                    record["unit"] = units[record["customer_id"]]
                    record["unit_from"] = "customer"  # kept in attrs: the unit was inferred
            write_records(
                db,
                "responses",
                records,
                actor="survey",
                timezone=settings.timezone,
                limits=InputLimits.from_settings(settings),
            )
            opened = open_cases_for(
                db,
                "responses",
                [item.response_id for _, item in fresh],
                settings=settings,
                now=moment,
            )
            by_evidence: dict[str, list[Any]] = {}
            for case in opened:
                by_evidence.setdefault(str(case.evidence_id), []).append(case)
            answered = [item.invitation_id for _, item in fresh if item.invitation_id]
            if answered:  # one statement for the batch: the response id derives from the id
                db.execute(
                    "UPDATE survey_invitations SET responded_at = ?, "
                    f"response_id = '{RESPONSE_PREFIX}' || invitation_id "
                    f"WHERE invitation_id IN ({', '.join('?' * len(answered))})",
                    [moment, *answered],
                )
            for index, item in fresh:
                results[index] = SubmissionResult(
                    item.response_id,
                    item.survey.survey_id,
                    _customer(item, invited),
                    False,
                    tuple(by_evidence.get(item.response_id, ())),
                )
    return [result for result in results if result is not None]


def _customer(item: Submission, invited: Mapping[str, Any]) -> str | None:
    """The customer ``item`` answers as: its invitation's (which a merge of an e-mail
    placeholder moves), else the one its link signed."""
    customer = invited.get(item.invitation_id) if item.invitation_id is not None else None
    return str(customer) if customer is not None else item.customer_id


def submit(
    db: Database,
    *,
    token_or_survey: str,
    answers: Mapping[str, Any],
    settings: Settings,
    anonymous: bool = False,
    nonce: str | None = None,
    now: datetime | None = None,
) -> SubmissionResult:
    """Check and commit one survey answer; see :func:`prepare_submission` for the arguments.

    Returns
    -------
    SubmissionResult
        The response written (or found, for a repeat) and the cases the rules opened.
    """
    submission = prepare_submission(
        lambda survey_id: get_survey(db, survey_id),
        token_or_survey=token_or_survey,
        answers=answers,
        secret=settings.secret_key,
        anonymous=anonymous,
        nonce=nonce,
        now=now,
    )
    (result,) = commit_batch(db, [submission], settings=settings, now=now)
    if isinstance(result, AdvocacyError):
        raise result
    return result


class SubmissionWriter:
    """Group commit of survey answers: one thread writes batches, requests wait for theirs.

    The batching is :class:`advocacy.store.group_commit.GroupCommit`'s, with
    :func:`commit_batch` committing each batch.

    Parameters
    ----------
    db, lock
        The database and what every user of it holds (a server's ``WebState.use``).
    settings
        The workspace's settings (``ws.settings``), which the answers are checked and written
        with.
    max_batch, max_wait
        A batch closes at ``max_batch`` submissions or ``max_wait`` seconds after its first.
    after_commit
        Called (holding ``lock``) after each committed batch, e.g. to forget cached aggregates.
    is_open
        Returns False once the database is closing; pending submissions then fail.
    survey_seconds
        How long a survey definition is reused before it is read again.
    """

    def __init__(
        self,
        db: Database,
        lock: contextlib.AbstractContextManager[Any],
        *,
        settings: Settings,
        max_batch: int = 200,
        max_wait: float = 0.02,
        after_commit: Callable[[], None] | None = None,
        is_open: Callable[[], bool] = lambda: True,
        survey_seconds: float = 5.0,
    ) -> None:
        self.db = db
        self.lock = lock
        self.settings = settings
        self.survey_seconds = survey_seconds
        self._surveys: dict[str, tuple[float, Survey]] = {}
        self._group: GroupCommit[Submission, SubmissionResult] = GroupCommit(
            lambda batch: commit_batch(self.db, batch, settings=self.settings),
            lock,
            name="survey-writer",
            max_batch=max_batch,
            max_wait=max_wait,
            after_commit=after_commit,
            is_open=is_open,
            closed_error=lambda: AdvocacyError(
                "the server is shutting down", fix="send the form again"
            ),
        )

    @property
    def batches(self) -> int:
        """Batches committed so far."""
        return self._group.batches

    @property
    def committed(self) -> int:
        """Submissions committed so far."""
        return self._group.committed

    def survey(self, survey_id: str) -> Survey:
        """``survey_id``'s definition, read at most every ``survey_seconds`` seconds."""
        cached = self._surveys.get(survey_id)
        if cached is not None and time.monotonic() - cached[0] < self.survey_seconds:
            return cached[1]
        with self.lock:
            survey = get_survey(self.db, survey_id)
        self._surveys[survey_id] = (time.monotonic(), survey)
        return survey

    def prepare(
        self,
        *,
        token_or_survey: str,
        answers: Mapping[str, Any],
        anonymous: bool = False,
        nonce: str | None = None,
        now: datetime | None = None,
    ) -> Submission:
        """:func:`prepare_submission` with this writer's cached surveys."""
        return prepare_submission(
            self.survey,
            token_or_survey=token_or_survey,
            answers=answers,
            secret=self.settings.secret_key,
            anonymous=anonymous,
            nonce=nonce,
            now=now,
        )

    def put(self, submission: Submission) -> Future[SubmissionResult]:
        """Queue a checked submission; the future resolves once its batch has committed."""
        return self._group.put(submission)

    def stop(self, timeout: float = 5.0) -> None:
        """Commit what is queued, then end the writer thread."""
        self._group.stop(timeout)


__all__ = [
    "SubmissionResult",
    "SubmissionWriter",
    "commit_batch",
    "submit",
]
