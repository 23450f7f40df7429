"""Which evidence a case rule fires on: the trigger kinds of :mod:`advocacy.loop.cases.rules`.

Evidence triggers run on a batch of new responses or mentions as they arrive, so they are cheap:
one query loads the batch, the batch's texts are tokenised and embedded once and scored by the
shipped sentiment and emotion models only when a rule needs them, and a theme is matched against
its prototype (the workspace's curated or discovered theme of that name, plus the rule's
keywords) with the same embeddings. The sweep trigger ``at_risk_valuable`` looks at customers,
not evidence, and runs in :func:`advocacy.loop.cases.escalation.sweep`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from advocacy.errors import UsageError
from advocacy.loop.cases.rules import TRIGGER_KINDS, Rule
from advocacy.store.connection import Database
from advocacy.text.non_answers import is_non_answer

#: Evidence kinds rules run on, with (id column, time column, text column).
EVIDENCE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "responses": ("response_id", "submitted_at", "comment"),
    "mentions": ("mention_id", "posted_at", "text"),
}
_CHUNK = 500
DETRACTOR_MAX = 6


@dataclass(frozen=True)
class Evidence:
    """One response or mention, as much of it as rules and routing read."""

    kind: str
    evidence_id: str
    customer_id: str | None
    occurred_at: datetime | None
    unit: str | None
    touchpoint: str | None
    employee_id: str | None
    nps: int | None
    text: str | None


@dataclass(frozen=True)
class Hit:
    """A rule fired on one piece of evidence (or, for sweep rules, on a customer)."""

    evidence: Evidence
    summary: str
    theme: str | None = None
    baseline_nps: int | None = None


def check_kind(kind: str) -> str:
    """``kind`` if rules run on it (responses or mentions), else a :class:`UsageError`."""
    if kind not in EVIDENCE_COLUMNS:
        raise UsageError(
            f"case rules run on responses or mentions, not {kind!r}",
            value=kind,
            parameter="kind",
            fix="choose responses or mentions (advocacy cases open --kind responses; in Python "
            "kind='responses')",
        )
    return kind


def load_evidence(db: Database, kind: str, ids: Sequence[str]) -> list[Evidence]:
    """The records of ``kind`` with the given ids (unknown ids are skipped)."""
    key, at, text = EVIDENCE_COLUMNS[check_kind(kind)]
    extra = "touchpoint, employee_id, nps" if kind == "responses" else "NULL, NULL, NULL"
    found: list[Evidence] = []
    unique = list(dict.fromkeys(str(item) for item in ids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows = db.fetchall(
            f"SELECT {key}, customer_id, {at}, unit, {extra}, {text} FROM {kind} "
            f"WHERE {key} IN ({marks}) ORDER BY {at}, {key}",
            chunk,
        )
        for row in rows:
            found.append(
                Evidence(
                    kind,
                    str(row[0]),
                    row[1],
                    row[2],
                    row[3],
                    row[4],
                    row[5],
                    None if row[6] is None else int(row[6]),
                    row[7],
                )
            )
    return found


class TextSignals:
    """Sentiment, anger and embeddings of a batch's texts, computed once and only if asked."""

    def __init__(
        self,
        evidence: Sequence[Evidence],
        *,
        model: Any = None,
        language_prior: Callable[[], Mapping[str, int]] | None = None,
    ) -> None:
        self._index = {item.evidence_id: i for i, item in enumerate(evidence)}
        self._texts = [item.text or "" for item in evidence]
        # Anything with read(texts) -> Reading; None is the shipped static model.
        self._model = model
        # The workspace's languages, asked for only when a rule reads a text's language.
        self._language_prior = language_prior

    @cached_property
    def _reading(self) -> Any:
        # The shipped static ensemble (embedding and n-gram heads), as `text analyze` uses by
        # default: rules must run on every submission, so never a slower plugged-in model.
        from advocacy.text.text_model import StaticTextModel

        return (self._model or StaticTextModel()).read(self._texts)

    @cached_property
    def _negative(self) -> NDArray[Any]:
        from advocacy.text.sentiment import SENTIMENTS

        probabilities = self._reading.sentiment
        return np.asarray(probabilities[:, SENTIMENTS.index("negative")], dtype=np.float64)

    @cached_property
    def _anger(self) -> NDArray[Any]:
        from advocacy.text.emotion import EMOTIONS

        probabilities = self._reading.emotions
        return np.asarray(probabilities[:, EMOTIONS.index("anger")], dtype=np.float64)

    @cached_property
    def _readable(self) -> NDArray[np.bool_]:
        # As `text analyze` decides (advocacy.text.enrich): a text in a language the sentiment
        # does not read has no sentiment, anger or complaint reading, so no rule fires on a guess.
        from advocacy.text.language import detect_languages, reads_texts

        # A batch of a few short answers leans on the workspace's languages, as there.
        prior = None if self._language_prior is None else self._language_prior()
        return reads_texts(self._texts, detect_languages(self._texts, prior=prior))

    def readable(self, evidence: Evidence) -> bool:
        """Whether the evidence's text is in a language the sentiment reads (empty: False)."""
        return bool(evidence.text) and bool(self._readable[self._index[evidence.evidence_id]])

    @cached_property
    def _complaint(self) -> NDArray[Any] | None:
        complaint = getattr(self._reading, "complaint", None)
        return None if complaint is None else np.asarray(complaint, dtype=np.float64)

    def complaint(self, evidence: Evidence) -> float | None:
        """P(complaint) of the evidence's text (0 for an empty or unreadable text); None when
        the model gives no such signal."""
        if self._complaint is None:
            return None
        if not self.readable(evidence):
            return 0.0
        return float(self._complaint[self._index[evidence.evidence_id]])

    def negative(self, evidence: Evidence) -> float:
        """P(negative) of the evidence's text (0 for an empty or unreadable text)."""
        if not self.readable(evidence):
            return 0.0
        return float(self._negative[self._index[evidence.evidence_id]])

    def anger(self, evidence: Evidence) -> float:
        """P(anger) of the evidence's text (0 for an empty or unreadable text)."""
        if not self.readable(evidence):
            return 0.0
        return float(self._anger[self._index[evidence.evidence_id]])

    def theme_scores(self, db: Database, theme: str, keywords: Sequence[str]) -> NDArray[Any]:
        """Each text's score for ``theme`` (0 = not about it), from its workspace prototype."""
        from advocacy.text.embeddings import default_embedder
        from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, assign_themes

        row = db.fetchone(
            "SELECT description, keywords, examples FROM themes WHERE lower(name) = lower(?) "
            "ORDER BY origin = 'curated' DESC LIMIT 1",
            [theme],
        )
        stored = [] if row is None or row[1] is None else list(_json(row[1]))
        examples = () if row is None or row[2] is None else tuple(_json(row[2]))
        prototype = TaxonomyTheme(
            name=theme,
            description=(row[0] or "") if row else "",
            keywords=tuple(str(k) for k in [*keywords, *stored] if k),
            examples=tuple(str(e) for e in examples),
        )
        scores = assign_themes(
            self._texts,
            Taxonomy((prototype,)),
            embedder=default_embedder(),
            embeddings=self._reading.embeddings,
        )
        return np.asarray(scores[:, 0], dtype=np.float64)

    def position(self, evidence: Evidence) -> int:
        return self._index[evidence.evidence_id]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else (value or [])


def _previous_standing(
    db: Database, evidence: Sequence[Evidence]
) -> dict[str, tuple[int | None, bool]]:
    """Per response id: the customer's previous NPS and whether a referral of theirs converted."""
    out: dict[str, tuple[int | None, bool]] = {}
    ids = [item.evidence_id for item in evidence if item.customer_id is not None]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        rows = db.fetchall(
            "SELECT r.response_id, (SELECT p.nps FROM responses p WHERE p.customer_id = "
            "r.customer_id AND p.submitted_at < r.submitted_at AND p.nps IS NOT NULL "
            "ORDER BY p.submitted_at DESC LIMIT 1), EXISTS (SELECT 1 FROM referrals f WHERE "
            "f.referrer_id = r.customer_id AND f.converted_at IS NOT NULL "
            "AND f.converted_at < r.submitted_at) "
            f"FROM responses r WHERE r.response_id IN ({marks})",
            chunk,
        )
        for row in rows:
            out[str(row[0])] = (None if row[1] is None else int(row[1]), bool(row[2]))
    return out


def evaluate(
    db: Database, rule: Rule, evidence: Sequence[Evidence], signals: TextSignals
) -> list[Hit]:
    """The evidence ``rule`` fires on (empty for sweep rules and evidence of other kinds)."""
    mine = [item for item in evidence if item.kind in TRIGGER_KINDS[rule.trigger]]
    if not mine:
        return []
    if rule.trigger == "nps_at_most":
        limit = int(rule.param("threshold"))
        return [
            Hit(item, f"NPS {item.nps} (at most {limit})", baseline_nps=item.nps)
            for item in mine
            if item.nps is not None and item.nps <= limit
        ]
    if rule.trigger == "champion_turned_detractor":
        low, high = int(rule.param("detractor_at_most")), int(rule.param("promoter_at_least"))
        detractors = [item for item in mine if item.nps is not None and item.nps <= low]
        standing = _previous_standing(db, detractors)
        hits = []
        for item in detractors:
            previous, champion = standing.get(item.evidence_id, (None, False))
            if champion or (previous is not None and previous >= high):
                was = "a champion" if champion else f"a promoter (NPS {previous})"
                hits.append(Hit(item, f"was {was}, now NPS {item.nps}", baseline_nps=item.nps))
        return hits
    if rule.trigger == "angry_mention":
        # A threshold given as null leaves its reading out (the choice of
        # benchmarks/angry_mention_thresholds.py may); complaint_at_least applies only when the
        # model gives complaint probabilities.
        anger, negative, floor = (
            rule.param(name)
            for name in ("anger_at_least", "negative_at_least", "complaint_at_least")
        )
        hits = []
        for item in mine:
            if not item.text or is_non_answer(item.text):
                continue
            a, n = signals.anger(item), signals.negative(item)
            c = signals.complaint(item) if floor is not None else None
            crossed = [
                word
                for word, value, least in (
                    ("angry", a, anger),
                    ("negative", n, negative),
                    ("a complaint", c, floor),
                )
                if value is not None and least is not None and value >= float(least)
            ]
            if crossed:
                # Say which reading crossed its threshold (a complaint in a calm tone is not
                # "angry"), and show the readings the rule reads: one it leaves out (the
                # shipped rule's anger) would only suggest a reason it does not have.
                shown = ", ".join(
                    f"{word} {value:.2f}"
                    for word, value, least in (
                        ("anger", a, anger),
                        ("negative", n, negative),
                        ("complaint", c, floor),
                    )
                    if value is not None and least is not None
                )
                hits.append(Hit(item, f"mention read as {' and '.join(crossed)} ({shown})"))
        return hits
    if rule.trigger == "theme_sentiment":
        theme = str(rule.param("theme"))
        floor = float(rule.param("negative_at_least"))
        texts = [item for item in mine if item.text]
        if not texts:
            return []
        scores = signals.theme_scores(db, theme, list(rule.param("keywords") or []))
        hits = []
        for item in texts:
            n = signals.negative(item)
            # A detractor's comment on the theme is a complaint whatever its tone: generic
            # sentiment models read many factual complaints ("arrived late") as neutral.
            detractor = item.nps is not None and item.nps <= DETRACTOR_MAX
            if scores[signals.position(item)] > 0 and (n >= floor or detractor):
                hits.append(
                    Hit(
                        item,
                        f"negative about {theme} ({n:.2f})",
                        theme=theme,
                        baseline_nps=item.nps,
                    )
                )
        return hits
    return []


def at_risk_valuable(db: Database, rule: Rule, now: datetime) -> list[Hit]:
    """Valuable customers at risk: value tier in ``value_tiers`` and either no purchase for
    ``no_purchase_days`` or (when ``churn_risk_at_least`` is set) a churn risk at least that.

    The evidence id is the customer id with the date of their last purchase, so a customer gets
    one case per lapse: a new purchase followed by a new lapse may open another.
    """
    tiers = [str(tier) for tier in rule.param("value_tiers") or []]
    if not tiers:
        return []
    marks = ", ".join("?" for _ in tiers)
    days = int(rule.param("no_purchase_days") or 90)
    rows = db.fetchall(
        "SELECT c.customer_id, c.value_tier, max(t.occurred_at) AS last_purchase, "
        "(SELECT max(r.unit) FROM responses r WHERE r.customer_id = c.customer_id) "
        "FROM customers c JOIN transactions t ON t.customer_id = c.customer_id "
        f"WHERE c.value_tier IN ({marks}) AND t.occurred_at <= ? "
        "GROUP BY c.customer_id, c.value_tier ORDER BY c.customer_id",
        [*tiers, now],
    )
    cutoff = now - timedelta(days=days)
    risky: dict[str, float] = {}
    threshold = rule.param("churn_risk_at_least")
    if threshold is not None:
        risky = _churn_risks(db, now)
    hits = []
    for customer_id, tier, last, unit in rows:
        risk = risky.get(str(customer_id))
        lapsed = last is not None and last < cutoff
        if not (lapsed or (risk is not None and risk >= float(threshold))):
            continue
        reason = f"no purchase since {last:%Y-%m-%d}" if lapsed else f"churn risk {risk:.2f}"
        evidence = Evidence(
            "customers", f"{customer_id}@{last:%Y-%m-%d}", str(customer_id), last, unit,
            None, None, None, None,
        )  # fmt: skip
        hits.append(Hit(evidence, f"{tier} customer at risk: {reason}"))
    return hits


def _churn_risks(db: Database, now: datetime) -> dict[str, float]:
    """Customer id -> churn risk from the workspace's churn model (empty if it cannot fit)."""
    from advocacy.errors import AdvocacyError
    from advocacy.retention.churn import churn_risk

    tables: dict[str, Any] = {
        name: db.ibis.table(name) for name in ("responses", "transactions", "interactions")
    }
    tables["text_features"] = None
    try:
        result = churn_risk(tables, as_of=now)
    except AdvocacyError:
        return {}
    frame = result.scores
    return dict(
        zip(frame["customer_id"].astype(str), frame["churn_risk"].astype(float), strict=True)
    )
