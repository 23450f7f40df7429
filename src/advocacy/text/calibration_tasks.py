"""How a calibration's fit shares its caller's processes (:mod:`advocacy.text.calibration`).

``text analyze`` reads the labelled texts on its workers while the fit's imports load
(:func:`prepare_fit`), and runs its first documents beside the calibration's last fits
(:class:`LastFits`), which :meth:`~advocacy.text.calibration.CalibratedSentiment.start_fit`
leaves to it. Each last fit returns its result marked with the fit it belongs to and its place
among them (:func:`marked_tasks`), so that :meth:`LastFits.finish` finishes a calibration only
with what its own latest tasks returned (:func:`unmarked`), wherever they ran.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from advocacy.errors import UsageError
from advocacy.text.calibration_cross_validation import MIN_HEAD_LABELS

if TYPE_CHECKING:
    from advocacy.text.calibration import CalibratedSentiment

__all__ = ["LastFits", "marked_tasks", "prepare_fit", "unmarked"]


def prepare_fit(labels: int | None = None) -> None:
    """Import what a fit on ``labels`` labels needs (SciPy's optimiser, and scikit-learn from
    :data:`MIN_HEAD_LABELS`, None: any count: about 0.6-0.9 CPU s in a new process), for a
    caller to do while its workers read the labelled texts. Below :data:`MIN_HEAD_LABELS` the
    prior is only adjusted, which never imports scikit-learn."""
    modules = ["scipy.optimize"]
    if labels is None or labels >= MIN_HEAD_LABELS:
        modules += ["sklearn.feature_extraction.text", "sklearn.linear_model"]
        modules += ["sklearn.model_selection", "sklearn.pipeline"]
    for module in modules:
        importlib.import_module(module)


@dataclass(frozen=True)
class _Result:
    """What one last fit returned, marked with its fit and its place among the last fits."""

    fit: str
    index: int
    value: Any


def _marked(fit: str, index: int, task: Callable[[], Any]) -> _Result:
    return _Result(fit, index, task())


def marked_tasks(fit: str, tasks: Sequence[Callable[[], Any]]) -> list[Callable[[], Any]]:
    """``tasks``, each returning its result marked with ``fit`` (the mark of one
    ``start_fit``) and its place among them, for :func:`unmarked` to check."""
    return [partial(_marked, fit, index, task) for index, task in enumerate(tasks)]


def unmarked(fit: str, results: Sequence[Any]) -> list[Any]:
    """What the tasks of :func:`marked_tasks` of ``fit`` returned, from their results in order.

    Raises
    ------
    UsageError
        When a result is not what the task in its place returned.
    """
    for index, result in enumerate(results):
        if not (isinstance(result, _Result) and (result.fit, result.index) == (fit, index)):
            raise UsageError(
                f"result {index} is not what task {index} of these LastFits returned",
                fix="pass what each task of these LastFits returned, in their order",
            )
    return [r.value for r in results]


@dataclass(frozen=True)
class LastFits:
    """The last fits of :meth:`~advocacy.text.calibration.CalibratedSentiment.start_fit`, for
    the caller to run.

    They are independent of each other (the final TF-IDF model and the head, on every label),
    so a caller with workers may run its own tasks beside them (``text analyze`` reads its first
    documents there) and then gives their results, in order, to :meth:`finish`.
    ``CalibratedSentiment.fit`` is ``finish(run_tasks(tasks, workers=workers,
    meanwhile=meanwhile))``. Only the last fits of the latest ``start_fit`` of a calibration
    finish it, and only with what their own tasks returned.

    Attributes
    ----------
    tasks : list of callables
        The fits, functions of no arguments (none when the fit chose no head).
    workers : int
        The processes the fit would run them on by itself.
    finishing : callable
        What :meth:`finish` calls with the results once it has checked how many there are.
    meanwhile : callable or None
        What :meth:`finish` would do that the fits do not need (spelling out the final TF-IDF
        model's vocabulary), for the caller to run while they run
        (:func:`~advocacy.text.workers.run_tasks`' ``meanwhile``); :meth:`finish` does what
        it did not (None: nothing to do).
    """

    tasks: list[Callable[[], Any]]
    workers: int
    finishing: Callable[[list[Any]], CalibratedSentiment]
    meanwhile: Callable[[], None] | None = None

    def finish(self, results: Sequence[Any]) -> CalibratedSentiment:
        """The fitted calibration, from the results of :attr:`tasks` in their order.

        Parameters
        ----------
        results
            One result per task, as :func:`~advocacy.text.workers.run_tasks` returns them.

        Returns
        -------
        CalibratedSentiment
            The calibration :meth:`~advocacy.text.calibration.CalibratedSentiment.start_fit`
            was called on, fitted.

        Raises
        ------
        UsageError
            When there is not one result per task, a result is not what its task returned,
            or the calibration was started again since these last fits.
        """
        if len(results) != len(self.tasks):
            raise UsageError(
                f"{len(results)} results for the {len(self.tasks)} last fits",
                fix="pass the result of every task of these LastFits, in order",
            )
        return self.finishing(list(results))
