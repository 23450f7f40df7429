"""What a plan may link to and measure: gaps, drivers, themes, culture attributes and scopes.

Every reference is checked against what the workspace holds, and an unknown one is refused with
the valid ones listed. Gaps of the register (:func:`advocacy.gaps.assessment.register`) have no
stored key, so each gets a readable, stable id from its source, subject and scope, and for a
target its ``target_id`` (two targets may share a metric and scope): target ``T2`` on
``ces unit=North`` is ``target-ces-unit-north-t2``, the SERVQUAL dimension ``responsiveness`` is
``servqual-responsiveness``. The id without the target (``target-ces-unit-north``, all that ids
were before 2026-12-06) still names its gap while only one target has it; when several do, a link
to it is refused with their ids listed.

Lower case and ``-`` for punctuation can give two targets one id (``T-3`` and ``T_3``, ``T1``
and ``t1``). Such ids, and only they, end in the first six hex digits of the SHA-256 of the
target's own id (``T-3``: ``target-csat-t-3-ad567e``): every gap keeps a distinct id, and ids of
all other gaps stay as readable as they were and unchanged (links written before name the same
gaps). The shared id then names no single gap: a link to it is refused with the candidates listed.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from advocacy.errors import NotFoundError, UsageError
from advocacy.gaps.culture import CULTURE_ATTRIBUTES
from advocacy.gaps.targets import parse_scope
from advocacy.ingest.target_values import metric_name
from advocacy.loop.plans.fields import PLAN_METRICS
from advocacy.loop.plans.impact import FILTER_KEYS
from advocacy.metrics.catalogue import METRICS
from advocacy.store.connection import Database

_SHOWN = 40  # valid references listed in an error at most
_HASHED = 6  # hex digits of the suffix that tells apart gaps whose ids read the same


def gap_id(source: str, subject: str, scope: str | None, target_id: str | None = None) -> str:
    """The register row's id: ``target-ces-unit-north-t2``, ``culture-career-paths``.

    Without ``target_id`` it is the id gaps had before targets were part of it.
    """
    parts = [source, subject]
    if scope and scope.strip().lower() != "all":
        parts.append(scope)
    if target_id:
        parts.append(target_id)
    return re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-")


def _distinct(ids: list[str], keys: list[str]) -> list[str]:
    """``ids`` with each one that several rows share suffixed by a short hash of its row's
    ``key`` (the target's own id), so that no two rows have one id."""
    counts = Counter(ids)
    return [
        f"{gap}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:_HASHED]}"
        if counts[gap] > 1
        else gap
        for gap, key in zip(ids, keys, strict=True)
    ]


def find_gap(rows: Sequence[Mapping[str, Any]], reference: str) -> Mapping[str, Any]:
    """The row of :func:`gap_rows` that ``reference`` names: its id; its id without the hash
    suffix, or without the target, while that is one gap's; else an error listing the ids."""
    wanted = str(reference).strip().lower()
    for row in rows:
        if row["gap_id"] == wanted:
            return row
    hashed = re.compile(re.escape(wanted) + f"-[0-9a-f]{{{_HASHED}}}")
    shared = [row for row in rows if hashed.fullmatch(str(row["gap_id"]))]
    if shared:
        return _only_gap(shared, reference, "targets' ids read the same in it")
    older = [row for row in rows if gap_id(row["source"], row["subject"], row["scope"]) == wanted]
    if older:
        return _only_gap(older, reference, "targets have that metric and scope")
    ids = [str(row["gap_id"]) for row in rows]
    fix = "import targets or survey ratings to find gaps"
    raise _refuse("gap", str(reference).strip(), ids, fix)


def _effort_word(effort: int) -> str:
    return "low" if effort <= 2 else "medium" if effort == 3 else "high"


def _suggestion(source: str, subject: str, scope: str) -> tuple[str, dict[str, str]]:
    """The metric (and scope) a plan on this gap should move."""
    where = {key: value for key, value in parse_scope(scope).items() if key in FILTER_KEYS}
    if source == "target" and metric_name(subject) in METRICS:
        metric = metric_name(subject)  # the target's own metric, on its own scale
    elif source == "culture" or subject.startswith("culture:"):
        metric = "enps"
    else:
        metric = "nps"
    if metric == "enps":
        where = {key: value for key, value in where.items() if key == "unit"}
    return metric, where


def gap_rows(db: Database, *, confidence: float) -> list[dict[str, Any]]:
    """The gap register with each gap's id and the plan it suggests (metric, scope, target).

    ``confidence`` is the level of the register's intervals (the workspace's ``confidence``
    setting).
    """
    from advocacy.gaps.assessment import register

    frame = register(db.ibis.table, confidence=confidence)
    rows: list[dict[str, Any]] = []
    keys: list[str] = []  # what tells apart rows whose ids read the same
    for record in frame.to_dict("records"):
        source, subject = str(record["source"]), str(record["subject"])
        scope = str(record.get("scope") or "all")
        metric, where = _suggestion(source, subject, scope)
        same_scale = source == "target" and metric_name(subject) == metric
        label = subject if scope == "all" else f"{subject} ({scope})"
        target = record.get("target_id")
        target_id = str(target) if source == "target" and isinstance(target, str) else None
        keys.append(target_id if target_id is not None else f"{source}\n{subject}\n{scope}")
        rows.append(
            {
                "gap_id": gap_id(source, subject, scope, target_id),
                "rank": int(record["rank"]),
                "source": source,
                "subject": subject,
                "scope": scope,
                "current": float(record["current"]),
                "desired": float(record["desired"]),
                "priority": float(record["priority"]),
                "title": f"Close the {source} gap on {label}",
                "metric": metric,
                "metric_filter": where,
                "effort": _effort_word(int(record["effort"])),
                "resources": [part.strip() for part in str(record["resources"]).split(",")],
                "target_value": float(record["desired"]) if same_scale else None,
            }
        )
    for row, distinct in zip(rows, _distinct([row["gap_id"] for row in rows], keys), strict=True):
        row["gap_id"] = distinct
    return rows


def _only_gap(found: list[Mapping[str, Any]], reference: str, why: str) -> Mapping[str, Any]:
    """The one gap row of ``found``; several are refused, naming each (``why`` says how
    they all answer ``reference``)."""
    if len(found) == 1:
        return found[0]
    raise UsageError(
        f"gap {reference!r} is ambiguous: {len(found)} {why}",
        value=reference,
        parameter="--link",
        fix="name one of: " + ", ".join(f"gap:{row['gap_id']}" for row in found),
    )


def _refuse(kind: str, reference: str, valid: list[str], fix: str) -> NotFoundError:
    shown = valid[:_SHOWN] + (["..."] if len(valid) > _SHOWN else [])
    return NotFoundError(
        f"no {kind} {reference!r} in this workspace",
        value=reference,
        parameter="--link",
        fix=("use one of: " + ", ".join(shown)) if valid else fix,
    )


def _drivers(db: Database) -> list[str]:
    rows = db.fetchall(
        "SELECT DISTINCT name FROM (SELECT item AS name FROM response_items "
        "WHERE kind IN ('rating', 'perception') UNION SELECT dimension AS name "
        "FROM response_items WHERE kind IN ('rating', 'perception') AND dimension IS NOT NULL) "
        "AS names ORDER BY name"
    )
    return [str(row[0]) for row in rows]


def _themes(db: Database) -> list[tuple[str, str]]:
    if not db.table_exists("themes"):
        return []
    rows = db.fetchall("SELECT theme_id, name FROM themes ORDER BY theme_id")
    return [(str(row[0]), str(row[1])) for row in rows]


def resolve_theme(db: Database, reference: str) -> str:
    """The id of the theme whose id or name is ``reference`` (names match without case)."""
    themes = _themes(db)
    wanted = reference.strip()
    for theme_id, name in themes:
        if wanted in (theme_id,) or wanted.lower() == name.lower():
            return theme_id
    raise _refuse(
        "theme",
        reference,
        [theme_id for theme_id, _ in themes],
        "analyse the texts first: advocacy text analyze, then advocacy text themes",
    )


def resolve_link(
    db: Database,
    kind: str,
    reference: str,
    *,
    confidence: float,
    gaps: Sequence[Mapping[str, Any]] | None = None,
) -> str:
    """The canonical reference of a plan's link, or an error listing the valid ones.

    ``gaps`` are the register's rows when the caller has them (else they are computed, with
    intervals at ``confidence``).
    """
    wanted = str(reference).strip()
    if kind == "gap":
        rows = gap_rows(db, confidence=confidence) if gaps is None else gaps
        return str(find_gap(rows, wanted)["gap_id"])
    if kind == "theme":
        return resolve_theme(db, wanted)
    valid = list(CULTURE_ATTRIBUTES) if kind == "culture" else _drivers(db)
    for name in valid:
        if name.lower() == wanted.lower():
            return name
    fix = "import response-items with rated items to find drivers"
    raise _refuse("culture attribute" if kind == "culture" else "driver", wanted, valid, fix)


def check_metric(metric: str) -> str:
    """``metric`` normalised, if a plan can target it."""
    name = str(metric).strip().lower().replace("_", "-")
    if name not in PLAN_METRICS:
        raise UsageError(
            f"unknown metric {metric!r}",
            value=metric,
            parameter="--metric",
            fix="use one of: " + ", ".join(PLAN_METRICS),
        )
    return name


def check_filter(db: Database, metric: str, where: Mapping[str, str] | None) -> dict[str, str]:
    """The metric's scope, each key allowed and each value present in the workspace."""
    chosen: dict[str, str] = {}
    table = "employee_responses" if metric == "enps" else "responses"
    for raw_key, raw_value in dict(where or {}).items():
        key = str(raw_key).strip().lower()
        value = "" if raw_value is None else str(raw_value).strip()
        if not value:
            continue
        allowed = ("unit",) if metric == "enps" else FILTER_KEYS
        if key not in allowed:
            raise UsageError(
                f"a {metric} plan cannot be limited by {key!r}",
                value=key,
                parameter="--filter",
                fix="limit it by one of: " + ", ".join(allowed),
            )
        if key == "theme":
            chosen[key] = resolve_theme(db, value)
            continue
        rows = db.fetchall(f"SELECT DISTINCT {key} FROM {table} WHERE {key} IS NOT NULL ORDER BY 1")
        values = [str(row[0]) for row in rows]
        if value not in values:
            raise NotFoundError(
                f"no {key} {value!r} in the {table.replace('_', ' ')}",
                value=value,
                parameter=f"--{key.replace('_', '-')}",
                fix="use one of: " + ", ".join(values[:_SHOWN]) if values else None,
            )
        chosen[key] = value
    return chosen
