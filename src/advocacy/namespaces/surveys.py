"""``ws.surveys``: hosted surveys, their signed links for mailing, and the anonymous link.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.surveys.load("checkout.yaml")
...     result = ws.surveys.links("checkout", segment="smb")
...     [link["url"] for link in result.links]

Each method is one function of :mod:`advocacy.loop.surveys.definitions` or
:mod:`advocacy.loop.surveys.invitations` applied to the workspace's database and settings
(``ws.settings``): links are signed with its ``secret_key`` (``ADVOCACY_SECRET_KEY``) and point
at its ``public_url``.

The module also names the surveys' public types: a survey, the form behind a link, the
writer that commits answers in batches and the error of a bad link (imported on first use).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.loop.surveys import LinksResult, Survey
    from advocacy.loop.surveys.forms import SurveyForm
    from advocacy.loop.surveys.signing import LinkError
    from advocacy.loop.surveys.submissions import SubmissionWriter
    from advocacy.settings import Settings
    from advocacy.store.connection import Database

    # Named here, outside the class, where ``list`` is still the built-in.
    Surveys: TypeAlias = list[Survey]

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "LinkError": "advocacy.loop.surveys.signing",
    "LinksResult": "advocacy.loop.surveys.invitations",
    "SubmissionWriter": "advocacy.loop.surveys.submissions",
    "Survey": "advocacy.loop.surveys.definitions",
    "SurveyForm": "advocacy.loop.surveys.forms",
}


class SurveysNamespace:
    """The hosted surveys of the workspace (``ws.surveys``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    def list(self, *, active_only: bool = False) -> Surveys:
        """Every survey by id, with the built-in ``default`` survey while it is not stored."""
        from advocacy.loop.surveys import list_surveys

        return list_surveys(self._db, active_only=active_only)

    def save(self, definition: Mapping[str, Any], *, actor: str = "python") -> Survey:
        """Create the survey in ``definition``, or replace the survey with the same id.

        Parameters
        ----------
        definition
            The keys of a survey file: ``survey_id``, ``title``, the questions, ``thanks``, ...
        actor
            Who saves it, for the audit log.

        Returns
        -------
        Survey
            The survey as stored.

        Raises
        ------
        UsageError
            When a key or value is not allowed.
        """
        from advocacy.loop.surveys import save_survey

        return save_survey(self._db, definition, actor=actor)

    def load(self, path: str | Path, *, actor: str = "python") -> Survey:
        """Read the survey file (YAML) at ``path`` and :meth:`save` it.

        Raises
        ------
        InputError
            When the file cannot be read or parsed.
        UsageError
            When a key or value is not allowed.
        """
        from advocacy.loop.surveys import load_survey_file

        return self.save(load_survey_file(path), actor=actor)

    def links(
        self,
        survey_id: str = "default",
        *,
        segment: str | None = None,
        unit: str | None = None,
        customers: Sequence[str] | None = None,
        actor: str = "python",
    ) -> LinksResult:
        """Signed links for every customer matching the filters, for mailing.

        Customers invited or answering within the ``contact_guard_days`` setting are skipped.

        Parameters
        ----------
        survey_id
            The survey to invite to.
        segment
            Only customers of this segment.
        unit
            Only customers with a response or interaction in this unit.
        customers
            Only these customer ids.
        actor
            Who creates the links, for the audit log.

        Returns
        -------
        LinksResult
            One link per customer invited (with name and e-mail) and the customers skipped,
            with why and when.
        """
        from advocacy.loop.surveys import links_for_segment

        return links_for_segment(
            self._db,
            survey_id=survey_id,
            settings=self._settings,
            segment=segment,
            unit=unit,
            customers=customers,
            actor=actor,
        )

    def anonymous_link(self, survey_id: str = "default") -> str:
        """The survey's anonymous link: anyone may answer and no customer is recorded.

        Raises
        ------
        UsageError
            When the survey does not take anonymous answers.
        """
        from advocacy.loop.surveys import anonymous_link

        return anonymous_link(self._db, survey_id, settings=self._settings)

    def form(self, token_or_survey: str, *, anonymous: bool = False) -> SurveyForm:
        """The form behind a signed link (or, with ``anonymous``, a survey's anonymous link).

        Parameters
        ----------
        token_or_survey
            The link's signed token, or the survey id of an anonymous link.
        anonymous
            Whether ``token_or_survey`` is a survey id.

        Returns
        -------
        SurveyForm
            The survey, the customer (None when anonymous) and whether they already answered.

        Raises
        ------
        LinkError
            A tampered, unknown or closed link (``LinkExpiredError`` once expired).
        NotFoundError
            For an unknown survey.
        """
        from advocacy.loop.surveys.forms import survey_form

        return survey_form(
            self._db,
            token_or_survey=token_or_survey,
            secret=self._settings.secret_key,
            anonymous=anonymous,
        )

    def writer(
        self,
        lock: contextlib.AbstractContextManager[Any],
        *,
        after_commit: Callable[[], None] | None = None,
        is_open: Callable[[], bool] = lambda: True,
    ) -> SubmissionWriter:
        """A writer committing survey answers in batches (one per server).

        Parameters
        ----------
        lock
            What every user of the database holds while using it (a server's ``WebState.use``).
        after_commit
            Called after each committed batch, e.g. to forget cached aggregates.
        is_open
            Returns False once the database is closing; pending answers then fail.

        Returns
        -------
        SubmissionWriter
            Started on its first submission.
        """
        from advocacy.loop.surveys.submissions import SubmissionWriter

        return SubmissionWriter(
            self._db, lock, settings=self._settings, after_commit=after_commit, is_open=is_open
        )


__all__ = [
    "LinkError",
    "LinksResult",
    "SubmissionWriter",
    "Survey",
    "SurveyForm",
    "SurveysNamespace",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
