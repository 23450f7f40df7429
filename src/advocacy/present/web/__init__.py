"""The web app and REST API: ``advocacy serve``, or ``create_app(url)`` for any ASGI server."""

from advocacy.present.web.app import create_app

__all__ = ["create_app"]
