"""Text analytics (the ``enrich`` layer): sentiment, emotion, effort, language, PII, themes.

Everything runs offline on CPU with models shipped in ``advocacy/text/models`` (rebuilt by
``models/build_models.py`` from stated data); nothing downloads at run time.
"""

from advocacy.text.effort import Effort, effort
from advocacy.text.embeddings import Embedder, StaticEmbedder, default_embedder
from advocacy.text.emotion import EMOTIONS, PLUTCHIK, EmotionResult, emotions
from advocacy.text.enrich import analyse_texts, export_columns, export_table
from advocacy.text.heads import LinearHead
from advocacy.text.language import detect_language
from advocacy.text.pii import redact
from advocacy.text.sentence_quotes import theme_sentence_quotes
from advocacy.text.sentences import analyse_sentences, sentence_rows
from advocacy.text.sentiment import (
    SENTIMENTS,
    CalibratedSentiment,
    SentimentResult,
    sentence_sentiment,
    sentence_spans,
    sentiment,
)
from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, assign_themes, load_taxonomy
from advocacy.text.text_model import EmbedderTextModel, Reading, StaticTextModel, text_model
from advocacy.text.themes import DiscoveredTheme, discover_themes, emerging_themes, theme_impact

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
    "analyse_sentences",
    "analyse_texts",
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
