"""Keep survey links out of the access log: ``/s/<token>`` is logged as ``/s/[link]``.

A signed survey link is the credential of the customer it was sent to (anyone holding it can
answer as them), so it must not be copied into log files that operators, log shippers and
backups read. Uvicorn's access logger (``uvicorn.access``) passes the request path as the third
of its record's arguments; :class:`RedactSurveyLinks` rewrites it before any handler formats it.
The anonymous links (``/s/open/<survey>``) name only the survey and stay readable.
"""

from __future__ import annotations

import logging
import re

#: The access logger uvicorn writes one line per request to.
ACCESS_LOGGER = "uvicorn.access"
_SIGNED_LINK = re.compile(r"^/s/(?!open/)[^/?#\s]*")
REDACTED = "/s/[link]"


def redact_path(path: str) -> str:
    """``path`` with a signed survey link's token replaced (anything else unchanged)."""
    return _SIGNED_LINK.sub(REDACTED, path, count=1)


class RedactSurveyLinks(logging.Filter):
    """A logging filter for uvicorn's access log that drops survey-link tokens from paths."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        return True


def redact_access_log(logger_name: str = ACCESS_LOGGER) -> None:
    """Attach :class:`RedactSurveyLinks` to the access logger (once, however often called)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(item, RedactSurveyLinks) for item in logger.filters):
        logger.addFilter(RedactSurveyLinks())


__all__ = ["REDACTED", "RedactSurveyLinks", "redact_access_log", "redact_path"]
