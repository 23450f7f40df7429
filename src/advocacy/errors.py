"""The typed errors advocacy raises, each carrying the context a user needs to fix the problem.

Every message says what was wrong, the bad value, what is allowed, and the fix. The CLI prints
``str(error)`` as one line; the web app answers with each class's ``status_code``.
"""

from __future__ import annotations

from typing import Any


class AdvocacyError(Exception):
    """Base class of every error advocacy raises on purpose.

    ``exit_code`` is what the CLI exits with; ``status_code`` is the HTTP status the web app
    answers with (500 unless a subclass says what the client did wrong).

    Parameters
    ----------
    message
        What was wrong, in words the user understands.
    fix
        What the user can do about it.
    file, row, column
        Where in the user's file the problem is.
    value
        The offending value.
    table
        The workspace table concerned.
    parameter
        The function parameter or CLI option at fault.

    Attributes
    ----------
    exit_code : int
        The CLI's exit status for this error (2 for usage errors, 1 otherwise).
    status_code : int
        The HTTP status the web app answers with.

    Examples
    --------
    >>> error = AdvocacyError("no column 'nps'", file="survey.csv", fix="map a column to nps")
    >>> print(error)
    survey.csv: no column 'nps'; fix: map a column to nps
    >>> error.to_dict()["file"], error.exit_code, error.status_code
    ('survey.csv', 1, 500)
    """

    exit_code = 1
    status_code = 500

    def __init__(
        self,
        message: str,
        *,
        fix: str | None = None,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        table: str | None = None,
        parameter: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.table = table
        self.parameter = parameter

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(str(self.file))
        # A hand-written file's errors say "line 4: trigger: ..." themselves (config_files).
        if self.row is not None:
            located = self.message.startswith(f"line {self.row}: ")
        else:
            located = self.message.partition(": ")[0].endswith(str(self.column))
        if self.row is not None and not located:
            where.append(f"row {self.row}")
        if self.column is not None and not located:
            where.append(f"column {self.column!r}")
        text = (": ".join([", ".join(where), self.message])) if where else self.message
        if self.value is not None and repr(self.value) not in text:
            text += f" (value {self.value!r})"
        if self.fix:
            text += f"; fix: {self.fix}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape used by the CLI's JSON output and the web API."""
        fields = {
            "error": type(self).__name__,
            "message": self.message,
            "fix": self.fix,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "table": self.table,
            "parameter": self.parameter,
        }
        return {key: value for key, value in fields.items() if value is not None}


class UsageError(AdvocacyError):
    """A command or function was called with an option or argument that cannot work.

    Examples
    --------
    >>> error = UsageError("confidence must be below 1", parameter="confidence", value=1.5)
    >>> print(error)
    confidence must be below 1 (value 1.5)
    >>> error.exit_code, error.status_code
    (2, 400)
    """

    exit_code = 2
    status_code = 400


class InputError(AdvocacyError):
    """A file the user gave us cannot be read or understood as a whole.

    Examples
    --------
    >>> error = InputError("cannot read survey.xlsx: not a zip file", file="survey.xlsx")
    >>> print(error)
    survey.xlsx: cannot read survey.xlsx: not a zip file
    >>> error.status_code
    422
    """

    status_code = 422


class ValidationError(InputError):
    """A row of an import broke a rule (with --strict, the whole file is rejected).

    Examples
    --------
    >>> error = ValidationError("nps must be 0-10", file="s.csv", row=4, column="nps", value=11)
    >>> print(error)
    s.csv, row 4, column 'nps': nps must be 0-10 (value 11)
    >>> isinstance(error, InputError)
    True
    """


class MappingError(InputError):
    """A mapping file is malformed or maps to fields that do not exist.

    Examples
    --------
    >>> print(MappingError("unknown field 'npss'", file="mapping.yaml", fix="use nps"))
    mapping.yaml: unknown field 'npss'; fix: use nps
    """


class WorkspaceError(AdvocacyError):
    """The workspace database cannot be opened or used.

    Examples
    --------
    >>> print(WorkspaceError("database is locked", fix="close the other advocacy process"))
    database is locked; fix: close the other advocacy process
    """


class SchemaVersionError(WorkspaceError):
    """The workspace was written by a newer advocacy than this one.

    Examples
    --------
    >>> error = SchemaVersionError("workspace schema 9 is newer than 7", fix="upgrade advocacy")
    >>> isinstance(error, WorkspaceError), error.status_code
    (True, 500)
    """


class NotFoundError(AdvocacyError):
    """A named table, record or analysis does not exist."""

    status_code = 404


class InsufficientDataError(AdvocacyError):
    """An analysis was asked for on data too small or too incomplete to support it."""

    status_code = 422


class RedactionError(WorkspaceError):
    """Personal data could not be redacted (the workspace's identities are unreadable), so the
    text that needed redacting is refused rather than shown as it is."""

    # Refused output (identities unreadable) is a server condition, not the caller's fault.
    status_code = 503


class RequestTooLargeError(InputError):
    """A request body is larger than the server accepts (``max_body_bytes``)."""

    status_code = 413


class RateLimitedError(AdvocacyError):
    """Too many requests from one client (or to one survey) in a short time.

    ``retry_after`` is the number of whole seconds to wait (sent as ``Retry-After``).
    """

    status_code = 429

    def __init__(self, message: str, *, retry_after: int = 1, **context: Any) -> None:
        super().__init__(message, **context)
        self.retry_after = retry_after


class StorageUnavailableError(WorkspaceError):
    """The database cannot take requests for now: a full disk, or a connection that failed.

    The server answers 503 and reconnects by itself once the cause is gone; nothing
    acknowledged is lost. ``retry_after`` is a hint in seconds.
    """

    status_code = 503

    def __init__(self, message: str, *, retry_after: int = 5, **context: Any) -> None:
        super().__init__(message, **context)
        self.retry_after = retry_after


class ParquetSourceError(WorkspaceError):
    """A folder of Parquet tables read on Spark was asked for what only a workspace database
    holds or does: SQL, writes, or the work tables of the closed loop (cases, plans, users).

    Examples
    --------
    >>> error = ParquetSourceError("cases are not in a Parquet source", fix="use --db")
    >>> isinstance(error, WorkspaceError), error.exit_code
    (True, 1)
    """
