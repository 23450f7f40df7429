"""Request rate limits of the public endpoints: per client address, per survey, in memory.

Sign-in failures are throttled in the database (:mod:`advocacy.access.throttle`), but some
requests must be limited whether they succeed or not: anonymous survey answers (each may open a
case, so a flood of them floods the case queue) and sign-in attempts (each costs an argon2 hash).
A :class:`RateLimits` holds one limit per kind of request, each allowing ``allowed`` requests per
``window`` seconds for each key (a client address, a survey), regained evenly over the window:
the generic cell rate algorithm, a token bucket that keeps one timestamp per key. A refused
request consumes nothing, so waiting out ``retry_after`` always gets the next one through.

Client addresses are the ones the server sees; behind a reverse proxy, serve with
``--forwarded-allow-ips`` naming the proxy so that they are the real clients'. IPv6 clients
are grouped by their /64 network, which one subscriber usually holds whole.

The state lives in the server process: cheap, never touches the workspace or its lock, and lost
on restart. Several server processes each apply the limits on their own (so a client may get
up to that many times the allowance); keys are forgotten once their allowance is whole again,
and at most :data:`MAX_KEYS` are kept (the least recently used go first).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from advocacy.errors import RateLimitedError, UsageError
from advocacy.settings import Settings

#: Keys remembered per limit at most; beyond, the least recently used are dropped.
MAX_KEYS = 100_000


def client_key(address: str | None) -> str:
    """The key a client address is limited under: IPv4 as is, IPv6 by its /64 network."""
    if not address:
        return "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


@dataclass(frozen=True)
class Rate:
    """``allowed`` requests per ``window`` seconds, the first ``allowed`` of them at once."""

    allowed: int
    window: float

    def __post_init__(self) -> None:
        if self.allowed < 1 or self.window <= 0:
            raise UsageError(
                f"a rate limit needs at least 1 request per a positive window, not "
                f"{self.allowed} per {self.window} s",
                value=f"{self.allowed}/{self.window}",
                fix="set the throttle settings to positive numbers (see docs/settings.md)",
            )

    @property
    def interval(self) -> float:
        """Seconds after which one more request is allowed again."""
        return self.window / self.allowed


@dataclass
class _Limit:
    rate: Rate
    due: OrderedDict[str, float] = field(default_factory=OrderedDict)  # theoretical arrival

    def wait(self, key: str, now: float) -> float:
        """Seconds ``key`` must wait before its next request (0: it may go now)."""
        arrival = max(self.due.get(key, now), now)
        return max(0.0, arrival - now - (self.rate.window - self.rate.interval))

    def take(self, key: str, now: float) -> None:
        arrival = max(self.due.get(key, now), now)
        self.due[key] = arrival + self.rate.interval
        self.due.move_to_end(key)
        if len(self.due) > MAX_KEYS:
            for stale in [k for k, due in self.due.items() if due <= now]:
                del self.due[stale]
            while len(self.due) > MAX_KEYS:
                self.due.popitem(last=False)


#: What each kind of limited request is called in refusals.
DESCRIPTIONS = {
    "survey_client": "answers from your address",
    "survey": "answers to this survey",
    "sign_in": "sign-in attempts from your address",
}


class RateLimits:
    """Named rate limits, checked together: a request goes ahead only if every limit allows it.

    Parameters
    ----------
    rates
        The limit of each kind of request (see :data:`DESCRIPTIONS` for the names the web app
        uses).
    clock
        Seconds from a monotonic clock (pass a fake one in tests).
    """

    def __init__(
        self, rates: Mapping[str, Rate], *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rates = dict(rates)
        self.clock = clock
        self._limits = {name: _Limit(rate) for name, rate in self.rates.items()}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, clock: Callable[[], float] = time.monotonic
    ) -> RateLimits:
        """The limits ``settings`` give: survey answers per client and per survey, and
        sign-in attempts per client, each per ``throttle_seconds``."""
        window = settings.throttle_seconds
        return cls(
            {
                "survey_client": Rate(settings.survey_answers_per_client, window),
                "survey": Rate(settings.survey_answers_per_survey, window),
                "sign_in": Rate(settings.sign_in_attempts_per_client, window),
            },
            clock=clock,
        )

    def admit(self, **keys: str) -> None:
        """Count one request under each ``limit=key`` given, or refuse it.

        Raises
        ------
        RateLimitedError
            Naming the limit reached and carrying ``retry_after`` (whole seconds); nothing is
            counted then.
        """
        with self._lock:
            now = self.clock()
            waits = {name: self._limits[name].wait(key, now) for name, key in keys.items()}
            name, longest = max(waits.items(), key=lambda item: item[1], default=("", 0.0))
            if longest > 0:
                rate = self.rates[name]
                seconds = max(1, math.ceil(longest))
                raise RateLimitedError(
                    f"too many {DESCRIPTIONS.get(name, name)}: at most {rate.allowed:,} per "
                    f"{_duration(rate.window)}",
                    retry_after=seconds,
                    fix=f"wait {seconds} seconds and try again",
                )
            for limit, key in keys.items():
                self._limits[limit].take(key, now)


def _duration(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{int(seconds // 3600)} hour(s)"
    if seconds % 60 == 0:
        return f"{int(seconds // 60)} minutes" if seconds != 60 else "minute"
    return f"{seconds:g} seconds"


__all__ = ["DESCRIPTIONS", "MAX_KEYS", "Rate", "RateLimits", "client_key"]
