"""Redaction of unmapped source columns (``attrs``): respondent data survey tools add.

Survey tools export columns about the respondent that the free-text redactor
(:class:`~advocacy.text.pii.Redactor`) cannot recognise from the value alone: an IP address, a
GPS position, a street address, a date of birth, a user name. They land in ``attrs`` when no
canonical column takes them. :func:`redact_attributes` masks such a column wholly by its name
(:func:`personal_key_mask`), masks IP addresses wherever they stand in a value (a
``X-Forwarded-For`` list, "logged from 8.8.8.8"), and sends every other value through the
redactor (e-mails, phones, cards, postcodes and names inside it).

Columns are matched by name, compared without case, spaces or punctuation. A name that is also
an ordinary word of a question ("address", "handle", "login") counts only at the end of the
column name ("Street address", "Twitter handle", "What is your address?"), so "Did we address
your issue?" keeps its answers; "Mobile" and "Cell" are masked only when the value looks like a
phone number ("Mobile: yes" is an answer).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from advocacy.text.pii.ip_addresses import IP_LABEL

if TYPE_CHECKING:
    from advocacy.text.pii import Redactor

__all__ = [
    "PERSONAL_KEYS",
    "personal_key_mask",
    "redact_attributes",
]

_RECIPIENT = r"(?:recipient|respondent|contact|customer|user)?"
#: Masks by the name of an unmapped column (lower case, letters and digits only; a Qualtrics
#: ``Q_`` prefix taken off), first match wins: an ``IP address`` is an IP, not an address.
PERSONAL_KEYS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        IP_LABEL,
        re.compile(
            r"^(?:ip|ipaddr|ipaddress|ipv[46]|clientip|remoteaddr(?:ess)?|xforwardedfor|"
            r"forwardedfor|xrealip)$"
        ),
    ),
    ("[email]", re.compile(rf"^{_RECIPIENT}e?mail(?:address)?\d*$")),
    (
        "[phone]",
        re.compile(
            rf"^{_RECIPIENT}(?:tele|cell|mobile|home|work)?phone(?:number)?\d*$"
            r"|^(?:mobile|cell)(?:phone)?number\d*$"
        ),
    ),
    ("[username]", re.compile(r"username|screenname|^userid\d*$|(?:login|handle)\d*$")),
    (
        "[name]",
        re.compile(rf"^{_RECIPIENT}(?:first|last|full|given|sur|middle)?name\d*$"),
    ),
    ("[date of birth]", re.compile(r"birth|^dob\d*$")),
    (
        "[location]",
        re.compile(
            r"^(?:location|geo|gps)?(?:latitude|longitude|lat|lon|long|lng)\d*$"
            r"|^(?:geo|gps)(?:location|position|point|coordinates)?$|latlo?ng|coordinates"
        ),
    ),
    (
        "[address]",
        re.compile(r"(?:address(?:line)?|street|postcode|postalcode|zip(?:code)?)\d*$"),
    ),
    ("[contact]", re.compile(r"^(?:contact|recipient)\d*$")),
    # SurveyMonkey's custom variables hold whatever the sender passed: e-mail, name, id.
    ("[custom data]", re.compile(r"^customdata\d*$|^customvariable\d*$")),
    ("[reference]", re.compile(r"^external(?:data)?ref(?:erence)?$|^recipientid$")),
)
#: Column names whose value is masked as a phone only when it looks like a phone number.
_PHONE_KEYS = re.compile(r"^(?:mobile|cell|tel|fax)\d*$")
_PHONE_VALUE = re.compile(r"\+?[\d\s().-]{7,40}")


def personal_key_mask(key: str) -> str | None:
    """What replaces the value of an unmapped column named ``key`` wholly, or None.

    Qualtrics ``IPAddress``, ``LocationLatitude``/``LocationLongitude``,
    ``RecipientFirstName``/``RecipientLastName``/``RecipientEmail`` (also ``Q_RecipientEmail``),
    ``ExternalReference`` (legacy ``Name``, ``EmailAddress``, ``ExternalDataReference``);
    SurveyMonkey ``IP Address``, ``Email Address``, ``First Name``, ``Last Name``,
    ``Custom Data 1``; and common respondent columns: ``Username``/``User Name``, ``Twitter
    handle``, ``Street address``, ``Address``, ``Postal Code``/``ZIP``, ``Date of birth``/
    ``DOB``, ``GeoLocation``, ``Lat``/``Long``, ``X-Forwarded-For`` (:data:`PERSONAL_KEYS`).

    >>> [personal_key_mask(key) for key in ("IP Address", "Long", "Q1", "Did we address it")]
    ['[ip]', '[location]', None, None]
    """
    name = re.sub(r"[^a-z0-9]", "", re.sub(r"^[Qq]_", "", key).lower())
    for mask, pattern in PERSONAL_KEYS:
        if pattern.search(name):
            return mask
    return None


def _looks_like_phone(text: str) -> bool:
    return bool(_PHONE_VALUE.fullmatch(text.strip())) and sum(c.isdigit() for c in text) >= 7


def _redact_value(value: Any, redactor: Redactor, key: str = "") -> Any:
    """An unmapped value with personal data replaced: IP addresses, then text and numbers
    through the redactor (a phone number may have been read as a number), containers inside."""
    if isinstance(value, dict):
        return _redact_mapping(value, redactor)
    if isinstance(value, list):
        return [_redact_value(item, redactor) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    text = str(value)
    if _PHONE_KEYS.match(key) and _looks_like_phone(text):
        return "[phone]"
    clean = redactor.redact(text)
    return value if clean == text else clean


def _redact_mapping(data: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, item in data.items():
        mask = personal_key_mask(str(key))
        if mask is not None and item not in (None, ""):
            cleaned[key] = mask
        else:
            name = re.sub(r"[^a-z0-9]", "", str(key).lower())
            cleaned[key] = _redact_value(item, redactor, name)
    return cleaned


def redact_attributes(value: Any, redactor: Redactor) -> str | None:
    """A JSON object of unmapped columns (text or parsed) with personal data replaced.

    Parameters
    ----------
    value
        The stored ``attrs`` (JSON text or a mapping); None stays None.
    redactor
        The workspace's redactor, for the values not masked by their column's name.

    Returns
    -------
    str or None
        The object as JSON text, keys and order kept.
    """
    if value is None:
        return None
    data = json.loads(value) if isinstance(value, str) else value
    if not isinstance(data, dict):
        return redactor.redact(str(value))
    return json.dumps(_redact_mapping(data, redactor), ensure_ascii=False)
