"""``ws.customers``: the customer 360 and the customer search, as a principal may see them.

>>> import advocacy
>>> with advocacy.open("advocacy.duckdb") as ws:                        # doctest: +SKIP
...     [row["customer_id"] for row in ws.customers.find("smith")]
...     ws.customers.view("C-1001").counts()
{'response': 3, 'interaction': 2, 'case': 1}

Each method is one function of :mod:`advocacy.customer_view` applied to the workspace's
database. Given a ``principal``, it reads and shows only what that principal may: a case
handler's units' evidence (the rules of :mod:`advocacy.access.scope`), a viewer's view with
personal fields masked and free text redacted (:mod:`advocacy.access.masking`). Without one it
reads as the workspace's owner does: every unit, nothing masked.

The module also names the customer view's public type, imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.access.masking import TextRedactor
    from advocacy.access.roles import Principal
    from advocacy.customer_view import CustomerView
    from advocacy.store.connection import Database

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "CustomerView": "advocacy.customer_view",
}


class CustomersNamespace:
    """The customers of the workspace, one at a time or searched (``ws.customers``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def view(
        self,
        customer_id: str,
        *,
        principal: Principal | None = None,
        redactor: TextRedactor | None = None,
        newest: int | None = None,
    ) -> CustomerView:
        """One customer's profile and timeline (responses, interactions, mentions, notes,
        referrals, purchases and cases), newest event first.

        Parameters
        ----------
        customer_id
            The customer.
        principal
            Who asks: a case handler sees only their units' evidence (notes, referrals and
            purchases only for a customer wholly within them), a viewer a masked view (None:
            every unit, nothing masked).
        redactor
            The viewer's redactor (``ws.access.text_redactor``), to reuse one across calls;
            built from the workspace when None.
        newest
            Keep only this many of the newest events (``CustomerView.counts`` still counts
            them all); None: every event.

        Returns
        -------
        CustomerView
            The profile, the units of the evidence shown, and the events.

        Raises
        ------
        NotFoundError
            For an unknown customer.
        AccessDeniedError
            When a case handler asks for a customer with no evidence in their units.

        Examples
        --------
        >>> view = ws.customers.view("C-1001", principal=handler)        # doctest: +SKIP
        >>> view.units, view.limited                                    # doctest: +SKIP
        (['North'], True)
        """
        from advocacy.access.roles import WORKSPACE_OWNER
        from advocacy.customer_view import customer_view

        return customer_view(
            self._db,
            customer_id,
            principal if principal is not None else WORKSPACE_OWNER,
            redactor=redactor,
            newest=newest,
        )

    def find(
        self,
        query: str | None = None,
        *,
        principal: Principal | None = None,
        limit: int = 50,
        redactor: TextRedactor | None = None,
    ) -> list[dict[str, Any]]:
        """Customers matching ``query``, newest feedback first.

        Parameters
        ----------
        query
            Part of the customer id, or of the name or e-mail for roles that see personal data
            (a viewer cannot find a customer by a name they are not shown); None lists every
            customer.
        principal
            Who asks: a case handler finds only customers with evidence in their units, with
            only those units' responses counted; a viewer gets personal fields masked (None:
            every unit, nothing masked).
        limit
            How many customers to return at most.
        redactor
            The viewer's redactor (``ws.access.text_redactor``); built when None.

        Returns
        -------
        list of dict
            One row per customer: customer_id, name, email, segment, region, responses and
            last_response.

        Examples
        --------
        >>> [row["customer_id"] for row in ws.customers.find("sharp")]  # doctest: +SKIP
        ['B']
        """
        from advocacy.access.roles import WORKSPACE_OWNER
        from advocacy.customer_view import find_customers

        return find_customers(
            self._db,
            principal if principal is not None else WORKSPACE_OWNER,
            query=query,
            limit=limit,
            redactor=redactor,
        )


__all__ = ["CustomerView", "CustomersNamespace"]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
