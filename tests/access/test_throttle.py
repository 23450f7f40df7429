"""Sign-in throttling on DuckDB and PostgreSQL: attackers are slowed, owners never locked out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import advocacy
from advocacy.access import AuthenticationError, TooManyAttemptsError, add_user, authenticate
from advocacy.access.throttle import (
    CLIENT_DELAY,
    FREE_CLIENT_FAILURES,
    FREE_NAME_FAILURES,
    FREE_PAIR_FAILURES,
    MAX_NAME_DELAY,
    WINDOW,
    assess_attempt,
    growing_delay,
    record_attempt,
)
from advocacy.workspace import Workspace

PASSWORD = "correct horse battery staple"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)
ATTACKER, OWNER, OTHER = "203.0.113.66", "192.0.2.10", "198.51.100.7"


@pytest.fixture
def ws(db_url: str) -> Iterator[Workspace]:
    with advocacy.open(db_url) as workspace:
        add_user(workspace.db, "ada", role="admin", password=PASSWORD, now=T0)
        yield workspace


def _try(ws: Workspace, password: str, client: str, at: datetime, name: str = "ada") -> str:
    """``ok``, ``wrong`` or ``refused``: what the person at ``client`` would see."""
    try:
        authenticate(ws.db, name, password, client=client, now=at)
    except TooManyAttemptsError:
        return "refused"
    except AuthenticationError:
        return "wrong"
    return "ok"


def test_an_attackers_client_is_refused_but_the_owner_signs_in_from_another(
    ws: Workspace,
) -> None:
    outcomes = [_try(ws, f"guess {i}", ATTACKER, T0 + i * S) for i in range(20)]
    assert outcomes == ["wrong"] * FREE_PAIR_FAILURES + ["refused"] * (20 - FREE_PAIR_FAILURES)
    # Refused even with the right password, and told how long to wait.
    with pytest.raises(TooManyAttemptsError) as refused:
        authenticate(ws.db, "ada", PASSWORD, client=ATTACKER, now=T0 + 20 * S)
    assert refused.value.retry_after == 30 - 16  # 30 s after the 5th failure, at 4 s
    assert "wait 14 seconds" in str(refused.value)
    # The owner, from their own address, is not affected at all.
    assert _try(ws, PASSWORD, OWNER, T0 + 21 * S) == "ok"


def test_waits_double_with_each_failure_and_end(ws: Workspace) -> None:
    at = T0
    for i in range(FREE_PAIR_FAILURES):
        assert _try(ws, f"guess {i}", ATTACKER, at) == "wrong"
    waits = []
    for _ in range(3):
        with pytest.raises(TooManyAttemptsError) as refused:
            authenticate(ws.db, "ada", "guess", client=ATTACKER, now=at)
        waits.append(refused.value.retry_after)
        at += timedelta(seconds=refused.value.retry_after)
        assert _try(ws, "another guess", ATTACKER, at) == "wrong"
    assert waits == [30, 60, 120]
    # Once the failures are older than the window, the client starts afresh.
    assert _try(ws, PASSWORD, ATTACKER, at + WINDOW + S) == "ok"


def test_a_success_clears_the_failures_of_its_client(ws: Workspace) -> None:
    for i in range(FREE_PAIR_FAILURES - 1):
        assert _try(ws, f"typo {i}", OWNER, T0 + i * S) == "wrong"
    assert _try(ws, PASSWORD, OWNER, T0 + 10 * S) == "ok"
    for i in range(FREE_PAIR_FAILURES - 1):
        assert _try(ws, f"typo {i}", OWNER, T0 + (11 + i) * S) == "wrong"
    assert _try(ws, PASSWORD, OWNER, T0 + 20 * S) == "ok"


def test_one_client_spraying_many_names_is_refused_for_every_name(ws: Workspace) -> None:
    for i in range(FREE_CLIENT_FAILURES):  # as authenticate records them, without the hashing
        assert assess_attempt(ws.db, f"user{i}", ATTACKER, moment=T0 + i * S).allowed
        record_attempt(ws.db, f"user{i}", ATTACKER, moment=T0 + i * S, succeeded=False)
    assert _try(ws, PASSWORD, ATTACKER, T0 + 30 * S) == "refused"
    assert _try(ws, PASSWORD, OWNER, T0 + 30 * S) == "ok"


def test_guessing_from_many_addresses_only_briefly_delays_the_name(ws: Workspace) -> None:
    assert _try(ws, PASSWORD, OWNER, T0) == "ok"  # the owner's usual client
    at, failures, waits = T0, 0, []
    while failures < FREE_NAME_FAILURES + 6:  # a botnet: every guess from a new address
        client = f"203.0.113.{failures}"
        verdict = assess_attempt(ws.db, "ada", client, moment=at)
        if not verdict.allowed:
            waits.append(verdict.retry_after)
            at += timedelta(seconds=verdict.retry_after)
            continue
        record_attempt(ws.db, "ada", client, moment=at, succeeded=False)
        failures += 1
        at += S
    # Short waits, doubling from 1 s (2, 4, 8, 16, 32 s after a failure, less the 1 s elapsed).
    assert waits == [1, 3, 7, 15, 31]
    # A new address must wait at most a minute after the latest failure, never a lockout...
    with pytest.raises(TooManyAttemptsError) as refused:
        authenticate(ws.db, "ada", PASSWORD, client=OTHER, now=at)
    assert refused.value.retry_after == MAX_NAME_DELAY.total_seconds() - 1
    assert _try(ws, PASSWORD, OTHER, at - S + MAX_NAME_DELAY) == "ok"
    # ...and the owner's own client, where they signed in before, gets in at once.
    assert _try(ws, PASSWORD, OWNER, at) == "ok"


def test_growing_delay_doubles_from_the_free_count_up_to_the_cap() -> None:
    delays = [growing_delay(n, 5, CLIENT_DELAY, WINDOW).total_seconds() for n in range(4, 12)]
    assert delays == [0, 30, 60, 120, 240, 480, 900, 900]
