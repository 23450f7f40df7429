"""The report's cover: logo, title, client and date, all from the workspace's settings.

The logo is read from the ``report_logo`` setting (an SVG, PNG or JPEG file) and embedded as a
``data:`` URI inside an ``<img>``, so the report stays one standalone file and an SVG logo is
drawn as a picture: a script inside it never runs. A file that is missing, too large or not one
of those formats is an error naming the setting, rather than a cover without the logo.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from advocacy.errors import UsageError

if TYPE_CHECKING:
    from advocacy.settings import Settings

#: The largest logo file embedded, in bytes.
MAX_LOGO_BYTES = 1_000_000


@dataclass(frozen=True)
class Cover:
    """What the cover shows."""

    title: str
    client: str
    day: dt.date
    logo: str | None = None  # a data: URI

    @classmethod
    def from_settings(cls, settings: Settings, *, day: dt.date, title: str | None = None) -> Cover:
        """The cover the settings describe (``title`` overrides ``report_title``)."""
        logo = read_logo(settings.report_logo) if settings.report_logo else None
        return cls(
            title=title or settings.report_title,
            client=settings.report_client,
            day=day,
            logo=logo,
        )

    def html(self) -> Markup:
        """The cover page's markup (every text escaped)."""
        logo = (
            Markup('<img class="logo" src="{}" alt="logo">').format(self.logo)
            if self.logo
            else Markup()
        )
        client = (
            Markup('<p class="client">Prepared for {}</p>').format(self.client)
            if self.client
            else Markup()
        )
        return Markup(
            '<section class="cover" id="cover">{}<h1>{}</h1>{}<p class="date">{}</p></section>'
        ).format(logo, self.title, client, self.day.strftime("%-d %B %Y"))


def _kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        return "image/svg+xml"
    return None


def read_logo(path: str) -> str:
    """The logo file at ``path`` as a ``data:`` URI.

    Raises
    ------
    UsageError
        When the file is missing, larger than :data:`MAX_LOGO_BYTES`, or not SVG, PNG or JPEG.
    """
    file = Path(path).expanduser()
    fix = "set report_logo to an SVG, PNG or JPEG file of at most 1 MB, or leave it empty"
    if not file.is_file():
        raise UsageError(
            f"the report logo {path!r} is not a file", parameter="report_logo", value=path, fix=fix
        )
    size = file.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise UsageError(
            f"the report logo {path!r} is {size:,} bytes, more than {MAX_LOGO_BYTES:,}",
            parameter="report_logo",
            value=path,
            fix=fix,
        )
    data = file.read_bytes()
    kind = _kind(data)
    if kind is None:
        raise UsageError(
            f"the report logo {path!r} is not an SVG, PNG or JPEG image",
            parameter="report_logo",
            value=path,
            fix=fix,
        )
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
