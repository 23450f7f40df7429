"""Sign-in throttling that slows password guessing without letting anyone lock a user out.

Throttling only by user name lets anyone who knows a name keep its owner out: fail on purpose
every few minutes and the real user is refused too. So the policy looks at who is failing:

1. **Per user name and client address.** After :data:`FREE_PAIR_FAILURES` failures from one
   client for one name, that client must wait before trying that name again: 30 s, then 60 s,
   120 s, ... doubling with each further failure, at most :data:`WINDOW`. Other clients, the
   real user's among them, are not affected.
2. **Per client address, any name.** After :data:`FREE_CLIENT_FAILURES` failures from one
   client across all names (password spraying), the same growing wait applies to every name
   tried from that client.
3. **Per user name alone** (guessing from many addresses): no lockout, only a short wait after
   the latest failure, from 1 s doubling to at most :data:`MAX_NAME_DELAY`, once the name has
   had :data:`FREE_NAME_FAILURES` failures. A client from which the user signed in during the
   last :data:`TRUSTED_FOR` is spared it, so the real user gets in even during such an attack.

Only failures within the last :data:`WINDOW` count, and a success clears the failures of its
own (name, client) pair. Refused attempts are neither verified nor recorded, so waiting out the
delay is the only way on. Failures are counted in the ``login_attempts`` table, so the limits
hold across server processes. This follows the OWASP Authentication and Credential Stuffing
Prevention Cheat Sheets (throttle per source, prefer delays to account lockout).

The client address is the one the server sees. Behind a reverse proxy every request comes from
the proxy, so the per-client rules would treat all users as one client: let the server trust
the proxy's ``X-Forwarded-For`` (``advocacy serve --forwarded-allow-ips``, the
``forwarded_allow_ips`` setting) so it sees real addresses. Trust no one else: a client that may
set the header may claim any address. Sign-in attempts, right or wrong, are also rate-limited per
client in memory (:mod:`advocacy.access.rate_limits`), before their password is hashed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from advocacy.store.connection import Database

#: Failures counted are those within this window; also the longest wait.
WINDOW = timedelta(minutes=15)
#: Failures one client may make for one name before waiting.
FREE_PAIR_FAILURES = 5
#: Failures one client may make across all names before waiting.
FREE_CLIENT_FAILURES = 20
#: Failures a name may have from all clients before a short wait applies to untrusted clients.
FREE_NAME_FAILURES = 10
#: The first wait once a per-client limit is reached; each further failure doubles it.
CLIENT_DELAY = timedelta(seconds=30)
#: The first wait once the per-name limit is reached; each further failure doubles it.
NAME_DELAY = timedelta(seconds=1)
#: The longest per-name wait: short, so it slows guessing without locking the owner out.
MAX_NAME_DELAY = timedelta(seconds=60)
#: A client that signed in as the name this recently is spared the per-name wait.
TRUSTED_FOR = timedelta(days=30)


@dataclass(frozen=True)
class Verdict:
    """Whether a sign-in attempt may go ahead, and if not, for how long and why."""

    wait: timedelta
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.wait <= timedelta(0)

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait (for an HTTP ``Retry-After`` header); 0 when allowed."""
        return 0 if self.allowed else max(1, math.ceil(self.wait.total_seconds()))


def growing_delay(failures: int, free: int, first: timedelta, longest: timedelta) -> timedelta:
    """``first`` doubled for each failure beyond ``free`` (zero below it), capped at ``longest``."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 30)  # 2**30 x 1 s is far beyond any cap
    return min(first * (1 << doublings), longest)


def _failures(db: Database, condition: str, params: list[object]) -> tuple[int, datetime | None]:
    row = db.fetchone(
        "SELECT count(*), max(attempted_at) FROM login_attempts "
        f"WHERE NOT succeeded AND attempted_at > ? AND {condition}",
        params,
    )
    return (int(row[0]), row[1]) if row else (0, None)


def _remaining(last: datetime | None, delay: timedelta, moment: datetime) -> timedelta:
    if last is None or delay <= timedelta(0):
        return timedelta(0)
    return max(last + delay - moment, timedelta(0))


def assess_attempt(db: Database, username: str, client: str | None, *, moment: datetime) -> Verdict:
    """Whether ``client`` may try to sign in as ``username`` at ``moment`` (see the module).

    Parameters
    ----------
    db
        The workspace database holding ``login_attempts``.
    username
        The name being signed in to.
    client
        The client's address (``None`` when unknown: then only the per-name rule applies).
    moment
        The time of the attempt (aware UTC).

    Returns
    -------
    Verdict
        ``allowed``, or the wait left and which rule imposed it.
    """
    since = moment - WINDOW
    waits: list[Verdict] = []
    if client is not None:
        last_success = db.fetchone(
            "SELECT max(attempted_at) FROM login_attempts WHERE succeeded AND username = ? "
            "AND client = ?",
            [username, client],
        )
        cleared = last_success[0] if last_success and last_success[0] is not None else None
        start = max(since, cleared) if cleared is not None else since
        count, last = _failures(db, "username = ? AND client = ?", [start, username, client])
        delay = growing_delay(count, FREE_PAIR_FAILURES, CLIENT_DELAY, WINDOW)
        waits.append(
            Verdict(_remaining(last, delay, moment), "too many failed sign-ins for this user")
        )
        count, last = _failures(db, "client = ?", [since, client])
        delay = growing_delay(count, FREE_CLIENT_FAILURES, CLIENT_DELAY, WINDOW)
        waits.append(
            Verdict(_remaining(last, delay, moment), "too many failed sign-ins from your address")
        )
        trusted = cleared is not None and cleared > moment - TRUSTED_FOR
    else:
        trusted = False
    if not trusted:
        count, last = _failures(db, "username = ?", [since, username])
        delay = growing_delay(count, FREE_NAME_FAILURES, NAME_DELAY, MAX_NAME_DELAY)
        waits.append(
            Verdict(_remaining(last, delay, moment), "too many failed sign-ins for this user")
        )
    return max(waits, key=lambda verdict: verdict.wait, default=Verdict(timedelta(0)))


def record_attempt(
    db: Database, username: str, client: str | None, *, moment: datetime, succeeded: bool
) -> None:
    """Remember one verified attempt (refused ones are not recorded)."""
    db.execute(
        "INSERT INTO login_attempts (username, client, attempted_at, succeeded) "
        "VALUES (?, ?, ?, ?)",
        [username, client, moment, succeeded],
    )
