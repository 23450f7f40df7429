"""Curated themes: a YAML taxonomy the user edits, multi-label assignment, and promotion.

A taxonomy file is a list of themes under ``themes:``; each has a ``name`` and optionally a
``description``, ``keywords`` (words or phrases that mark the theme outright), ``examples``
(phrases that show what the theme sounds like) and a ``parent`` (another theme's name)::

    themes:
      - name: Delivery
        description: parcels arriving late, damaged or not at all
        keywords: [delivery, courier, parcel]
        examples: ["my order never arrived", "the box was crushed"]
      - name: Late delivery
        parent: Delivery
        keywords: [late, delayed]

A text gets every theme whose keywords it contains, and every theme whose *prototype* (the
mean embedding of its name + description and its examples, as in prototypical networks, Snell
et al. 2017) is at least ``threshold`` cosine-similar to the text. A child implies its parent.

References
----------
Snell, J., Swersky, K. & Zemel, R. (2017). Prototypical networks for few-shot learning. NeurIPS.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray

from advocacy.errors import InputError, UsageError
from advocacy.text.embeddings import Embedder

ALLOWED_KEYS = frozenset({"name", "description", "keywords", "examples", "parent"})
#: Cosine similarity to a theme's prototype at which a text is assigned to it.
DEFAULT_THRESHOLD = 0.55


@dataclass(frozen=True)
class TaxonomyTheme:
    """One curated theme."""

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    parent: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.keywords:
            out["keywords"] = list(self.keywords)
        if self.examples:
            out["examples"] = list(self.examples)
        if self.parent:
            out["parent"] = self.parent
        return out


@dataclass(frozen=True)
class Taxonomy:
    """A validated list of curated themes."""

    themes: tuple[TaxonomyTheme, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [theme.name for theme in self.themes]


def _strings(value: Any, key: str, index: int, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise InputError(
            f"theme {index + 1}: {key} must be a list of phrases",
            file=path,
            value=value,
            fix=f"write {key}: [first phrase, second phrase]",
        )
    return tuple(str(v).strip() for v in value if str(v).strip())


def parse_taxonomy(data: Any, *, path: str = "<taxonomy>") -> Taxonomy:
    """Validate parsed YAML into a :class:`Taxonomy` (every error names the theme and the fix)."""
    if not isinstance(data, dict) or not isinstance(data.get("themes"), list):
        raise InputError(
            "a taxonomy file needs a top-level list called themes",
            file=path,
            fix="start the file with 'themes:' followed by '- name: ...' entries",
        )
    themes: list[TaxonomyTheme] = []
    for index, entry in enumerate(data["themes"]):
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise InputError(
                f"theme {index + 1} has no name", file=path, value=entry, fix="give it 'name: ...'"
            )
        unknown = sorted(set(entry) - ALLOWED_KEYS)
        if unknown:
            raise InputError(
                f"theme {entry['name']!r}: unknown key {unknown[0]!r}",
                file=path,
                value=unknown[0],
                fix="allowed keys: " + ", ".join(sorted(ALLOWED_KEYS)),
            )
        parent = entry.get("parent")
        themes.append(
            TaxonomyTheme(
                name=str(entry["name"]).strip(),
                description=str(entry.get("description") or "").strip(),
                keywords=_strings(entry.get("keywords"), "keywords", index, path),
                examples=_strings(entry.get("examples"), "examples", index, path),
                parent=str(parent).strip() if parent else None,
            )
        )
    names = [theme.name for theme in themes]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InputError(f"theme {duplicates[0]!r} is listed twice", file=path, fix="merge them")
    for theme in themes:
        if theme.parent is not None and theme.parent not in names:
            raise InputError(
                f"theme {theme.name!r} has parent {theme.parent!r}, which is not in the taxonomy",
                file=path,
                value=theme.parent,
                fix="add the parent theme or correct its name",
            )
    return Taxonomy(tuple(themes))


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a taxonomy YAML file."""
    file = Path(path)
    if not file.exists():
        raise InputError(f"no taxonomy file {str(file)!r}", file=str(file), fix="check the path")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(
            f"the taxonomy is not valid YAML: {error}", file=str(file), fix="fix the YAML"
        ) from None
    return parse_taxonomy(data, path=str(file))


def save_taxonomy(taxonomy: Taxonomy, path: str | Path) -> None:
    """Write ``taxonomy`` as YAML (the format :func:`load_taxonomy` reads)."""
    text = yaml.safe_dump(
        {"themes": [t.as_dict() for t in taxonomy.themes]}, sort_keys=False, allow_unicode=True
    )
    Path(path).write_text(text, encoding="utf-8")


def promote(taxonomy: Taxonomy, theme: TaxonomyTheme) -> Taxonomy:
    """``taxonomy`` with ``theme`` added (a discovered theme becoming a curated one)."""
    if theme.name in taxonomy.names:
        raise UsageError(
            f"the taxonomy already has a theme {theme.name!r}", fix="pass another --name"
        )
    return Taxonomy((*taxonomy.themes, theme))


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(k.lower()) for k in keywords) + r")", re.I)


def assign_themes(
    texts: Sequence[str],
    taxonomy: Taxonomy,
    *,
    embedder: Embedder,
    embeddings: NDArray[Any] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> NDArray[np.float64]:
    """Theme scores (n texts x n themes) in 0..1; a score > 0 means the text has the theme.

    The score is the prototype similarity when it reaches ``threshold``, 1.0 for a keyword hit,
    and a child's score propagates to its parent.
    """
    vectors = embedder.embed(texts) if embeddings is None else np.asarray(embeddings, np.float32)
    scores = np.zeros((len(texts), len(taxonomy.themes)))
    for column, theme in enumerate(taxonomy.themes):
        prompts = [f"{theme.name}. {theme.description}".strip(" ."), *theme.examples]
        prototype = embedder.embed(prompts).mean(axis=0)
        prototype /= max(float(np.linalg.norm(prototype)), 1e-12)
        similarity = vectors @ prototype
        scores[:, column] = np.where(similarity >= threshold, similarity, 0.0)
        pattern = _keyword_pattern(theme.keywords)
        if pattern is not None:
            hits = np.array([bool(pattern.search(text or "")) for text in texts])
            scores[hits, column] = 1.0
    index = {name: i for i, name in enumerate(taxonomy.names)}
    for _ in range(len(taxonomy.themes)):  # propagate up chains of parents
        for column, theme in enumerate(taxonomy.themes):
            if theme.parent is not None:
                parent = index[theme.parent]
                scores[:, parent] = np.maximum(scores[:, parent], scores[:, column])
    return np.clip(scores, 0.0, 1.0)
