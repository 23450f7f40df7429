"""Text analytics (the ``enrich`` layer): sentiment, emotion, effort, language, PII, themes.

Everything runs offline on CPU with models shipped in ``advocacy/text/models`` (rebuilt by
``models/build_models.py`` from stated data); nothing downloads at run time.
"""

from advocacy.text.effort import Effort, effort
from advocacy.text.embeddings import Embedder, StaticEmbedder, default_embedder
from advocacy.text.emotion import EMOTIONS, EmotionResult, emotions
from advocacy.text.enrich import analyse_texts, export_columns, export_table
from advocacy.text.heads import LinearHead
from advocacy.text.language import detect_language
from advocacy.text.pii import redact
from advocacy.text.sentiment import (
    SENTIMENTS,
    CalibratedSentiment,
    SentimentResult,
    sentence_sentiment,
    sentiment,
)
from advocacy.text.taxonomy import Taxonomy, TaxonomyTheme, assign_themes, load_taxonomy
from advocacy.text.themes import DiscoveredTheme, discover_themes, emerging_themes, theme_impact

__all__ = [
    "EMOTIONS",
    "SENTIMENTS",
    "CalibratedSentiment",
    "DiscoveredTheme",
    "Effort",
    "Embedder",
    "EmotionResult",
    "LinearHead",
    "SentimentResult",
    "StaticEmbedder",
    "Taxonomy",
    "TaxonomyTheme",
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
    "sentence_sentiment",
    "sentiment",
    "theme_impact",
]
