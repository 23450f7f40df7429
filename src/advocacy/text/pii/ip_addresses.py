"""IP addresses in free text: IPv4 and IPv6, with a port or a zone, replaced by ``[ip]``.

An IP address identifies a household or a device as surely as a phone number, and survey tools
put the respondent's in their exports (Qualtrics ``IPAddress``, SurveyMonkey ``IP Address``);
people paste them into support comments too. A run of the characters an address is written in is
found by one character class (linear in the text's length) and checked by
:func:`ipaddress.ip_address`, so times ("08:28:09") and short versions ("v1.2") stay; a
four-part version number ("1.2.3.4") is an address by its shape and is masked.
"""

from __future__ import annotations

import ipaddress
import re

__all__ = ["IP_LABEL", "mask_ip_addresses"]

IP_LABEL = "[ip]"
#: Runs of characters that may form an IP address (IPv6 with a zone, IPv4 with a port): one
#: character class, so finding them is linear in the text's length.
_IP_CANDIDATE = re.compile(r"[0-9A-Za-z:.%]+")
#: Longest candidate checked (an IPv6 address with a zone and port stays under it).
_IP_LENGTH = 60
#: What every address holds (a digit between dots, or a colon between hex digits): texts without
#: it are not scanned.
_IP_HINT = re.compile(r"\d\.\d|[0-9A-Fa-f]:[0-9A-Fa-f]|::")


def _ip_address(text: str) -> bool:
    if len(text) > _IP_LENGTH or not (":" in text or "." in text):
        return False
    for candidate in (text, text.rsplit(":", 1)[0] if text.count(":") == 1 else ""):
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            continue
        return True
    return False


def mask_ip_addresses(text: str) -> str:
    """``text`` with every IPv4 and IPv6 address (with a port or zone) replaced by ``[ip]``.

    Linear in the text's length: one pass of a character class, each run checked by
    :func:`ipaddress.ip_address`.

    >>> mask_ip_addresses("10.0.0.1, 192.168.1.7; from fe80::1%eth0 at 08:28:09, v1.2")
    '[ip], [ip]; from [ip] at 08:28:09, v1.2'
    """
    if not _IP_HINT.search(text):
        return text
    out: list[str] = []
    last = 0
    for found in _IP_CANDIDATE.finditer(text):
        run = found.group().rstrip(".:")
        if any(character.isdigit() for character in run[:_IP_LENGTH]) and _ip_address(run):
            out.append(text[last : found.start()])
            out.append(IP_LABEL)
            last = found.start() + len(run)
    out.append(text[last:])
    return "".join(out)
