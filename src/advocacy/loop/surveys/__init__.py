"""Hosted surveys: definitions (``definitions``), signed links (``signing``, ``invitations``), the
contact guard (``contact_guard``), the form and its check (``forms``) and committing answers
(``submissions``).

The names the facade uses are listed in ``__all__`` and imported on first use (PEP 562), so the
modules of ``advocacy.loop`` may import one another without cycles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.loop.surveys.definitions import (
        Survey,
        list_surveys,
        load_survey_file,
        save_survey,
    )
    from advocacy.loop.surveys.invitations import LinksResult, anonymous_link, links_for_segment

_LAZY = {
    "anonymous_link": "advocacy.loop.surveys.invitations",
    "links_for_segment": "advocacy.loop.surveys.invitations",
    "LinksResult": "advocacy.loop.surveys.invitations",
    "list_surveys": "advocacy.loop.surveys.definitions",
    "load_survey_file": "advocacy.loop.surveys.definitions",
    "save_survey": "advocacy.loop.surveys.definitions",
    "Survey": "advocacy.loop.surveys.definitions",
}

__all__ = [
    "LinksResult",
    "Survey",
    "anonymous_link",
    "links_for_segment",
    "list_surveys",
    "load_survey_file",
    "save_survey",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
