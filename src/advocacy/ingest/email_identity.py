"""Customers identified by the e-mail address a survey was sent to.

Survey tools write the recipient's address beside each answer (Qualtrics ``RecipientEmail``,
its legacy exports ``EmailAddress``, SurveyMonkey and Google Forms ``Email Address``, a Typeform
hidden field ``email``), often when the id the survey was sent with (Qualtrics
``ExternalReference``) is empty. Without a customer, a case for an unhappy answer has no one to
follow up. So a row without an id is tied to the customer its address names, by one rule for
every format (:func:`address_column` finds the column, :func:`identify_by_email` ties):

* the address is normalised to one comparison key, computed in Python for the file's cells and
  for the customers on file alike (never by SQL ``lower()``, which PostgreSQL and DuckDB apply
  differently to non-ASCII letters): NFKC, invisible characters (zero-width spaces and joiners,
  soft hyphens, direction marks) removed, trimmed, a ``mailto:`` prefix dropped, lower-cased
  (``str.lower``, then NFKC again), final sigma ``ς`` written ``σ`` (``str.lower`` writes a
  capital sigma as either, by what follows it); it must look like an address
  (``local@domain.tld``, at most 254 characters); other values tie nothing and are counted.
  Lower case, not ``str.casefold``: folding writes ``ß`` as ``ss``, so ``Strauß@`` and
  ``strauss@``, two mailboxes, would be one customer; lower case only joins what differs in
  case, which mail servers treat alike in practice;
* an ``email:`` customer made by an earlier version's key (``str.lower`` without NFKC, before
  2026-12-06; ``str.casefold``, on that day; ``str.lower`` keeping ``ς``, later that day) keeps
  its answers: an address whose key changed ties to it when its stored address has the new
  key, or when it has already taken an answer from this very address
  (:func:`customers_by_email`), so importing the same survey again makes no new customer. A
  ``str.casefold`` customer that holds answers from two mailboxes (``Strauß@`` and
  ``strauss@``) is split by the address each answer kept before it is merged
  (:func:`split_placeholders`);
* the customer id is ``email:`` and the first 16 hexadecimal digits of the SHA-256 of the
  normalised address, so the same person gets the same id in every import and survey, and the
  id printed on pages, cases and logs shows no address. It is a pseudonym, not anonymisation:
  whoever holds a list of addresses can recompute it;
* the address is kept as that customer's ``email`` (personal data, shown and redacted as every
  customer e-mail is) when the customer has none, by the importer.

A row with an id keeps it. The source column stays in ``attrs`` as it was. When the company's
own record of that address arrives later (a customers import), the ``email:`` customer is merged
into it (:func:`merges_for`, :mod:`advocacy.store.customer_merge`), and the address keeps tying
to that customer afterwards, even once the customer's own address has changed.

Only Qualtrics' ``RecipientEmail`` is the address the survey tool sent the survey to. Any other
column (a Google Forms or SurveyMonkey answer, a Typeform hidden field, which anyone can edit in
the link) holds what the respondent, or the link, said: the import's note says so.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from advocacy.ingest.raw import Adapted, Detection
from advocacy.model import CUSTOMERS, KINDS
from advocacy.store.connection import Database
from advocacy.store.customer_merge import CustomerMerge, move_records
from advocacy.store.upsert import create_stubs, fill_customer_emails

__all__ = [
    "ADDRESS_COLUMNS",
    "ID_PREFIX",
    "PlaceholderSplit",
    "address_column",
    "customer_id_for",
    "customers_by_email",
    "identify_by_email",
    "merge_notes",
    "merges_for",
    "normalised_address",
    "retie",
    "shared_addresses",
    "split_notes",
    "split_placeholders",
]

#: What starts the id of a customer known only by e-mail address.
ID_PREFIX = "email:"
#: The longest address SMTP carries (RFC 5321 path limit less its brackets).
MAX_ADDRESS = 254
# Linear time: the local part cannot hold "@", so only the domain's last dot is searched for.
# A domain holds no URL punctuation ("mailto:a@b.com?subject=x" is no address), and its last
# label is letters, digits or hyphens in any script.
_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"?/=&#%]+\.(?:[^\W_]|-)+")
#: Names of the column that holds the address an answer came from, compared in lower case
#: without spaces, hyphens and underscores, in order of preference: Qualtrics
#: ``RecipientEmail`` (legacy ``EmailAddress``), SurveyMonkey's and Google Forms' ``Email
#: Address`` (and Google's translations), a Typeform hidden field or a plain file's ``email``.
ADDRESS_COLUMNS = (
    "recipientemail",
    "emailaddress",
    "respondentemail",
    "customeremail",
    "email",
    "emailadresse",
    "adresseemail",
    "emailadres",
    "direcciondecorreoelectronico",
    "direccióndecorreoelectrónico",
)
_SEPARATORS = re.compile(r"[\s_-]+")
# Characters that show nothing: soft hyphen, Mongolian vowel separator, zero-width space, joiners
# and direction marks, embedding and isolate controls, word joiner and invisible operators, BOM.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
#: The column of the one address a survey tool sent the survey to (Qualtrics): verified.
_RECIPIENT = "recipientemail"


def normalised_address(value: str | None) -> str | None:
    """``value`` as a comparable e-mail address, or ``None`` when it is not one.

    Parameters
    ----------
    value
        A cell of an e-mail column.

    Returns
    -------
    str or None
        The comparison key: NFKC, without invisible characters, trimmed, without ``mailto:``,
        lower-cased (``str.lower``, not ``str.casefold``, which would make ``Strauß@`` and
        ``strauss@`` one address), NFKC again, ``ς`` written ``σ``; ``None`` for an empty
        cell, a key longer than 254 characters or one not shaped ``local@domain.tld``. The key
        of a key is itself.
    """
    if value is None:
        return None
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", value)).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:].strip()
    # str.lower writes a capital sigma as final sigma where no letter follows ("ΝΙΚΟΣ@") and as
    # sigma before "." and a letter ("ΝΙΚΟΣ.Π@"): one letter, so one form.
    key = unicodedata.normalize("NFKC", text.lower()).replace("\u03c2", "\u03c3")
    if not key or len(key) > MAX_ADDRESS or _ADDRESS.fullmatch(key) is None:
        return None
    return key


def address_column(columns: Sequence[str]) -> str | None:
    """The column of ``columns`` that holds respondents' e-mail addresses, or ``None``.

    Parameters
    ----------
    columns
        Column names of an export (those not already mapped to a question or field).

    Returns
    -------
    str or None
        The column whose name is the most preferred of :data:`ADDRESS_COLUMNS` (case, spaces,
        hyphens and underscores aside); the first such column among equals.
    """
    found: dict[str, str] = {}
    for column in columns:
        found.setdefault(_SEPARATORS.sub("", column[:100].strip().lower()), column)
    return next((found[name] for name in ADDRESS_COLUMNS if name in found), None)


def _addresses(count: int) -> str:
    return f"{count:,} distinct address" + ("" if count == 1 else "es")


def customer_id_for(address: str) -> str:
    """The customer id of a normalised address: ``email:`` and 16 hex digits of its SHA-256."""
    return ID_PREFIX + hashlib.sha256(address.encode("utf-8")).hexdigest()[:16]


def identify_by_email(adapted: Adapted, column: str, *, reason: str) -> None:
    """Tie the rows of ``adapted`` without a customer id to the customer their address names.

    ``adapted`` is changed in place: ``customer_id`` maps to a column that holds the mapped id
    where there was one and the address's id elsewhere, ``contacts`` gets each such id's
    address, a detection and a note say how many rows each column tied.

    Parameters
    ----------
    adapted
        A file mapped onto ``responses``.
    column
        The column holding e-mail addresses.
    reason
        What the column is, for the detection (``"Qualtrics recipient e-mail"``).
    """
    rows = adapted.rows
    if "customer_id" not in adapted.kind.field_names or column not in rows.column_names:
        return
    mapped = adapted.fields.get("customer_id")
    ids: list[str | None] = (
        [None] * rows.num_rows if mapped is None else rows.column(mapped).to_pylist()
    )
    by_id = sum(1 for value in ids if value is not None and value.strip())
    by_email = 0
    not_addresses = 0
    contacts: dict[str, str] = {}
    tied: list[str | None] = []
    for given, cell in zip(ids, rows.column(column).to_pylist(), strict=True):
        if given is not None and given.strip():
            tied.append(given)
            continue
        address = normalised_address(cell)
        if address is None:
            not_addresses += cell is not None and bool(cell.strip())
            tied.append(given)
            continue
        customer = customer_id_for(address)
        contacts.setdefault(customer, address)
        tied.append(customer)
        by_email += 1
    if not by_email:
        if not_addresses:
            adapted.notes.append(
                f"column {column!r} holds {not_addresses:,} value(s) that are not e-mail "
                "addresses; no answer was tied to a customer by it"
            )
        return
    # A column of its own, left out of the key of a row without an id (the e-mail column is
    # in it, and a retie may change the id): a file keys its rows as it did before.
    name = f"customer_id (from {column})"
    while name in rows.column_names:
        name += "_"
    rows = rows.append_column(name, pa.array(tied, pa.string()))
    adapted.rows = rows
    adapted.fields["customer_id"] = name
    adapted.derived_columns[name] = () if mapped is None else (mapped,)
    adapted.contacts.update(contacts)
    adapted.detections.append(
        Detection(
            column,
            "customer_id",
            f"{reason}: an answer without an id is tied to the customer of its address "
            f"({ID_PREFIX}… ids, the address kept as the customer's e-mail)",
        )
    )
    total = rows.num_rows
    parts = [f"{by_email:,} by {column!r} ({_addresses(len(contacts))})"]
    if by_id:
        parts.insert(0, f"{by_id:,} by {mapped!r}")
    untied = total - by_id - by_email
    adapted.notes.append(
        f"customers: {by_id + by_email:,} of {total:,} answers tied to a customer, "
        + ", ".join(parts)
        + (f"; {untied:,} without an id or address" if untied else "")
        + (f" ({not_addresses:,} of them not e-mail addresses)" if not_addresses else "")
        + f"; an address's customer id is {ID_PREFIX} and a hash of it, so pages and cases "
        "show no address; to not tie answers by e-mail, import with a mapping (--map) that "
        "does not name customer_email"
    )
    if _SEPARATORS.sub("", column[:100].strip().lower()) != _RECIPIENT:
        adapted.notes.append(
            f"customers: the addresses in {column!r} are what the respondent typed or the link "
            "carried, not verified: an answer with someone else's address is tied to them"
        )


def customers_by_email(db: Database, addresses: Iterable[str]) -> dict[str, list[str]]:
    """The ids of the customers on file whose e-mail is each of ``addresses``.

    Stored addresses are keyed by :func:`normalised_address` in Python, as the file's cells
    are, so a CRM export's ``Bob@Example.com``, ``mailto:bob@example.com`` or ``ÉMILE@…`` is
    the same key on every engine. An ``email:`` customer that an earlier version's key made
    for the address is among them too: one whose stored address has the key now (the
    ``str.lower`` key without NFKC kept ``bo\u200bb@…`` apart from ``bob@…``), and one of the
    ``str.casefold`` key (``strauss@…`` for ``Strauß@…``) when an answer it holds came from
    an address with the key now, never only because folding makes the two keys alike.

    Parameters
    ----------
    db
        The workspace database.
    addresses
        Comparison keys (:func:`normalised_address`).

    Returns
    -------
    dict[str, list[str]]
        Each key that customers have -> their ids, in order; keys no customer has are left out.
    """
    wanted = set(addresses)
    if not wanted:
        return {}
    found: dict[str, list[str]] = {}
    for customer, email in db.fetchall(
        "SELECT customer_id, email FROM customers WHERE email IS NOT NULL ORDER BY customer_id"
    ):
        key = normalised_address(str(email))
        if key in wanted:
            found.setdefault(key, []).append(str(customer))
    for key, customer in _folded_customers(db, wanted).items():
        if customer not in found.get(key, ()):
            found.setdefault(key, []).append(customer)
    return found


def _folded(key: str) -> str:
    """The ``str.casefold`` key of 2026-12-06 for an address whose key now is ``key``."""
    return unicodedata.normalize("NFKC", key.casefold())


def _folded_customers(db: Database, keys: set[str]) -> dict[str, str]:
    """Key -> the ``email:`` customer the casefold key made for it, where one holds an answer
    from an address with that key (the file's cell is kept in each record's ``attrs``)."""
    candidates = {customer_id_for(_folded(key)): key for key in sorted(keys) if _folded(key) != key}
    if not candidates:
        return {}
    ids = sorted(candidates)
    marks = ", ".join("?" * len(ids))
    found: dict[str, str] = {}
    for kind in KINDS.values():
        if "customer_id" not in kind.field_names:
            continue
        rows = db.fetchall(
            f"SELECT DISTINCT customer_id, CAST(attrs AS TEXT) FROM {kind.table} "
            f"WHERE customer_id IN ({marks}) AND attrs IS NOT NULL",
            ids,
        )
        for customer, attrs in rows:
            key = candidates[str(customer)]
            if key not in found and any(
                normalised_address(value) == key for value in _strings(attrs).values()
            ):
                found[key] = str(customer)
    return found


def _strings(attrs: object) -> dict[str, str]:
    """The text values of a record's stored ``attrs`` (JSON text, or a driver's dict), by
    column."""
    if isinstance(attrs, str):
        try:
            attrs = json.loads(attrs)
        except ValueError:
            return {}
    if not isinstance(attrs, dict):
        return {}
    return {str(name): value for name, value in attrs.items() if isinstance(value, str)}


@dataclass(frozen=True)
class PlaceholderSplit:
    """What :func:`split_placeholders` did.

    ``split`` lists the placeholders whose records named several addresses; ``customers``
    the customers their records moved to (``created`` among them: placeholders made for an
    address that had none); ``moved`` counts the records moved, by table.
    """

    split: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()
    created: tuple[str, ...] = ()
    moved: dict[str, int] = field(default_factory=dict)


def split_placeholders(
    db: Database, placeholders: Iterable[str], *, source: str
) -> PlaceholderSplit:
    """Give each record of a placeholder tied by several addresses the customer of its own.

    The ``str.casefold`` key of 2026-12-06 tied the answers from ``Strauß@`` and from
    ``strauss@``, two mailboxes, to one ``email:`` customer. Each record kept the address it
    came from in its ``attrs`` (the column :func:`address_column` names): a placeholder whose
    records name addresses of different keys now is split, each record going to its
    address's ``email:`` customer (made, with the address, when there is none), as an import
    of it now would tie it; a case follows its evidence. What cannot tell its address (an ask
    campaign's records, invitations, records without the column) stays. A placeholder whose
    records agree is left whole, to be merged as one.

    Call inside ``Database.transaction()``, before the merges are worked out
    (:func:`customers_by_email` again): the records' customers changed.

    Parameters
    ----------
    db
        The workspace database.
    placeholders
        Ids of customers about to be merged; those not ``email:`` placeholders are left out.
    source
        The import that splits, recorded with the placeholders it makes.

    Returns
    -------
    PlaceholderSplit
        The placeholders split, where their records went, the records moved by table.
    """
    ids = sorted({customer for customer in placeholders if customer.startswith(ID_PREFIX)})
    if not ids:
        return PlaceholderSplit()
    stage = "stage_split_placeholders"
    db.load_temporary(
        stage, pa.table({"customer_id": pa.array(ids, pa.string())}), {"customer_id": "TEXT"}
    )
    join = f'JOIN "{stage}" s ON t.customer_id = s.customer_id'
    stubs = {
        str(row[0])
        for row in db.fetchall(f"SELECT t.customer_id FROM customers t {join} WHERE t.is_stub")
    }
    # placeholder -> table -> record key -> the key of the address the record came from
    records: dict[str, dict[str, dict[str, str]]] = {}
    for kind in KINDS.values():
        if kind is CUSTOMERS or "customer_id" not in kind.field_names:
            continue
        rows = db.fetchall(
            f'SELECT t.customer_id, t."{kind.key[0]}", CAST(t.attrs AS TEXT) FROM {kind.table} t '
            f"{join} WHERE t.attrs IS NOT NULL"
        )
        for customer, key, attrs in rows:
            address = _tied_address(attrs)
            if address is not None and str(customer) in stubs:
                records.setdefault(str(customer), {}).setdefault(kind.table, {})[str(key)] = address
    db.execute(f'DROP TABLE "{stage}"')
    records = {
        placeholder: tables
        for placeholder, tables in records.items()
        if len({address for keys in tables.values() for address in keys.values()}) > 1
    }
    moves: dict[str, dict[str, tuple[str, str]]] = {}
    contacts: dict[str, str] = {}
    for placeholder, tables in sorted(records.items()):
        for table, keys in tables.items():
            for key, address in keys.items():
                customer = customer_id_for(address)
                if customer != placeholder:
                    moves.setdefault(table, {})[key] = (placeholder, customer)
                    contacts[customer] = address
    if not moves:
        return PlaceholderSplit(split=tuple(sorted(records)))
    created = create_stubs(db, dict.fromkeys(contacts, source))
    fill_customer_emails(db, contacts, source=source)
    return PlaceholderSplit(
        split=tuple(sorted(records)),
        customers=tuple(sorted(contacts)),
        created=tuple(sorted(created)),
        moved=move_records(db, moves),
    )


def _tied_address(attrs: object) -> str | None:
    """The key of the address a record's ``attrs`` kept in its e-mail column, if any."""
    values = _strings(attrs)
    column = address_column(list(values))
    return None if column is None else normalised_address(values[column])


def split_notes(split: PlaceholderSplit) -> list[str]:
    """What :func:`split_placeholders` did, for an import's notes (counts, no addresses)."""
    if not split.moved:
        return []
    moved = ", ".join(f"{count:,} {table}" for table, count in sorted(split.moved.items()))
    return [
        f"customers: {len(split.split):,} customer(s) known only by e-mail held answers from "
        "several addresses (an earlier version's key wrote them alike, as Strauß@ and "
        f"strauss@): split by the address each answer came from ({moved} moved to "
        f"{len(split.customers):,} customer(s) of their own address, {len(split.created):,} "
        "of them new) before any merge"
    ]


def retie(
    adapted: Adapted,
    known: Mapping[str, Sequence[str]],
    merged: Mapping[str, str] | None = None,
) -> None:
    """Tie answers to the customer already on file with their address, where there is one.

    A customers import (a CRM export with ``email``) names people by the company's own ids:
    an answer whose address belongs to exactly one such customer gets that customer's id, not
    an ``email:`` id of its own. The customer that holds the address now wins over the one an
    ``email:`` customer of the address was merged into earlier (the CRM moved the address to
    someone else since); that earlier customer takes the answer only when no customer on file
    holds the address now, or when it is one of several that do. An address that several
    customers share otherwise is ambiguous and keeps its ``email:`` id. An address with no
    company customer keeps the ``email:`` customer an earlier version's key made for it
    (:func:`customers_by_email`). Notes count each.

    Parameters
    ----------
    adapted
        A file :func:`identify_by_email` tied by address (``contacts`` filled).
    known
        For each address, the ids of the customers on file with it.
    merged
        For each address whose ``email:`` customer was merged into a customer, that customer
        (:func:`advocacy.store.customer_merge.customers_by_alias_key`).
    """
    column = adapted.fields.get("customer_id")
    if not adapted.contacts or column is None:
        return
    moved: dict[str, str] = {}
    shared = 0
    taken = 0
    earlier = 0
    for customer, address in adapted.contacts.items():
        on_file = known.get(address, ())
        # Customers an earlier survey tied by this address are ours, not the company's.
        owners = [owner for owner in on_file if not owner.startswith(ID_PREFIX)]
        alias = (merged or {}).get(address)
        if len(owners) == 1:
            moved[customer] = owners[0]
            taken += alias is not None and alias != owners[0]
        elif alias is not None and (not owners or alias in owners):
            moved[customer] = alias
        elif owners:
            shared += 1
        elif customer not in on_file:
            stubs = [owner for owner in on_file if owner.startswith(ID_PREFIX)]
            if len(stubs) == 1:
                moved[customer] = stubs[0]
                earlier += 1
    if moved:
        values = adapted.rows.column(column).to_pylist()
        answers = sum(value in moved for value in values)
        tied = pa.array([moved.get(value, value) for value in values], pa.string())
        adapted.rows = adapted.rows.set_column(
            adapted.rows.column_names.index(column), column, tied
        )
        for customer in moved:
            del adapted.contacts[customer]
        adapted.notes.append(
            f"customers: {answers:,} of the answers tied by e-mail ({_addresses(len(moved))}) "
            "went to customers already on file with that e-mail (or merged from it), under "
            "their ids"
        )
    if taken:
        adapted.notes.append(
            f"customers: {taken:,} address(es) merged into one customer earlier belong to "
            "another customer on file now; their answers went to the customer that holds the "
            "address now, not to the earlier one"
        )
    if earlier:
        adapted.notes.append(
            f"customers: {earlier:,} address(es) kept the {ID_PREFIX} customer an earlier "
            "version made for them (its id came from the address written differently)"
        )
    if shared:
        adapted.notes.append(
            f"customers: {shared:,} address(es) belong to several customers on file; their "
            f"answers keep an {ID_PREFIX} id of their own (map customer_id to say whose they are)"
        )


def merges_for(known: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The ``email:`` customers that are the company's customers, and whose customer each is.

    The rule of :func:`retie`: an address that exactly one customer on file (other than an
    ``email:`` one) has is that customer's; the ``email:`` customers of the address (its own
    and any an earlier version's key made for it, :func:`customers_by_email`) are then the
    same person. An address no such customer has, but whose own ``email:`` customer is on
    file, takes in the ``email:`` customers the ``str.lower`` key made for the ways of writing
    it that are one key now (``bo\u200bb@`` beside ``bob@``); not the one the ``str.casefold``
    key made, which may hold another mailbox's answers too. An address several customers
    share merges nothing.

    Parameters
    ----------
    known
        For each normalised address, the ids of the customers on file with it (the ``email:``
        customers of the address among them, when there are any).

    Returns
    -------
    dict[str, str]
        ``email:`` customer id -> the id of the customer it is.
    """
    merges: dict[str, str] = {}
    for address, ids in known.items():
        owners = [owner for owner in ids if not owner.startswith(ID_PREFIX)]
        stubs = [stub for stub in ids if stub.startswith(ID_PREFIX)]
        if len(owners) == 1:
            merges.update({stub: owners[0] for stub in stubs})
        elif not owners and (own := customer_id_for(address)) in stubs:
            folded = customer_id_for(_folded(address))
            merges.update({stub: own for stub in stubs if stub not in (own, folded)})
    return merges


def shared_addresses(known: Mapping[str, Sequence[str]]) -> int:
    """How many addresses of ``email:`` customers belong to several customers on file.

    ``known`` is as for :func:`merges_for`; such an ``email:`` customer merges into none.
    """
    return sum(
        any(owner.startswith(ID_PREFIX) for owner in ids)
        and sum(not owner.startswith(ID_PREFIX) for owner in ids) > 1
        for ids in known.values()
    )


def merge_notes(merge: CustomerMerge, *, shared: int = 0) -> list[str]:
    """What an import's merge of ``email:`` customers did, for its notes.

    ``shared`` counts the addresses of ``email:`` customers that several customers on file
    share (:func:`shared_addresses`), which merged nothing.
    """
    notes = []
    rekeyed = sum(customer.startswith(ID_PREFIX) for customer in merge.merged.values())
    if merge.merged:
        moved = ", ".join(f"{count:,} {table}" for table, count in sorted(merge.moved.items()))
        notes.append(
            f"customers: {len(merge.merged):,} customer(s) known only by e-mail address "
            "merged into the customer on file with that address"
            + (f" (moved to their ids: {moved})" if moved else "")
        )
    if rekeyed:
        notes.append(
            f"customers: {rekeyed:,} of them had an id an earlier version made from the address "
            "written differently (invisible characters, full-width letters, a capital sigma); "
            f"they are the address's {ID_PREFIX} customer now"
        )
    if merge.kept:
        notes.append(
            f"customers: {len(merge.kept):,} customer(s) known only by e-mail address kept "
            "apart from the customer on file with that address: both are in one ask campaign"
        )
    if shared:
        notes.append(
            f"customers: {shared:,} address(es) of customers known only by e-mail belong to "
            "several customers on file; none was merged, their answers keep the e-mail "
            "customer (give the customers distinct addresses, or map customer_id)"
        )
    return notes
