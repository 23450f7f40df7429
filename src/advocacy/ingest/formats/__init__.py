"""Survey-tool adapters: recognise an export's layout and map it onto the canonical model.

Each adapter module has ``detect(raw) -> bool`` and ``adapt(raw, kind) -> Adapted``. With
``source="auto"`` the first adapter that recognises the file and handles the kind is used; the
generic adapter takes everything else.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from advocacy.errors import UsageError
from advocacy.ingest.formats import (
    advocacy_export,
    delighted,
    generic,
    google_forms,
    qualtrics,
    surveymonkey,
    typeform,
)
from advocacy.ingest.headers import header_notes
from advocacy.ingest.raw import Adapted, RawTable
from advocacy.model import Kind

#: Adapters in the order they are tried; specific layouts before looser ones.
ADAPTERS: dict[str, ModuleType] = {
    "advocacy-export": advocacy_export,
    "qualtrics": qualtrics,
    "surveymonkey": surveymonkey,
    "delighted": delighted,
    "typeform": typeform,
    "google-forms": google_forms,
    "generic": generic,
}
SOURCES = ("auto", *ADAPTERS)


def _source_name(name: str) -> str:
    normal = name.strip().lower().replace("_", "-")
    if normal == "qualtrics-legacy":
        return "qualtrics"
    if normal not in SOURCES:
        raise UsageError(
            f"unknown source {name!r}",
            parameter="--source",
            value=name,
            fix="use one of: " + ", ".join(SOURCES),
        )
    return normal


def detect_source(raw: RawTable) -> str:
    """Name the survey tool that exported ``raw``, or ``"generic"``.

    Parameters
    ----------
    raw
        The file as read.

    Returns
    -------
    str
        ``advocacy-export`` (a table exported by advocacy), ``qualtrics``, ``qualtrics-legacy``,
        ``surveymonkey``, ``delighted``, ``typeform``, ``google-forms`` or ``generic``.
    """
    if qualtrics.is_legacy(raw):
        return "qualtrics-legacy"
    for name, module in ADAPTERS.items():
        detector: Callable[[RawTable], bool] = module.detect
        if name != "generic" and detector(raw):
            return name
    return "generic"


def adapt(raw: RawTable, kind: Kind, *, source: str = "auto") -> Adapted:
    """Map ``raw`` onto ``kind`` with the adapter for its source.

    Parameters
    ----------
    raw
        The file as read.
    kind
        The kind imported.
    source
        ``auto`` (detect the survey tool) or an adapter name such as ``qualtrics``.

    Returns
    -------
    Adapted
        The mapping, with detections and notes explaining it.

    Raises
    ------
    UsageError
        For an unknown source, or a named adapter that does not fit the file or the kind.
    """
    name = _source_name(source)
    if name == "auto":
        detected = detect_source(raw)
        name = "qualtrics" if detected == "qualtrics-legacy" else detected
        module = ADAPTERS[name]
        if kind.name not in getattr(module, "KINDS", (kind.name,)):
            # A survey export imported as another kind is read as a plain table.
            name, module = "generic", generic
    else:
        module = ADAPTERS[name]
        if not module.detect(raw):
            raise UsageError(
                f"the file does not look like a {name} export",
                parameter="--source",
                value=source,
                fix=f"check the file, or use --source auto (it looks like {detect_source(raw)})",
            )
    adapter: Callable[[RawTable, Kind], Adapted] = module.adapt
    adapted = adapter(raw, kind)
    # A first line read as a record (the adapter said so in its notes) is no header to doubt.
    headed = bool(raw.header_cells) and adapted.first_data_row >= raw.first_data_row
    top = header_notes(raw.header_cells[0], raw.rows) if headed else []
    adapted.notes = [*raw.notes, *top, *adapted.notes]
    return adapted
