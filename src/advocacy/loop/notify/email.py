"""Case e-mails: an outbox message rendered as plain text and simple HTML, sent over SMTP.

Case e-mails go to internal staff (case owners, escalation contacts), yet they still carry as
little personal data as the work needs: the customer id and a link to the case page (setting
``public_url`` + ``/cases/<id>``), never the customer's e-mail address or phone number, and any
free text (the comment, a summary) passed through :func:`advocacy.text.pii.redact`.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import jinja2

from advocacy.loop.notify.outbox import DeliveryError, Message, safe_payload
from advocacy.settings import Settings

#: Seconds an SMTP connection or command may take.
TIMEOUT_SECONDS = 20.0
#: Case fields shown in a case e-mail, in this order, with their labels.
CASE_FIELDS = (
    ("case_id", "Case"),
    ("customer_id", "Customer"),
    ("status", "Status"),
    ("priority", "Priority"),
    ("owner", "Owner"),
    ("unit", "Unit"),
    ("touchpoint", "Touchpoint"),
    ("theme", "Theme"),
    ("rule", "Rule"),
    ("rule_id", "Rule id"),
    ("due_at", "Due"),
    ("escalation_level", "Escalation level"),
    ("summary", "Summary"),
    ("comment", "Comment"),
)
DEFAULT_SUBJECTS = {
    "case.opened": "New case",
    "case.escalated": "Case escalated",
    "case.closed": "Case closed",
    "digest.daily": "Daily digest",
    "test": "Test e-mail",
}

SmtpFactory = Callable[..., smtplib.SMTP]


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send e-mail; :meth:`from_settings` reads the ``smtp_*`` settings."""

    host: str
    port: int = 587
    user: str = ""
    password: str = ""
    starttls: bool = True
    sender: str = "advocacy@localhost"
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSettings:
        """The ``smtp_*`` settings of ``settings`` (a workspace's ``ws.settings``)."""
        return cls(
            host=settings.smtp_host.strip(),
            port=settings.smtp_port,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            sender=settings.smtp_from,
        )

    def __repr__(self) -> str:  # never show the password
        return f"SmtpSettings(host={self.host!r}, port={self.port}, user={self.user!r})"


def case_url(case_id: str, *, public_url: str) -> str:
    """The case page's address under ``public_url`` (the setting of that name)."""
    return f"{public_url.rstrip('/')}/cases/{case_id}"


def subject_of(message: Message) -> str:
    """The subject line: the message's own, else one made from the event."""
    if message.subject:
        return message.subject
    default = DEFAULT_SUBJECTS.get(message.event, message.event)
    case_id = message.payload.get("case_id")
    return f"[advocacy] {default}" + (f" {case_id}" if case_id else "")


def _case_lines(case: Mapping[str, Any], public_url: str) -> list[tuple[str, str]]:
    lines = [(label, str(case[key])) for key, label in CASE_FIELDS if case.get(key) is not None]
    if case.get("case_id"):
        lines.append(("Open", case_url(str(case["case_id"]), public_url=public_url)))
    return lines


def _digest_sections(payload: Mapping[str, Any]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    return [
        (title, list(payload.get(key) or []))
        for key, title in (
            ("escalated", "Newly escalated"),
            ("overdue", "Overdue"),
            ("open", "Open"),
        )
    ]


#: The event of an ask campaign's e-mail to a customer (:mod:`advocacy.loop.asks.sending`).
ASK_EVENT = "ask.sent"
#: How an ask e-mail names each of its links.
ASK_LINK_LABELS = {"landing": "Invite a friend"}


def _ask_links(payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        (ASK_LINK_LABELS.get(key, key), str(value))
        for key, value in sorted(payload.items())
        if key != "message"
    ]


def _ask_lines(payload: Mapping[str, Any]) -> list[str]:
    return [f"{label}: {url}" for label, url in _ask_links(payload)]


def render_text(message: Message, *, public_url: str) -> str:
    """The plain-text body of ``message``."""
    payload = safe_payload(message.payload)
    if message.event == ASK_EVENT:  # to a customer: the company's words and their links only
        return "\n".join([str(payload.get("message") or ""), "", *_ask_lines(payload)]) + "\n"
    out = [subject_of(message), ""]
    if message.event == "digest.daily":
        headline = payload.get("headline") or {}
        out.append(f"Cases by status: {headline.get('by_status', {})}")
        out.append(f"Overdue: {headline.get('overdue', 0)}")
        for title, cases in _digest_sections(payload):
            out.extend(["", f"{title} ({len(cases)})"])
            for case in cases:
                link = case_url(str(case.get("case_id")), public_url=public_url)
                due = case.get("due_at") or ""
                out.append(f"- {case.get('case_id')} {case.get('status', '')} due {due}: {link}")
    elif "case_id" in payload:
        width = max(len(label) for label, _ in CASE_FIELDS) + 1
        out.extend(
            f"{label + ':':<{width}} {value}" for label, value in _case_lines(payload, public_url)
        )
    else:
        out.extend(f"{key}: {value}" for key, value in sorted(payload.items()))
    out.extend(["", "-- ", "advocacy: sent because you own or follow these cases."])
    return "\n".join(out) + "\n"


#: The HTML body, escaped throughout: case fields and summaries are user text.
_HTML = jinja2.Environment(
    loader=jinja2.PackageLoader("advocacy.loop.notify", "templates"), autoescape=True
).get_template("email.html.j2")


def render_html(message: Message, *, public_url: str) -> str:
    """The HTML body of ``message``: the same content as :func:`render_text`, escaped."""
    payload = safe_payload(message.payload)
    context: dict[str, Any] = {"subject": subject_of(message), "sections": None}
    if message.event == "digest.daily":
        headline = payload.get("headline") or {}
        context["by_status"] = list((headline.get("by_status") or {}).items())
        context["overdue"] = headline.get("overdue", 0)
        context["sections"] = [
            (
                title,
                [
                    {
                        "case_id": case.get("case_id"),
                        "status": case.get("status", ""),
                        "due_at": case.get("due_at") or "",
                        "url": case_url(str(case.get("case_id")), public_url=public_url),
                    }
                    for case in cases
                ],
            )
            for title, cases in _digest_sections(payload)
        ]
    elif message.event == ASK_EVENT:
        context["rows"] = [("", str(payload.get("message") or ""), False)] + [
            (label, url, True) for label, url in _ask_links(payload)
        ]
    else:
        rows = (
            _case_lines(payload, public_url)
            if "case_id" in payload
            else [(key, str(value)) for key, value in sorted(payload.items())]
        )
        context["rows"] = [(label, value, label == "Open") for label, value in rows]
    return _HTML.render(context)


def build_email(message: Message, *, sender: str, public_url: str) -> EmailMessage:
    """The e-mail for outbox ``message``: plain text with an HTML alternative.

    Parameters
    ----------
    message
        An outbox message of channel ``email`` (its destination is the recipient).
    sender
        The From address (setting ``smtp_from``).
    public_url
        Base of case links (setting ``public_url``).
    """
    email = EmailMessage()
    email["Subject"] = subject_of(message)
    email["From"] = sender
    email["To"] = message.destination
    email["Date"] = formatdate(message.created_at.timestamp(), usegmt=True)
    email["Message-ID"] = make_msgid(idstring=message.message_id, domain="advocacy")
    email["X-Advocacy-Event"] = message.event
    email.set_content(render_text(message, public_url=public_url))
    email.add_alternative(render_html(message, public_url=public_url), subtype="html")
    return email


def send_email(
    email: EmailMessage,
    *,
    settings: SmtpSettings,
    smtp_factory: SmtpFactory = smtplib.SMTP,
) -> None:
    """Send ``email`` over SMTP (STARTTLS and login as configured).

    Parameters
    ----------
    email
        The message, with its recipients in ``To``.
    settings
        Server and credentials (:meth:`SmtpSettings.from_settings` of the ``smtp_*`` settings).
    smtp_factory
        Makes the connection: called as ``smtp_factory(host, port, timeout=...)``; tests and
        deployments may pass :class:`smtplib.SMTP_SSL` or another compatible class.

    Raises
    ------
    DeliveryError
        When e-mail is not configured, the server cannot be reached, or it refuses the message.
    """
    if not settings.host:
        raise DeliveryError(
            "e-mail is off: setting smtp_host is empty",
            parameter="smtp_host",
            fix="set ADVOCACY_SMTP_HOST (and smtp_port, smtp_user, ...) to your mail server",
        )
    where = f"{settings.host}:{settings.port}"
    try:
        with smtp_factory(settings.host, settings.port, timeout=settings.timeout) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password)
            smtp.send_message(email)
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryError(
            f"SMTP server {where} refused recipient(s) {sorted(error.recipients)}",
            value=email["To"],
            fix="check the recipient's address",
        ) from None
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(
            f"SMTP server {where} refused the login: {error.smtp_code} {error.smtp_error!r}",
            parameter="smtp_user",
            fix="check ADVOCACY_SMTP_USER and ADVOCACY_SMTP_PASSWORD",
        ) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(
            f"cannot send e-mail through {where}: {type(error).__name__}: {error}",
            parameter="smtp_host",
            fix="check smtp_host, smtp_port and smtp_starttls, and that the server runs",
        ) from None
