"""The one settings table: :class:`Settings`, a typed object built once, read by everything.

A setting comes, in order of precedence, from an explicit argument, the environment variable
``ADVOCACY_<NAME>`` (upper case), the ``[advocacy]`` table of ``advocacy.toml`` in the working
directory, and finally its default. Secrets are only ever read from the environment.

Each field of :class:`Settings` is a setting: its type, default and help (``description``);
``docs/settings.md``, the CLI's options and the config file are all read from these fields, so a
setting is added by adding a field here and nowhere else. ``advocacy.open(..., settings=...)``
takes one; without it the workspace builds one with :meth:`Settings.load`, and ``ws.settings``
is the object in use. Code that has no workspace at hand reads :func:`current_settings`, which
builds the object once for the working directory and environment and rebuilds it only when they
(or the config file) change.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from advocacy.config_files import Document, file_error, parse_toml, read_text, validate
from advocacy.errors import UsageError

__all__ = [
    "CONFIG_FILE",
    "SETTINGS",
    "SETTINGS_BY_NAME",
    "Setting",
    "Settings",
    "current_settings",
]

CONFIG_FILE = "advocacy.toml"
PREFIX = "ADVOCACY_"


def _secret(description: str) -> Any:
    return Field("", description=description, json_schema_extra={"secret": True})


class Settings(BaseModel):
    """Every setting of advocacy, typed; build one with :meth:`load`.

    Each field is one setting; its ``description`` is the help the CLI, the config file and the
    docs show (the settings table), so the fields are not repeated here.

    Examples
    --------
    >>> settings = Settings()
    >>> settings.confidence, settings.updated(min_n=50).min_n
    (0.95, 50)
    >>> settings = Settings.load()  # doctest: +SKIP
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    db: str = Field(
        "advocacy.duckdb", description="workspace URL: a DuckDB file path or postgresql://..."
    )
    timezone: str = Field(
        "UTC",
        description="time zone assumed for imported timestamps that carry none, and whose days "
        "--as-of dates and purchase days are (IANA name, e.g. Europe/Berlin)",
    )
    confidence: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.95, description="confidence level of every interval"
    )
    min_n: int = Field(
        30, description="below this many responses a score is flagged 'too few responses'"
    )
    nps_interval: str = Field(
        "adjusted-wald", description="NPS interval method: adjusted-wald or wald"
    )
    correction: str = Field("holm", description="multiple-comparison correction: holm, bh or none")
    import_chunk_rows: int = Field(200_000, description="rows validated per chunk during an import")
    secret_key: str = _secret(
        "key that signs hosted-survey links (set a long random value; links break if it changes)"
    )
    public_url: str = Field(
        "http://127.0.0.1:8000",
        description="address customers reach the server at, used in survey links and notifications",
    )
    contact_guard_days: int = Field(
        30, description="days before the same customer may be invited again"
    )
    survey_link_days: int = Field(30, description="days a survey link stays valid")
    smtp_host: str = Field("", description="SMTP server for case e-mails (empty: e-mail is off)")
    smtp_port: int = Field(587, description="SMTP server port")
    smtp_user: str = Field("", description="SMTP user name (empty: no login)")
    smtp_password: str = _secret("SMTP password")
    smtp_starttls: bool = Field(True, description="upgrade the SMTP connection with STARTTLS")
    smtp_from: str = Field("advocacy@localhost", description="sender address of case e-mails")
    webhook_urls: str = Field(
        "",
        description="comma-separated URLs that receive case events as signed JSON (empty: "
        "webhooks are off)",
    )
    webhook_secret: str = _secret("key that signs webhook bodies (HMAC-SHA256)")
    notify_max_attempts: int = Field(
        8, description="delivery attempts before a message is given up"
    )
    pool_size: int = Field(
        20,
        description="most connections to a PostgreSQL workspace the server keeps in its pool, "
        "shared by all requests (a request waits for a free one, at most 30 s: then 503)",
    )
    page_staleness_seconds: float = Field(
        5.0,
        description="seconds a web page may show figures computed before the latest writes, "
        "while newer ones are computed in the background (longer only while the server is "
        "behind and a refresh is on its way); the page then says when its figures are from "
        "(0: pages always wait for fresh figures; the API is always fresh)",
    )
    max_body_bytes: int = Field(
        1_000_000,
        description="largest request body the server reads, in bytes (larger: refused with 413 "
        "before it is read)",
    )
    max_upload_bytes: int = Field(
        200_000_000,
        description="largest file the server's import takes (the Import page, POST "
        "/api/v1/imports), in bytes; it is streamed to a temporary file, never held in memory",
    )
    max_batch_records: int = Field(
        10_000, description="records one API write may carry (more: 422)"
    )
    max_text_chars: int = Field(
        20_000,
        description="longest text one field of an API write or form may hold, in characters "
        "(longer: 422)",
    )
    max_json_depth: int = Field(
        32,
        description="deepest nesting of arrays and objects a JSON request body may have "
        "(deeper: 422)",
    )
    throttle_seconds: int = Field(
        600,
        description="window of the request limits below: each allows its number of requests "
        "per window, regained evenly over it",
    )
    survey_answers_per_client: int = Field(
        10,
        description="answers one client address may send to anonymous survey links per window "
        "(more: 429)",
    )
    survey_answers_per_survey: int = Field(
        1_200,
        description="answers one survey's anonymous link takes from all clients per window "
        "(more: 429)",
    )
    sign_in_attempts_per_client: int = Field(
        100,
        description="sign-in attempts one client address may make per window, right or wrong "
        "(more: 429; failed attempts are also slowed down per user name)",
    )
    forwarded_allow_ips: str = Field(
        "",
        description="comma-separated addresses of reverse proxies whose X-Forwarded-For names "
        "the client (empty: trust no proxy; '*' trusts every sender)",
    )
    case_teams: str = Field(
        "",
        description="comma-separated team names cases may be assigned to besides users (e.g. "
        "billing,returns)",
    )
    report_title: str = Field(
        "Customer advocacy assessment", description="title on the report's cover (--title)"
    )
    report_client: str = Field(
        "", description="client or company the report is for, on its cover (empty: none)"
    )
    report_logo: str = Field(
        "",
        description="logo on the report's cover: path to an SVG, PNG or JPEG file of at most "
        "1 MB (empty: the title alone)",
    )
    text_model: str = Field(
        "static",
        description="text model for sentiment and emotion: static (shipped) or "
        "package.module:factory (your own Embedder, calibrated on the workspace's labels)",
    )
    text_workers: int = Field(
        0,
        description="processes text analyze reads texts and fits its calibration on, for more "
        "than 500 texts (0: the cores available to it; 1: one process; same results for any)",
    )
    model_cache: str = Field(
        "",
        description="folder where the language detector's model and the text model's vectors "
        "are kept unpacked between runs (about 100 MB, written once per model; empty: "
        "$XDG_CACHE_HOME/advocacy or ~/.cache/advocacy; off: unpacked in memory by every "
        "process, about 0.9 CPU s more). A model's folder no run has used for 30 days (an "
        "upgrade leaves the old one behind) is removed by the next run that reads the cache. "
        "To clear it by hand, delete its `py3langid-tables-*` and `static-vectors-*` folders "
        "(the default folder may go whole: rm -r ~/.cache/advocacy); the next run writes them "
        "again",
    )

    @classmethod
    def load(
        cls,
        *,
        directory: str | Path | None = None,
        environ: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> Settings:
        """Settings from ``overrides`` (None: not given), the environment and the config file.

        Parameters
        ----------
        directory
            Where ``advocacy.toml`` is looked for (default: the working directory).
        environ
            The environment (default: ``os.environ``).
        **overrides
            Explicit values, e.g. ``confidence=0.9`` from a command's option; ``None`` means
            not given.

        Raises
        ------
        UsageError
            For a value of the wrong type, an unknown or secret setting in the config file
            (naming its line), or an unknown override.
        """
        unknown = sorted(set(overrides) - set(cls.model_fields))
        if unknown:
            raise UsageError(
                f"unknown setting {unknown[0]!r}",
                parameter=unknown[0],
                fix="known settings: " + ", ".join(cls.model_fields),
            )
        values, written = _file_values(Path(directory) if directory is not None else Path.cwd())
        environment = os.environ if environ is None else environ
        sources = dict.fromkeys(values, "file")
        for name in cls.model_fields:
            if PREFIX + name.upper() in environment:
                values[name] = environment[PREFIX + name.upper()]
                sources[name] = "environment"
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
                sources[name] = "argument"
        return _checked(cls, values, sources, written)

    def updated(self, **values: Any) -> Settings:
        """A copy with ``values`` (explicit arguments; ``None``: not given), checked."""
        given = {name: value for name, value in values.items() if value is not None}
        if not given:
            return self
        return _checked(
            type(self), {**self.model_dump(), **given}, dict.fromkeys(given, "argument")
        )


def _checked(
    model: type[Settings],
    values: dict[str, Any],
    sources: dict[str, str],
    written: Document | None = None,
) -> Settings:
    try:
        return validate(model, Document(values, ""), error=UsageError)
    except UsageError as error:
        name = str(error.column)
        variable = PREFIX + name.upper()
        if sources.get(name) == "file" and written is not None:
            raise file_error(
                UsageError,
                written.source,
                f"advocacy.{name}",
                error.message.removeprefix(f"{name}: "),
                f"write it like: {name} = {model.model_fields[name].default!r}",
                error.value,
                line=written.line(f"advocacy.{name}"),
                column=name,
                parameter=name,
            ) from None
        where = f" (from {variable})" if sources.get(name) == "environment" else ""
        default = model.model_fields[name].default if name in model.model_fields else None
        raise UsageError(
            f"setting {error.message}{where}",
            value=error.value,
            parameter=name,
            fix=f"set {variable} to a value like {default!r}",
        ) from None


#: The settings the config file may hold: every one but the secrets.
_FileSettings = create_model(  # type: ignore[call-overload]
    "FileSettings",
    __config__=ConfigDict(extra="forbid"),
    **{
        name: (Any, None)
        for name, info in Settings.model_fields.items()
        if not (info.json_schema_extra or {}).get("secret")  # type: ignore[union-attr]
    },
)


class _ConfigFile(BaseModel):
    model_config = ConfigDict(extra="allow")

    advocacy: _FileSettings = Field(  # type: ignore[valid-type]
        default_factory=dict, examples=["advocacy: {confidence: 0.9}"]
    )


def _file_values(directory: Path) -> tuple[dict[str, Any], Document | None]:
    path = directory / CONFIG_FILE
    if not path.exists():
        return {}, None
    document = parse_toml(read_text(path, what="config file"), source=str(path), error=UsageError)
    try:
        table: BaseModel = validate(_ConfigFile, document, error=UsageError).advocacy
    except UsageError as error:
        secret = str(error.column).removeprefix("advocacy.")
        if secret in SETTINGS_BY_NAME and SETTINGS_BY_NAME[secret].secret:
            error.message = error.message.replace(
                "unknown key", "a secret may not live in the config file"
            )
            error.fix = f"set it as the environment variable {PREFIX}{secret.upper()}"
        raise
    values = {name: value for name, value in table.model_dump().items() if value is not None}
    return values, document


@dataclass(frozen=True)
class Setting:
    """One row of the settings table (``docs/settings.md``)."""

    name: str
    default: Any
    help: str
    secret: bool = False

    @property
    def environment_variable(self) -> str:
        return PREFIX + self.name.upper()

    @property
    def kind(self) -> str:
        """The setting's type in words: text, whole number, number or true/false."""
        kinds = {bool: "true/false", int: "whole number", float: "number", str: "text"}
        return kinds[type(self.default)]


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(
        name,
        info.default,
        info.description or "",
        bool((info.json_schema_extra or {}).get("secret")),  # type: ignore[union-attr]
    )
    for name, info in Settings.model_fields.items()
)
SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}

_current: dict[tuple[Any, ...], Settings] = {}


def current_settings(**overrides: Any) -> Settings:
    """The settings of the working directory and environment, built once for them.

    The object is rebuilt only when the working directory, an ``ADVOCACY_*`` variable or the
    config file changes, so reading a setting is an attribute access, not a file read.
    ``overrides`` are explicit arguments (``confidence=0.9``; ``None``: not given).
    """
    directory = Path.cwd()
    path = directory / CONFIG_FILE
    try:
        stamp: tuple[int, int] | None = (path.stat().st_mtime_ns, path.stat().st_size)
    except OSError:
        stamp = None
    variables = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(PREFIX)))
    key = (directory, stamp, variables)
    found = _current.get(key)
    if found is None:
        found = Settings.load(directory=directory)
        _current.clear()  # one configuration at a time
        _current[key] = found
    return found.updated(**overrides)
