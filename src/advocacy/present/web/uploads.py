"""Files uploaded to the server's import: kept under a temporary folder, imported by the workspace.

The Import page and ``POST /api/v1/imports`` both end in :func:`import_upload`, which calls
``ws.import_file`` (one transaction: the rows, the ledger, the quarantine and the audit entry
commit together or not at all) on the uploaded file, saved under a fixed name in a folder of its
own. The client's file name is never a path on the server: :func:`upload_name` keeps its last
part, without control characters and at most :data:`NAME_CHARS` long, and that is what the
result, the import ledger and any error show (templates escape it like every other text).

Between the page's preview (a dry run) and the import the user then confirms, the upload waits
in :class:`UploadStore`, under a random token and for the user who sent it only, at most
:data:`KEPT_SECONDS`, and at most :data:`KEPT_UPLOADS` of them at once (the oldest goes first).
When several processes serve the workspace (``advocacy serve --workers N``) the upload waits in a
folder they share, named by its token with what it is written beside it, so the confirmation may
reach another process; the one that takes it first renames the folder, so it is imported once.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fastapi import Request

from advocacy.errors import AdvocacyError, NotFoundError
from advocacy.namespaces.cases import CASES_AT_ONCE
from advocacy.present.web.dashboards import start_warm_up
from advocacy.present.web.state import WebState

if TYPE_CHECKING:
    from advocacy.importer import ImportResult

#: Longest file name kept of an upload (the rest of a longer one is cut, its extension kept).
NAME_CHARS = 120
#: How long an upload waits for its import after the preview.
KEPT_SECONDS = 3600.0
#: Uploads waiting at once, over all users.
KEPT_UPLOADS = 32


def upload_name(filename: str | None) -> str:
    """The name of an uploaded file, safe to record and show.

    Parameters
    ----------
    filename
        The name the client sent (any text: a path, markup, control characters, a megabyte),
        with a quote, CR and LF as %22, %0D and %0A, as browsers send them.

    Returns
    -------
    str
        Its last path part, without control or unpaired surrogate characters, cut to
        :data:`NAME_CHARS` with the extension kept; ``upload`` when nothing is left.

    Examples
    --------
    >>> upload_name("C:\\\\Users\\\\ana\\\\..\\\\survey.csv")
    'survey.csv'
    >>> upload_name("../../etc/passwd\\x00.csv")
    'passwd.csv'
    """
    # Browsers (and httpx) send a quote, CR and LF in a multipart file name as %22, %0D, %0A.
    text = (filename or "").replace("%22", '"').replace("%0D", "\r").replace("%0A", "\n")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()
    if not text or text in (".", ".."):
        return "upload"
    if len(text) > NAME_CHARS:
        suffix = _suffix(text)
        text = text[: NAME_CHARS - len(suffix) - 1] + "…" + suffix
    return text


def _suffix(name: str) -> str:
    """The extension of ``name`` when it looks like one (``.csv``), else nothing."""
    suffix = Path(name).suffix.lower()
    return suffix if 1 < len(suffix) <= 10 and suffix[1:].isalnum() else ""


def save(data: IO[bytes], folder: Path, name: str, *, stem: str = "upload") -> Path:
    """Copy the stream ``data`` into ``folder`` as ``stem`` plus ``name``'s extension."""
    path = folder / (stem + _suffix(name))
    with path.open("wb") as out:
        shutil.copyfileobj(data, out, 1 << 20)
    return path


@dataclass(frozen=True)
class ImportRequest:
    """What to do with an uploaded file: the options of ``advocacy import``."""

    kind: str
    source: str = "auto"
    strict: bool = False
    #: Run the enabled case rules over the responses or mentions written (as the CLI does).
    cases: bool = True
    #: Evidence dated more than this many days back opens no case (``advocacy import``).
    case_window_days: int = 30
    #: Open every case the rules choose, even more than 500 (``advocacy import --all-cases``).
    all_cases: bool = False


@dataclass(frozen=True)
class Upload:
    """An uploaded file (and its mapping file) saved in ``folder``, waiting for its import."""

    token: str
    owner: str
    name: str
    path: Path
    mapping: Path | None
    mapping_name: str | None
    request: ImportRequest
    kept_at: float

    @property
    def folder(self) -> Path:
        return self.path.parent


def import_upload(
    state: WebState,
    upload: Upload,
    *,
    dry_run: bool,
    actor: str,
) -> ImportResult:
    """Import (or, with ``dry_run``, check) ``upload`` into the served workspace.

    Runs in a worker thread. Errors name the uploaded file, never its temporary path; a real
    import forgets the cached aggregates and starts the warm-up, as an API write does.
    """
    try:
        with state.use:
            result = state.ws.import_file(
                upload.path,
                kind=upload.request.kind,
                source=upload.request.source,
                mapping=upload.mapping,
                strict=upload.request.strict,
                dry_run=dry_run,
                name=upload.name,
                actor=actor,
                cases=upload.request.cases,
                case_window_days=upload.request.case_window_days,
                cases_at_once=None if upload.request.all_cases else CASES_AT_ONCE,
            )
    except AdvocacyError as error:
        raise _renamed(error, upload) from None
    if not dry_run:
        state.wrote()
        start_warm_up(state)
    return result


def _renamed(error: AdvocacyError, upload: Upload) -> AdvocacyError:
    """``error`` with the upload's temporary paths replaced by the names the client sent."""
    names = {str(upload.path): upload.name, str(upload.path.resolve()): upload.name}
    if upload.mapping is not None:
        names[str(upload.mapping)] = upload.mapping_name or "mapping"
        names[str(upload.mapping.resolve())] = upload.mapping_name or "mapping"
    for field in ("message", "fix", "file", "value"):
        text = getattr(error, field)
        if isinstance(text, str):
            for path, name in sorted(names.items(), key=lambda item: -len(item[0])):
                text = text.replace(path, name)
            setattr(error, field, text)
    if isinstance(error.file, str) and str(upload.folder) in error.file:
        error.file = upload.name
    error.args = (error.message,)
    return error


class UploadStore:
    """Uploads waiting between their preview and their import (see the module)."""

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, shared: str | None = None
    ) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._uploads: OrderedDict[str, Upload] = OrderedDict()
        self._root: tempfile.TemporaryDirectory[str] | None = None
        #: The folder shared with the other processes serving the workspace, if any.
        self._shared = Path(shared) if shared else None

    def _folder(self, token: str) -> Path:
        if self._shared is not None:
            folder = self._shared / token
            folder.mkdir()
            return folder
        if self._root is None:
            self._root = tempfile.TemporaryDirectory(prefix="advocacy-uploads-")
        return Path(tempfile.mkdtemp(dir=self._root.name))

    def keep(
        self,
        owner: str,
        request: ImportRequest,
        *,
        name: str | None,
        data: IO[bytes],
        mapping_name: str | None = None,
        mapping: IO[bytes] | None = None,
        wait: bool = True,
    ) -> Upload:
        """Save the upload ``data`` (and its ``mapping`` file) for ``owner``; return it.

        With ``wait`` it waits for :meth:`take`; without, the caller imports it at once and
        :meth:`discard` s it.
        """
        token = secrets.token_urlsafe(18)
        with self._lock:
            folder = self._folder(token)
        try:
            shown = upload_name(name)
            path = save(data, folder, shown)
            mapping_path = None
            shown_mapping = None
            if mapping is not None:
                shown_mapping = upload_name(mapping_name)
                mapping_path = save(mapping, folder, ".yaml", stem="mapping")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload = Upload(
            token=token,
            owner=owner,
            name=shown,
            path=path,
            mapping=mapping_path,
            mapping_name=shown_mapping,
            request=request,
            kept_at=self._clock(),
        )
        if wait:
            if self._shared is not None:
                self._share(upload)
            with self._lock:
                self._uploads[upload.token] = upload
                self._expire()
        return upload

    def _share(self, upload: Upload) -> None:
        """Leave ``upload`` where the other processes find it: its folder named by its token."""
        described: dict[str, Any] = {
            "owner": upload.owner,
            "name": upload.name,
            "path": upload.path.name,
            "mapping": upload.mapping.name if upload.mapping else None,
            "mapping_name": upload.mapping_name,
            "request": {
                "kind": upload.request.kind,
                "source": upload.request.source,
                "strict": upload.request.strict,
                "cases": upload.request.cases,
                "case_window_days": upload.request.case_window_days,
                "all_cases": upload.request.all_cases,
            },
            "kept_at": time.time(),
        }
        (upload.folder / "upload.json").write_text(json.dumps(described), encoding="utf-8")

    def _take_shared(self, token: str, owner: str) -> Upload | None:
        """Claim the upload ``token`` from the shared folder (once, whichever process asks)."""
        if (
            self._shared is None
            or token.startswith("taken-")
            or not token.replace("-", "").replace("_", "").isalnum()
        ):
            return None
        waiting = self._shared / token
        try:
            described = json.loads((waiting / "upload.json").read_text(encoding="utf-8"))
        except OSError:
            return None
        if described["owner"] != owner:
            return None
        folder = self._shared / f"taken-{secrets.token_hex(8)}"
        try:
            os.rename(waiting, folder)
        except OSError:  # another process took it first
            return None
        if time.time() - described["kept_at"] >= KEPT_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return Upload(
            token=token,
            owner=owner,
            name=described["name"],
            path=folder / described["path"],
            mapping=folder / described["mapping"] if described["mapping"] else None,
            mapping_name=described["mapping_name"],
            request=ImportRequest(**described["request"]),
            kept_at=self._clock(),
        )

    def take(self, token: str, owner: str) -> Upload:
        """The upload ``token`` of ``owner``, no longer waiting (the caller discards it)."""
        with self._lock:
            self._expire()
            upload = self._uploads.get(token)
            if upload is not None and upload.owner == owner:
                del self._uploads[token]
        if self._shared is not None:
            # Whichever process took it first (this one, from memory, or another) has it.
            upload = self._take_shared(token, owner)
        if upload is None or upload.owner != owner:
            raise NotFoundError(
                "this upload is no longer waiting for its import (imported already, "
                f"or older than {int(KEPT_SECONDS // 60)} minutes)",
                fix="upload the file again",
            )
        return upload

    def discard(self, upload: Upload) -> None:
        """Delete the upload's files."""
        shutil.rmtree(upload.folder, ignore_errors=True)

    def _expire(self) -> None:
        moment = self._clock()
        while self._uploads:
            oldest = next(iter(self._uploads.values()))
            if len(self._uploads) <= KEPT_UPLOADS and moment - oldest.kept_at < KEPT_SECONDS:
                break
            del self._uploads[oldest.token]
            self.discard(oldest)

    def close(self) -> None:
        """Delete every waiting upload."""
        with self._lock:
            self._uploads.clear()
            if self._root is not None:
                with contextlib.suppress(OSError):
                    self._root.cleanup()
                self._root = None


def upload_store(request: Request) -> UploadStore:
    """The app's :class:`UploadStore`."""
    store: UploadStore = request.app.state.uploads
    return store
