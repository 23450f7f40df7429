"""Placeholder customers made by two writers at once on PostgreSQL: each id once, no error.

Two server processes (``serve --workers 2``) writing answers of the same new customer at the
same moment each found it absent; the second insert then broke the customers' key and its
write was answered 500 (seen in CI). The second writer now waits for the first and skips it.
"""

from __future__ import annotations

import threading

import advocacy
from advocacy.store.upsert import create_stubs


def test_two_writers_making_the_same_stub_make_it_once(postgres_url: str) -> None:
    with advocacy.open(postgres_url) as first, advocacy.open(postgres_url) as second:
        first_made: set[str] = set()
        second_made: list[set[str]] = []
        errors: list[BaseException] = []
        entered = threading.Event()

        def other_writer() -> None:
            try:
                entered.wait(timeout=30)
                with second.db.transaction():
                    second_made.append(create_stubs(second.db, {"C-new": "api", "C-b": "api"}))
            except BaseException as error:  # the assertion below names it
                errors.append(error)

        thread = threading.Thread(target=other_writer)
        thread.start()
        with first.db.transaction():
            first_made = create_stubs(first.db, {"C-new": "api"})
            entered.set()
            thread.join(timeout=2)  # the other writer is now waiting on this transaction's key
            assert thread.is_alive()
        thread.join(timeout=60)
        assert errors == []
        assert first_made == {"C-new"}
        assert second_made == [{"C-b"}]
        rows = first.db.fetchall(
            "SELECT customer_id, count(*) FROM customers WHERE customer_id IN ('C-new', 'C-b') "
            "GROUP BY 1 ORDER BY 1"
        )
        assert [(str(key), int(count)) for key, count in rows] == [("C-b", 1), ("C-new", 1)]
