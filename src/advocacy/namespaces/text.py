"""``ws.text``: text analytics of every comment, review, post and note, and their themes.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     ws.text.analyze().analyzed
...     ws.text.discover_themes(n_themes=8)
...     ws.text.themes(origin="discovered")

Each method is one function of :mod:`advocacy.text` applied to the workspace's database; the
model is the ``text_model`` setting and theme impacts use the ``confidence`` setting. Results
are written to the derived tables (``text_features``, ``text_sentences``, ``themes``,
``document_themes``) that the analyses and exports read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    import pandas as pd

    from advocacy.access.roles import Principal
    from advocacy.settings import Settings
    from advocacy.store.connection import Database
    from advocacy.text.calibration import CalibratedSentiment
    from advocacy.text.enrich import CUT_FOR_THEMES, AnalyzeResult, TeachResult
    from advocacy.text.evaluation import Evaluation
    from advocacy.text.parquet_enrich import parquet_text_features
    from advocacy.text.phrases import MAX_CHARACTERS as THEME_CHARACTERS
    from advocacy.text.pii import redact
    from advocacy.text.quote_text import shown_quote
    from advocacy.text.sentiment_readings import READING_WORDS, SentimentReadings, readings_words
    from advocacy.text.taxonomy import Taxonomy
    from advocacy.text.theme_names import shorten
    from advocacy.text.theme_promotion import PromotedTheme
    from advocacy.text.theme_ratings import RATING_COLUMNS
    from advocacy.text.theme_texts import ThemeTexts
    from advocacy.text.themes import DiscoveredTheme

    Rows: TypeAlias = list[dict[str, Any]]
    Where: TypeAlias = Mapping[str, Sequence[str]] | None
    Discovered: TypeAlias = list[DiscoveredTheme]


#: Public types and helpers the presentation names, imported on first use (PEP 562).
_LAZY = {
    "CUT_FOR_THEMES": "advocacy.text.enrich",
    "THEME_CHARACTERS": "advocacy.text.phrases:MAX_CHARACTERS",
    "RATING_COLUMNS": "advocacy.text.theme_ratings",
    "READING_WORDS": "advocacy.text.sentiment_readings",
    "SentimentReadings": "advocacy.text.sentiment_readings",
    "parquet_text_features": "advocacy.text.parquet_enrich",
    "readings_words": "advocacy.text.sentiment_readings",
    "redact": "advocacy.text.pii",
    "shorten": "advocacy.text.theme_names",
    "shown_quote": "advocacy.text.quote_text",
}


class TextNamespace:
    """The text analytics of the workspace (``ws.text``)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self._db = db
        self._settings = settings

    def analyze(
        self,
        *,
        kinds: Sequence[str] | None = None,
        calibrate: bool | None = None,
        recalibrate: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
        workers: int | None = None,
        taxonomy: str | Path | Taxonomy | None = None,
        threshold: float | None = None,
    ) -> AnalyzeResult:
        """Analyse new and changed texts: language, sentiment, emotion, effort, sentences;
        then, with a taxonomy (given or remembered), assign its themes in the same run.

        A document is analysed again when its text or the model changed. The calibration is
        kept between runs and refitted when its labels change materially (any taught label,
        or 10% of the score-derived ones; :mod:`advocacy.text.calibration_store`).

        With ``taxonomy``, every text is then assigned to its themes as
        :meth:`assign_themes` does (the same stored rows), in this process, and the
        workspace remembers the taxonomy; a later ``analyze`` that reads any new or changed
        text assigns the remembered taxonomy again (:mod:`advocacy.text.taxonomy_store`),
        as :meth:`assign_themes` also makes it remember.

        Parameters
        ----------
        kinds
            The document kinds to read (``response``, ``mention``, ``note``, ...); None for all.
        calibrate
            None calibrates on the workspace's scored comments when there are any, True
            requires them, False uses the model's own heads only.
        recalibrate
            Refit the calibration even though its labels did not change materially.
        progress
            Called with (stage, done, total) as the work goes: when the calibration is
            fitted, ``reading the labelled texts`` (texts read so far) and the step
            ``fitting the calibration``, both inside the step ``calibrating on the labels``;
            ``analysing texts`` (texts analysed so far, piece by piece); with themes, as
            :meth:`assign_themes` tells them. A step counts 0 of 1, then 1 of 1. With
            workers, the counts of their pieces come from a thread of this process (one
            call at a time).
        workers
            Processes to read on and fit the calibration on (None: the ``text_workers``
            setting; 0: the cores available). The stored results are the same for any count.
        taxonomy
            A taxonomy YAML file (or a :class:`~advocacy.text.taxonomy.Taxonomy`) whose themes
            to assign after the analysis; None assigns the remembered one when any text was
            analysed.
        threshold
            With ``taxonomy``: the similarity a text needs to join a theme (None: 0.35).

        Returns
        -------
        AnalyzeResult
            Documents analysed and unchanged, the model, the calibration labels used and
            whether the calibration was kept or refitted, and the documents left unread
            (unsupported language, non-answers); with themes assigned, ``themes`` holds
            what :meth:`assign_themes` returns and ``taxonomy`` names the taxonomy.

        Raises
        ------
        UsageError
            When ``calibrate`` is True and there is nothing to calibrate on, or
            ``threshold`` is given without ``taxonomy``.
        InputError
            For a taxonomy file that does not follow the format (before any text is read).

        See Also
        --------
        advocacy.text.enrich.analyze_workspace
        """
        from advocacy.errors import UsageError
        from advocacy.text.enrich import analyze_workspace

        if threshold is not None and taxonomy is None:
            raise UsageError(
                "a threshold is for a taxonomy's themes, and no taxonomy was given",
                value=threshold,
                parameter="threshold",
                fix="give the taxonomy too (--taxonomy FILE), or leave the threshold out",
            )
        return analyze_workspace(
            self._db,
            kinds=kinds,
            calibrate=calibrate,
            recalibrate=recalibrate,
            model=self._settings.text_model,
            progress=progress,
            workers=self._settings.text_workers if workers is None else workers,
            taxonomy=taxonomy,
            threshold=threshold,
        )

    def sentences(self, kind: str, document_id: str) -> Rows:
        """A document's sentences with their sentiment, redacted.

        Parameters
        ----------
        kind
            The document kind (``response``, ``mention``, ``note``, ...).
        document_id
            The document's id.

        Returns
        -------
        list of dict
            One row per sentence, in order (see :func:`advocacy.text.sentences.sentence_rows`).
        """
        from advocacy.text.sentences import sentence_rows

        return sentence_rows(self._db, kind, document_id)

    def teach(self, path: str | Path) -> TeachResult:
        """Store user-taught sentiment and theme labels from a file.

        Two layouts are read. A teach file: a CSV with ``document_id``, ``kind`` and
        ``sentiment`` and/or ``theme``. Or a labelled file as it was imported (airline tweets
        with ``airline_sentiment``, SmSA's ``text<TAB>label`` lines): it is read as
        ``advocacy import`` read it, its column of sentiment labels gives the labels (found by
        the rule ``text evaluate`` uses, :mod:`advocacy.ingest.label_columns`: ``negative``,
        ``neutral``, ``positive`` in any case, ``neg``/``neu``/``pos`` too; a value none of
        them is left out and counted by value in a note, with its first row), and each row
        teaches the record it was imported as: by its id when the file has an id column, else
        the document of that kind whose text is exactly the row's (every such document when
        texts repeat). Rows without a label or text teach nothing. A document's new sentiment
        replaces the one it had before the file, and its new themes the themes it had; a label
        of a kind the file does not give it is kept (a file of sentiments leaves its themes).
        A teach file that gives one document two sentiments is refused, naming both rows, and
        in a labelled file such a document is left untaught, with a note.

        Parameters
        ----------
        path
            A teach file, or a labelled CSV/TSV/XLSX/JSON/Parquet file already imported.

        Returns
        -------
        TeachResult
            Labels stored, by kind.

        Raises
        ------
        InputError
            For a missing file, a file in neither layout, an unknown label (a sentiment, or,
            once a taxonomy is assigned, a theme it does not have: the error lists its
            themes), or a row whose record is not in the workspace (named by row, column and
            value).
        """
        from advocacy.text.labelled_files import teach_from_file

        return teach_from_file(self._db, Path(path))

    def evaluate(
        self,
        path: str | Path,
        *,
        kind: str = "mentions",
        platform: str | None = None,
        labels: str | None = None,
        text: str | None = None,
        scale: str | None = None,
        model: str = "workspace",
        workers: int | None = None,
    ) -> Evaluation:
        """How well the workspace reads a labelled file's sentiment, without learning from it.

        The file is read as ``advocacy import --kind KIND`` would read it, but not imported
        and not taught; its texts are read as the next :meth:`analyze` would read them and
        scored against the file's labels (a column of negative/neutral/positive, or the
        rows' ratings on the scale rule of :mod:`advocacy.text.scale_sentiment`). Each row not
        scored is counted under one reason (:mod:`advocacy.text.evaluation`): no usable label
        (:mod:`advocacy.text.evaluation_labels`), not read by the model, word for word a
        text the shipped model learnt from (:mod:`advocacy.text.training_texts`; read texts
        only, scored apart), or held by the workspace with a label (the calibration learnt
        from those). Nothing is written to the workspace.

        Parameters
        ----------
        path
            A labelled CSV/TSV/XLSX/JSON/Parquet file.
        kind
            The kind the file would be imported as: ``mentions``, ``responses`` or ``notes``.
            A calibration fitted on no labelled text of that kind does not read the file: the
            model alone does, as :meth:`analyze` reads such texts, and the result says so.
        platform
            Where the file's mentions come from, as the workspace would record it (None:
            none). Within mentions, a calibration reads only the platforms it has enough labels
            of; the model alone reads the others.
        labels
            The label (or rating) column; None: found as teaching finds it, else the rating.
        text
            The text column; None: the one import detects.
        scale
            The ratings' scale as ``LOW-HIGH`` (``"1-5"``, ``"0-2"`` for class ids 0/1/2);
            None: 0-10 for an NPS, else the one their range implies.
        model
            ``workspace`` (the calibrated reading) or ``generic`` (the shipped model alone).
        workers
            Processes to read on (None: the ``text_workers`` setting; 0: the cores available).

        Returns
        -------
        Evaluation
            Accuracy and each class's precision and recall with Wilson intervals, macro-F1
            with a stratified bootstrap interval (:mod:`advocacy.text.evaluation_intervals`),
            the confusion matrix, the majority-class baseline, and what was left out and why;
            with a calibrated reading, what the calibration was fitted on and the model
            alone's accuracy and macro-F1 on the same rows, with their intervals.

        Raises
        ------
        InputError
            For a missing or empty file, one without labels or texts, or ratings whose scale
            is unclear.
        UsageError
            For an unknown ``kind``, ``model`` or ``scale``, or a ``platform`` with another
            kind than mentions.
        """
        from advocacy.text.evaluation import evaluate_file
        from advocacy.text.workers import worker_count

        return evaluate_file(
            self._db,
            Path(path),
            kind=kind,
            platform=platform,
            labels=labels,
            text=text,
            scale=scale,
            model=model,
            text_model=self._settings.text_model,
            workers=worker_count(self._settings.text_workers if workers is None else workers),
            confidence=self._settings.confidence,
        )

    def calibration(self) -> CalibratedSentiment | None:
        """The sentiment calibration the next :meth:`analyze` uses, fitted on the labels now.

        Returns
        -------
        CalibratedSentiment or None
            Fitted on the scored comments and taught labels (its ``summary()`` says how it
            uses them), or None when the workspace has no labelled comment.
        """
        from advocacy.text.calibration_workspace import calibration

        return calibration(self._db, model=self._settings.text_model)

    def calibration_status(self) -> tuple[CalibratedSentiment | None, str]:
        """The calibration the next :meth:`analyze` uses, with why it is that one.

        Returns
        -------
        tuple of (CalibratedSentiment or None, str)
            The calibration (as :meth:`calibration`) and its status: how it was fitted or
            kept, or why there is none ("none: 29 labelled texts in languages the model does
            not read (id 29)").
        """
        from advocacy.text.calibration_workspace import workspace_calibration

        found = workspace_calibration(self._db, model=self._settings.text_model)
        return found.calibrated, found.status

    def calibration_report(self, *, of: AnalyzeResult | None = None) -> dict[str, str]:
        """How good the calibration the next :meth:`analyze` uses is, for people.

        Its method and status, then (when candidates were compared) the cross-validated
        accuracy of the choice against the model alone, each class's cross-validated recall
        for both with its number of labels, on how many labels and why a sample, and a
        warning when the choice reads a class markedly worse than the model alone, and how many
        labelled texts trained the shipped model
        (:func:`advocacy.text.calibration_report.calibration_report`).

        Parameters
        ----------
        of
            The result of an :meth:`analyze` that fitted the calibration: the report of the
            fit that run made, as it made it (neither the labels nor the stored fit are read
            again: about a CPU second for 12,000 labels), for right after that run (``text
            analyze`` prints it); a later run may have fitted another. Without ``of``, or when
            that run kept an earlier fit, the calibration the next :meth:`analyze` uses.

        Returns
        -------
        dict of str to str
            One line per field.
        """
        from advocacy.text.calibration_report import calibration_report
        from advocacy.text.calibration_store import stored_training

        calibrated: CalibratedSentiment | None = None if of is None else of.fitted
        if calibrated is not None and of is not None:
            status = of.calibration
        else:
            calibrated, status = self.calibration_status()  # fitted and stored, or kept
        training = stored_training(self._db, self._settings.text_model)
        return calibration_report(calibrated, status, training=training)

    def sentiment_readings(self) -> SentimentReadings:
        """Which reading made the stored sentiments (the workspace's calibration, the model
        alone, an older model), how many of each kind of text, and what the calibration they
        were made with is worth, its known weakness included.

        Read only: the calibration is the one :meth:`analyze` stored, never fitted here (the
        web's text page and its API say this; ``text analyze`` and the report say the same).

        Returns
        -------
        SentimentReadings
            See :func:`advocacy.text.sentiment_readings.stored_readings`.
        """
        from advocacy.text.sentiment_readings import stored_readings

        return stored_readings(self._db, self._settings.text_model)

    def readings_of(
        self, documents: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], str | None]:
        """Which reading made the stored sentiment of each ``(document_kind, document_id)``.

        Parameters
        ----------
        documents
            The documents, as a quote names its text.

        Returns
        -------
        dict
            See :func:`advocacy.text.sentiment_readings.readings_of`.
        """
        from advocacy.text.sentiment_readings import readings_of

        return readings_of(self._db, documents)

    def discover_themes(
        self, *, n_themes: int | None = None, kinds: Sequence[str] | None = None
    ) -> Discovered:
        """Discover themes in the texts and store them, replacing the discovered ones.

        Parameters
        ----------
        n_themes
            How many themes to find (None: chosen from the data).
        kinds
            The document kinds to read; None for all.

        Returns
        -------
        list of DiscoveredTheme
            The themes found, with keywords and redacted quotes.
        """
        from advocacy.text.catalogue import discover

        return discover(self._db, n_themes=n_themes, kinds=kinds)

    def assign_themes(
        self,
        taxonomy: str | Path,
        *,
        threshold: float | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> pd.DataFrame:
        """Assign every text to a taxonomy file's themes (several themes per text allowed).

        The workspace remembers the taxonomy and the threshold: a later :meth:`analyze`
        that reads any new or changed text assigns them again (``analyze(taxonomy=...)``
        does both in one run).

        Parameters
        ----------
        taxonomy
            The taxonomy YAML file.
        threshold
            The similarity a text needs to join a theme (None: 0.35).
        progress
            Called with (stage, done, total) as the work goes: ``assigning themes`` as a step
            (0 of 1, then 1 of 1), ``reading texts for themes`` with the texts read so far
            of those to read (texts a kept reading serves are not read again), then the step
            ``scoring and storing the themes``; with
            workers, from a thread of this process (one call at a time).

        Returns
        -------
        pandas.DataFrame
            Per theme: ``theme_id``, ``name``, ``parent``, ``size`` (texts assigned), and how
            they came to it (:func:`advocacy.text.theme_evidence.theme_evidence`):
            ``by_keyword``, ``by_meaning`` with the range ``meaning_low``-``meaning_high`` of
            meaning's scores, ``as_a_whole``, and ``from_sub_themes`` (a parent's texts only its
            sub-themes gave it; the other counts are its own).

        Raises
        ------
        InputError
            For a taxonomy file that does not follow the format.
        """
        from advocacy.text.catalogue import assign_taxonomy
        from advocacy.text.workers import worker_count

        return assign_taxonomy(
            self._db,
            taxonomy,
            threshold=threshold,  # None: the default; 0 is a threshold, as in analyze
            workers=worker_count(self._settings.text_workers),
            progress=progress,
        )

    def themes(
        self,
        *,
        origin: str | None = None,
        since: date | None = None,
        until: date | None = None,
        where: Where = None,
        now: datetime | None = None,
    ) -> pd.DataFrame:
        """The stored themes with size, sentiment mix, quotes and their effect on an outcome.

        Without an NPS, the impact is on the survey's CSAT, else its CES (``outcome`` and the
        ``outcome_*`` columns); without either, on the reviews' rating (the ``rating_*``
        columns, :data:`advocacy.text.theme_ratings.RATING_COLUMNS`: the mean rating of the
        rated reviews mentioning the theme against every other rated review with content,
        with its interval, p-value and Holm-adjusted p-value; empty where a theme has none).
        ``change_points`` is a theme's share of the texts in the latest complete quarter
        (``quarter``; ended, with texts up to its end and at least the ``min_n`` setting's
        number of them) against the quarter before, in points with its interval
        (``change_low``, ``change_high``).

        Parameters
        ----------
        origin
            ``discovered`` or ``curated`` (from a taxonomy file); None for both.
        since, until
            Count only the texts of these days (inclusive, UTC): survey answers by
            ``submitted_at``, reviews and posts by ``posted_at``, notes by ``taken_at``; a text
            without a date is left out of a window. None leaves a side open.
        where
            Count only the comments of survey answers whose dimension holds one of the values,
            as for ``ws.metrics.scores`` (``{"unit": ["North"]}``): sizes, sentiment mixes and
            NPS impacts are theirs (reviews and notes left out, with or without dates), and
            themes none of them mention are left out.
        now
            The clock (default: now): its day in the workspace's time zone (the ``timezone``
            setting; a ``now`` without a zone is read in it) decides which quarters have
            ended; with ``until``, no later than the day after it (as the report counts).

        Returns
        -------
        pandas.DataFrame
            One row per theme.
        """
        import datetime as dt
        from zoneinfo import ZoneInfo

        from advocacy.text.theme_listing import list_themes
        from advocacy.text.theme_ratings import theme_rating_effects, with_rating_effects

        zone = ZoneInfo(self._settings.timezone)
        moment = now if now is not None else dt.datetime.now(zone)
        # A clock without a zone reads in the workspace's, as imported timestamps without one.
        today = (moment.astimezone(zone) if moment.tzinfo is not None else moment).date()
        if until is not None:
            today = min(today, until + dt.timedelta(days=1))
        listed = list_themes(
            self._db,
            origin=origin,
            confidence=self._settings.confidence,
            today=today,
            min_n=self._settings.min_n,
            within=self._within(where, since=since, until=until),
        )
        if where is not None:  # survey answers only: no review, so no rating to set against
            return with_rating_effects(listed, None)
        return with_rating_effects(
            listed,
            lambda: theme_rating_effects(
                self._db, self._settings.confidence, since=since, until=until
            ),
        )

    def count_texts(self, kinds: Sequence[str] | None = None) -> int:
        """How many non-empty texts the workspace holds, read or not.

        Parameters
        ----------
        kinds
            Document kinds (``response``, ``mention``, ``note``, ``employee-response``);
            default every kind.

        Returns
        -------
        int
            The comments, reviews, posts and notes with any text.
        """
        import functools

        from advocacy.store.steady import steady_table
        from advocacy.text.documents import document_table

        table = functools.partial(steady_table, self._db)
        return int(document_table(table, kinds).count().execute())

    def theme_texts(
        self,
        theme: str,
        *,
        principal: Principal | None = None,
        where: Mapping[str, Sequence[str]] | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> ThemeTexts:
        """A theme's reviews, mentions and notes, newest first, one page at a time (its survey
        answers are ``ws.metrics.answers(theme=...)``).

        Parameters
        ----------
        theme
            A ``theme_id`` (``curated:Delivery``, ``discovered-01``).
        principal
            Read every table as this principal may (None: every row).
        where
            Dimension -> values to keep; a kind whose table lacks a dimension is left out and
            named in ``left_out``.
        since, until
            First and last day of texts to include.
        limit, offset
            The page.

        Returns
        -------
        ThemeTexts
            The page (``rows``), how many texts match (``total``) and the kinds left out.
        """
        from advocacy.namespaces.tables import WorkspaceTables
        from advocacy.text.theme_texts import theme_texts

        links = (
            self._db.ibis.table("document_themes")
            if "document_themes" in self._db.ibis.list_tables()
            else None
        )
        return theme_texts(
            WorkspaceTables(self._db).seen_by(principal),
            links,
            theme,
            where=where,
            since=since,
            until=until,
            limit=limit,
            offset=offset,
        )

    def features(self) -> pd.DataFrame:
        """The stored sentiment, emotions and effort of every analysed document.

        Returns
        -------
        pandas.DataFrame
            ``document_kind``, ``document_id``, ``sentiment``, ``sentiment_score``,
            ``emotions`` and ``effort``, one row per analysed document.
        """
        from advocacy.text.catalogue import stored_features

        return stored_features(self._db)

    def theme_members(self) -> list[tuple[str, str, str]]:
        """Every stored theme assignment, by theme, the most confident first.

        Returns
        -------
        list of tuple of str
            (theme id, document kind, document id).
        """
        from advocacy.text.catalogue import theme_members

        return theme_members(self._db)

    def theme_sentences(
        self,
        *,
        origin: str | None = None,
        since: date | None = None,
        until: date | None = None,
        where: Where = None,
    ) -> pd.DataFrame:
        """Each theme's most negative and most positive sentence, redacted, with its score.

        Parameters
        ----------
        origin
            ``discovered`` or ``curated`` (from a taxonomy file); None for both.
        since, until
            First and last day of the documents to quote.
        where
            Quote only the comments of survey answers whose dimension holds one of the values,
            as for ``ws.metrics.scores`` (reviews and notes left out).

        Returns
        -------
        pandas.DataFrame
            One row per theme (see :func:`advocacy.text.sentence_quotes.theme_sentence_quotes`).
        """
        from advocacy.text.sentence_quotes import theme_sentence_quotes

        # The dates alone quote every kind of document of the period (theme_sentence_quotes
        # reads them); a dimension filter keeps the survey answers it holds.
        filtered = any(values for values in (where or {}).values())
        within = self._within(where, since=since, until=until) if filtered else None
        return theme_sentence_quotes(
            self._db, origin=origin, since=since, until=until, within=within
        )

    def theme_quotes(
        self,
        *,
        count: int = 2,
        since: date | None = None,
        until: date | None = None,
        where: Where = None,
    ) -> pd.DataFrame:
        """Per theme, the strongest negative and positive sentences, redacted (for theme cards).

        Parameters
        ----------
        count
            Sentences per theme and sentiment, one per document.
        since, until
            Quote only the texts of these days (inclusive, UTC; of every kind, as
            :meth:`themes` counts them); None leaves a side open.
        where
            Quote only the comments of survey answers whose dimension holds one of the values,
            as for ``ws.metrics.scores`` (reviews and notes left out).

        Returns
        -------
        pandas.DataFrame
            ``theme_id``, ``sentiment``, ``rank``, ``sentence``, ``score``, ``document_kind``
            and ``document_id`` (see :func:`advocacy.text.sentence_quotes.theme_quotes`).
        """
        from advocacy.text.sentence_quotes import theme_quotes

        return theme_quotes(
            self._db, count=count, within=self._within(where, since=since, until=until)
        )

    def theme_quote_sets(
        self, *, count: int = 2, where: Where = None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`theme_quotes` and :meth:`theme_sentences` of the same answers, from one
        ranking of the sentences (the text page shows both).

        No period is taken: with dates alone :meth:`theme_sentences` quotes every kind of
        document of the period and :meth:`theme_quotes` survey answers only, so those are
        asked apart.

        Parameters
        ----------
        count
            Sentences per theme and sentiment, one per document (:meth:`theme_quotes`).
        where
            Quote only the comments of survey answers whose dimension holds one of the values,
            as for ``ws.metrics.scores`` (reviews and notes left out).

        Returns
        -------
        tuple of pandas.DataFrame
            ``theme_quotes(count=count, where=where)`` and ``theme_sentences(where=where)``
            (see :func:`advocacy.text.sentence_quotes.theme_quote_sets`).
        """
        from advocacy.text.sentence_quotes import theme_quote_sets

        return theme_quote_sets(self._db, count=count, within=self._within(where))

    def _within(
        self, where: Where, *, since: date | None = None, until: date | None = None
    ) -> str | None:
        """The SQL of the documents (``document_kind``, ``document_id``) of the survey answers in
        ``where`` and the period, or None when they keep every answer.

        Dates alone keep every kind of text of the period (reviews by ``posted_at``, notes by
        ``taken_at``, employee answers by ``submitted_at``), as :meth:`theme_sentences` quotes
        them: a window of a workspace of reviews counts its reviews (review27 finding 18). A
        dimension filter keeps the survey answers it holds."""
        import ibis

        from advocacy.metrics.slicing import dated_table
        from advocacy.namespaces.tables import WorkspaceTables
        from advocacy.text.documents import DOCUMENT_SOURCES

        chosen = WorkspaceTables(self._db).answering(where, since=since, until=until)
        if not chosen.active:
            return None
        answers = chosen("responses")
        documents = answers.select(
            document_kind=ibis.literal("response"),
            document_id=answers.response_id.cast("string"),
        )
        if not chosen.where:
            for kind, source in DOCUMENT_SOURCES.items():
                if kind == "response":
                    continue
                table = chosen(source.table)
                if source.time_column != "submitted_at":
                    table = table.mutate(submitted_at=table[source.time_column])
                dated = dated_table(table, chosen.since, chosen.until)
                documents = documents.union(
                    dated.select(
                        document_kind=ibis.literal(kind),
                        document_id=dated[source.id_column].cast("string"),
                    )
                )
        return str(self._db.ibis.compile(documents))

    def promote_theme(
        self, theme_id: str, taxonomy: str | Path, *, name: str | None = None
    ) -> PromotedTheme:
        """Add a discovered theme to a taxonomy file (created if missing), keeping its lines.

        Parameters
        ----------
        theme_id
            The discovered theme's id (``advocacy text themes`` shows them).
        taxonomy
            The taxonomy YAML file.
        name
            The theme's name in the taxonomy (default: its discovered name).

        Returns
        -------
        PromotedTheme
            The theme as written (``.theme``), the texts its keywords mark against the size
            discovered, and how the file was written.

        Raises
        ------
        NotFoundError
            When there is no discovered theme ``theme_id``.
        """
        from advocacy.text.theme_promotion import promote_theme

        return promote_theme(self._db, theme_id, taxonomy, name=name)


__all__ = [
    "CUT_FOR_THEMES",
    "RATING_COLUMNS",
    "READING_WORDS",
    "THEME_CHARACTERS",
    "SentimentReadings",
    "TextNamespace",
    "parquet_text_features",
    "readings_words",
    "redact",
    "shorten",
    "shown_quote",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
