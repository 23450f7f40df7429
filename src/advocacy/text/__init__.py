"""Text analytics (the ``enrich`` layer): sentiment, emotion, effort, language, PII, themes.

Everything runs offline on CPU with models shipped in ``advocacy/text/models`` (rebuilt by
``tools/build_encoder.py`` and ``tools/build_heads.py`` from stated data); nothing downloads
at run time.

Names are imported on first use (PEP 562), so code that only redacts (``advocacy.text.pii``)
or lists themes (``advocacy.text.catalogue``) does not load the models. The three names that
are also submodules (``effort``, ``sentiment``, ``text_model``) are the functions, whatever is
imported first: they are properties of the package (:class:`_Package`), which the import
system's binding of the submodule of the same name does not replace.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.text.calibration import CalibratedSentiment
    from advocacy.text.effort import Effort, effort
    from advocacy.text.embeddings import Embedder, StaticEmbedder, default_embedder
    from advocacy.text.emotion import EMOTIONS, PLUTCHIK, EmotionResult, emotions
    from advocacy.text.enrich import analyze_texts, export_columns, export_table
    from advocacy.text.heads import LinearHead
    from advocacy.text.language import detect_language
    from advocacy.text.pii import redact
    from advocacy.text.sentence_quotes import theme_sentence_quotes
    from advocacy.text.sentences import analyze_sentences, sentence_rows
    from advocacy.text.sentiment import (
        SENTIMENTS,
        SentimentResult,
        sentence_sentiment,
        sentence_spans,
        sentiment,
    )
    from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, assign_themes, load_taxonomy
    from advocacy.text.text_model import EmbedderTextModel, Reading, StaticTextModel, text_model
    from advocacy.text.themes import DiscoveredTheme, discover_themes, emerging_themes, theme_impact

#: Public name -> the module that defines it.
_LAZY = {
    "analyze_sentences": "advocacy.text.sentences",
    "analyze_texts": "advocacy.text.enrich",
    "assign_themes": "advocacy.text.taxonomy",
    "CalibratedSentiment": "advocacy.text.calibration",
    "default_embedder": "advocacy.text.embeddings",
    "detect_language": "advocacy.text.language",
    "discover_themes": "advocacy.text.themes",
    "DiscoveredTheme": "advocacy.text.themes",
    "Effort": "advocacy.text.effort",
    "Embedder": "advocacy.text.embeddings",
    "EmbedderTextModel": "advocacy.text.text_model",
    "emerging_themes": "advocacy.text.themes",
    "EmotionResult": "advocacy.text.emotion",
    "EMOTIONS": "advocacy.text.emotion",
    "emotions": "advocacy.text.emotion",
    "export_columns": "advocacy.text.enrich",
    "export_table": "advocacy.text.enrich",
    "LinearHead": "advocacy.text.heads",
    "load_taxonomy": "advocacy.text.taxonomy",
    "PLUTCHIK": "advocacy.text.emotion",
    "Reading": "advocacy.text.text_model",
    "redact": "advocacy.text.pii",
    "sentence_rows": "advocacy.text.sentences",
    "sentence_sentiment": "advocacy.text.sentiment",
    "sentence_spans": "advocacy.text.sentiment",
    "SentimentResult": "advocacy.text.sentiment",
    "SENTIMENTS": "advocacy.text.sentiment",
    "StaticEmbedder": "advocacy.text.embeddings",
    "StaticTextModel": "advocacy.text.text_model",
    "Taxonomy": "advocacy.text.taxonomy",
    "TaxonomyTheme": "advocacy.text.taxonomy",
    "theme_impact": "advocacy.text.themes",
    "theme_sentence_quotes": "advocacy.text.sentence_quotes",
}


__all__ = [
    "EMOTIONS",
    "PLUTCHIK",
    "SENTIMENTS",
    "CalibratedSentiment",
    "DiscoveredTheme",
    "Effort",
    "Embedder",
    "EmbedderTextModel",
    "EmotionResult",
    "LinearHead",
    "Reading",
    "SentimentResult",
    "StaticEmbedder",
    "StaticTextModel",
    "Taxonomy",
    "TaxonomyTheme",
    "analyze_sentences",
    "analyze_texts",
    "assign_themes",
    "default_embedder",
    "detect_language",
    "discover_themes",
    "effort",
    "emerging_themes",
    "emotions",
    "export_columns",
    "export_table",
    "load_taxonomy",
    "redact",
    "sentence_rows",
    "sentence_sentiment",
    "sentence_spans",
    "sentiment",
    "text_model",
    "theme_impact",
    "theme_sentence_quotes",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)


def _function_of(name: str) -> property:
    """The function ``name`` of the submodule ``name``, imported when first read."""

    def read(package: types.ModuleType) -> Any:
        return getattr(importlib.import_module(f"{package.__name__}.{name}"), name)

    def bind(package: types.ModuleType, value: Any) -> None:
        # The import system binds a submodule to its package's attribute of the same name;
        # the function keeps the name. Anything else (a test's stand-in) is refused.
        if (
            not isinstance(value, types.ModuleType)
            or value.__name__ != f"{package.__name__}.{name}"
        ):
            raise AttributeError(f"advocacy.text.{name} is the function of its submodule")

    return property(read, bind)


class _Package(types.ModuleType):
    """This package, whose ``effort``, ``sentiment`` and ``text_model`` are functions."""

    effort = _function_of("effort")
    sentiment = _function_of("sentiment")
    text_model = _function_of("text_model")


sys.modules[__name__].__class__ = _Package
