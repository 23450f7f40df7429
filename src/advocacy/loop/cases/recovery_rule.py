"""When a customer counts as recovered after a case: the one rule every recovery rate uses.

A customer recovered when, within the window after the case opened, they answered again with
NPS >= :data:`RECOVERED_NPS` or at least :data:`RECOVERED_RISE` points above the score that
opened the case, or bought again (any transaction). The loop's results by owner and unit
(:mod:`advocacy.loop.cases.recovery`) and the coaching view's rate per employee
(:mod:`advocacy.loop.cases.coaching`) both build their queries from :func:`recovered_sql`, so the
two can never disagree on what recovery means. An engine without SQL (a folder of Parquet tables
on Spark) applies the same rule through Ibis with :func:`recovered_keys`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.errors import UsageError

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: Days after a case opens in which a re-score or a repurchase counts as recovery.
RECOVERY_WINDOW_DAYS = 90
#: An NPS at least this counts as recovered whatever the score that opened the case...
RECOVERED_NPS = 7
#: ...as does a rise of at least this many points over it.
RECOVERED_RISE = 2


def check_window(window_days: int) -> None:
    """Refuse a recovery window shorter than a day (no case could ever count as recovered)."""
    if window_days <= 0:
        raise UsageError(
            "the recovery window must be at least one day",
            value=window_days,
            parameter="window_days",
            fix="e.g. 90",
        )


def recovered_sql(alias: str, start: str, baseline: str, customer: str) -> str:
    """Two SQL flags (rescored, repurchased) for a row of ``alias`` followed from ``start``.

    ``baseline`` is the column with the score to beat (may be NULL), ``customer`` the column with
    the customer id. Each flag takes one parameter, the window (an interval), in order.
    """
    return (
        f"EXISTS (SELECT 1 FROM responses x WHERE x.customer_id = {alias}.{customer} "
        f"AND x.submitted_at > {alias}.{start} AND x.submitted_at <= {alias}.{start} + ? "
        f"AND x.nps IS NOT NULL AND (x.nps >= {RECOVERED_NPS} OR ({alias}.{baseline} IS NOT "
        f"NULL AND x.nps >= {alias}.{baseline} + {RECOVERED_RISE}))), "
        f"EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = {alias}.{customer} "
        f"AND t.occurred_at > {alias}.{start} AND t.occurred_at <= {alias}.{start} + ?)"
    )


def recovered_keys(
    rows: ir.Table,
    *,
    key: str,
    start: str,
    baseline: str,
    customer: str,
    responses: ir.Table,
    transactions: ir.Table,
    window_days: int,
) -> tuple[ir.Table, ir.Table]:
    """The keys of ``rows`` that rescored and that repurchased: :func:`recovered_sql` in Ibis.

    ``rows`` are followed from their ``start`` column for ``window_days``; ``baseline`` is the
    column with the score to beat (may be NULL), ``customer`` the customer id. Returns two
    tables of distinct keys, one column each (``rescored_key``, ``repurchased_key``), to
    left-join back on ``key``.
    """
    import ibis

    window = ibis.interval(days=window_days)
    followed = rows.select(
        follow_key=rows[key],
        follow_customer=rows[customer],
        follow_from=rows[start],
        follow_score=rows[baseline],
    )
    answers = responses.filter(responses.nps.notnull()).select("customer_id", "submitted_at", "nps")
    answered = followed.join(answers, followed.follow_customer == answers.customer_id)
    rescored = answered.filter(
        (answered.submitted_at > answered.follow_from)
        & (answered.submitted_at <= answered.follow_from + window)
        & (
            (answered.nps >= RECOVERED_NPS)
            | (
                answered.follow_score.notnull()
                & (answered.nps >= answered.follow_score + RECOVERED_RISE)
            )
        )
    )
    bought = transactions.select("customer_id", "occurred_at")
    bought = followed.join(bought, followed.follow_customer == bought.customer_id)
    bought = bought.filter(
        (bought.occurred_at > bought.follow_from)
        & (bought.occurred_at <= bought.follow_from + window)
    )
    return (
        rescored.select(rescored_key=rescored.follow_key).distinct(),
        bought.select(repurchased_key=bought.follow_key).distinct(),
    )


__all__ = [
    "RECOVERED_NPS",
    "RECOVERED_RISE",
    "RECOVERY_WINDOW_DAYS",
    "check_window",
    "recovered_keys",
    "recovered_sql",
]
