"""The web app and REST API: ``advocacy serve``, or ``create_app(url)`` for any ASGI server."""

from advocacy.present.web.app import create_app
from advocacy.present.web.state import APP_THREADS

__all__ = ["APP_THREADS", "create_app"]
