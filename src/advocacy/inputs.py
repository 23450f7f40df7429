"""What callers name of the input side: bounded input, the writable kinds, the mapping file.

>>> from advocacy.inputs import InputLimits, parse_json
>>> parse_json(b'[{"response_id": "r1", "nps": 9}]', InputLimits())
[{'response_id': 'r1', 'nps': 9}]

The operations themselves are the workspace's (``ws.import_file``, ``ws.write_records``); this
module names, for the CLI, the web app and notebooks, the types and pure helpers around them,
so that they need not import :mod:`advocacy.ingest`:

- :class:`InputLimits`, the limits of one request (body bytes, records per batch, characters
  per text, JSON nesting; the ``max_*`` settings), with :func:`parse_json` to read a body under
  them, :func:`too_long` for the error of a text over them and :func:`preview` to quote a
  refused value;
- :data:`WRITABLE_KINDS`, the kinds ``ws.write_records`` (and so ``POST /api/v1/<kind>``)
  accepts, and :class:`WriteResult`, what a write returns;
- :class:`MappingFile`, the keys a column-mapping file may hold (``docs/import.md`` is
  generated from it), and :data:`SOURCES`, the survey tools ``ws.import_file`` recognises.

Each name is imported on first use (PEP 562), as the namespace modules' are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.ingest.formats import SOURCES
    from advocacy.ingest.limits import InputLimits, parse_json, preview, too_long
    from advocacy.ingest.mapping_keys import MappingFile
    from advocacy.ingest.records import WRITABLE_KINDS, WriteResult

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "InputLimits": "advocacy.ingest.limits",
    "MappingFile": "advocacy.ingest.mapping_keys",
    "parse_json": "advocacy.ingest.limits",
    "preview": "advocacy.ingest.limits",
    "SOURCES": "advocacy.ingest.formats",
    "too_long": "advocacy.ingest.limits",
    "WRITABLE_KINDS": "advocacy.ingest.records",
    "WriteResult": "advocacy.ingest.records",
}

__all__ = [
    "SOURCES",
    "WRITABLE_KINDS",
    "InputLimits",
    "MappingFile",
    "WriteResult",
    "parse_json",
    "preview",
    "too_long",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
