"""The canonical data model: every kind of customer evidence, its fields, types and keys.

Both the importer (which validates rows against these fields) and the store (which creates the
tables) read this module, so the model is written down exactly once.

Each record keeps ``source`` (the import that last wrote it) and ``attrs`` (JSON of every source
column that did not map to a canonical field), so nothing a user gives us is lost.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum

from advocacy.errors import UsageError


class FieldType(StrEnum):
    """Logical column types, rendered per database dialect by the store."""

    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"
    TIMESTAMP = "timestamp"  # always time-zone aware (stored as UTC)
    DATE = "date"
    BOOLEAN = "boolean"
    JSON = "json"


@dataclass(frozen=True)
class Field:
    """One canonical field.

    ``minimum``/``maximum`` bound numeric values; ``choices`` restricts text values (compared in
    lower case); ``reference`` names the kind an id points at (a missing customer becomes a stub).
    """

    name: str
    type: FieldType
    help: str = ""
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    reference: str | None = None
    #: Whether the record hash counts the field when it is empty. A field added after records
    #: were stored says False: a record without it keeps the hash it had, so importing the
    #: same file again reports it unchanged rather than updated.
    hashed_when_empty: bool = True


@dataclass(frozen=True)
class Kind:
    """A kind of record users import, stored in ``table``.

    ``key`` is the natural key used for idempotent upserts. ``derived_key`` says how a record
    whose source gives no value for its single-column key gets one: ``None``, it cannot (the key
    is required); :data:`WHOLE_RECORD`, from everything the record holds (every field, its item
    ratings and the unmapped columns in ``attrs``) plus its occurrence number among identical
    rows of the file, so different records never share a key; or a tuple of fields that identify
    a record by themselves (a target is its metric, scope and due date), where two different rows
    with the same values are a conflict.
    """

    name: str
    table: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    derived_key: tuple[str, ...] | None = None
    help: str = ""
    extra_fields: tuple[Field, ...] = field(default=())

    def field(self, name: str) -> Field:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    @functools.cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields)

    @functools.cached_property
    def hashed_fields(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The fields the record hash counts always (empty as a mark), in order, and those it
        counts only when they hold a value (:attr:`Field.hashed_when_empty`), appended last."""
        return (
            tuple(item.name for item in self.fields if item.hashed_when_empty),
            tuple(item.name for item in self.fields if not item.hashed_when_empty),
        )


T = FieldType
#: ``Kind.derived_key`` of kinds whose records without an id are identified by all they hold.
WHOLE_RECORD: tuple[str, ...] = ()
JOURNEY_STAGES = ("sell", "solve", "serve", "other")
ITEM_KINDS = ("perception", "expectation", "importance", "rating")
CULTURE_ITEM_KINDS = ("current", "desired")

#: The bookkeeping column that keeps each timestamp's UTC offset as the source wrote it.
TIME_OFFSETS = "time_offsets"

#: Columns every record table carries besides its canonical fields.
BOOKKEEPING_FIELDS: tuple[Field, ...] = (
    Field("attrs", T.JSON, "unmapped source columns, as JSON"),
    Field(
        TIME_OFFSETS,
        T.JSON,
        "per timestamp field, the UTC offset the source wrote ('+02:00'), or the IANA zone its "
        "value was read in when it had none ('UTC', 'Europe/Berlin'); a timestamp without entry "
        "was written in UTC (+00:00, Z) or stored before offsets were kept; exports write it back",
    ),
    Field("source", T.TEXT, "id of the import that last wrote the record"),
    Field("record_hash", T.TEXT, "hash of the record's content, to tell updates from repeats"),
)

CUSTOMERS = Kind(
    "customers",
    "customers",
    (
        Field("customer_id", T.TEXT, "your id for the customer", required=True),
        Field("name", T.TEXT, "full name (personal data)"),
        Field("email", T.TEXT, "e-mail address (personal data)"),
        Field("phone", T.TEXT, "phone number (personal data)"),
        Field("segment", T.TEXT, "customer segment"),
        Field("region", T.TEXT, "region"),
        Field("value_tier", T.TEXT, "value tier, e.g. gold/silver/bronze"),
        Field("first_seen", T.TIMESTAMP, "when the customer relationship began"),
    ),
    key=("customer_id",),
    help="one row per customer",
    extra_fields=(
        Field("is_stub", T.BOOLEAN, "created from a reference, awaiting a customers import"),
    ),
)

RESPONSES = Kind(
    "responses",
    "responses",
    (
        Field("response_id", T.TEXT, "the survey tool's response id"),
        Field("customer_id", T.TEXT, "who answered (optional)", reference="customers"),
        Field("survey", T.TEXT, "survey name"),
        Field("submitted_at", T.TIMESTAMP, "when the answer was submitted"),
        Field("channel", T.TEXT, "channel, e.g. email, phone, web, store"),
        Field("touchpoint", T.TEXT, "touchpoint surveyed, e.g. onboarding, billing, support"),
        Field("journey_stage", T.TEXT, "sell, solve, serve or other", choices=JOURNEY_STAGES),
        Field("unit", T.TEXT, "business unit, store or team"),
        Field("employee_id", T.TEXT, "employee who served the customer"),
        Field("nps", T.INTEGER, "likelihood to recommend, 0-10", minimum=0, maximum=10),
        Field("csat", T.FLOAT, "satisfaction rating on its declared scale"),
        Field("csat_scale_min", T.INTEGER, "lowest CSAT rating (default 1)"),
        Field("csat_scale_max", T.INTEGER, "highest CSAT rating (default 5)"),
        Field("ces", T.FLOAT, "customer effort score on its declared scale (high = easy)"),
        Field("ces_scale_min", T.INTEGER, "lowest CES rating (default 1)"),
        Field("ces_scale_max", T.INTEGER, "highest CES rating (default 7)"),
        Field("comment", T.TEXT, "free-text answer"),
        Field(
            "title",
            T.TEXT,
            "the answer's title or subject line, read before the comment",
            hashed_when_empty=False,
        ),
        Field("language", T.TEXT, "language of the comment (ISO 639-1)"),
        Field("weight", T.FLOAT, "survey weight", minimum=0),
    ),
    key=("response_id",),
    derived_key=WHOLE_RECORD,
    help="survey answers with NPS, CSAT, CES and comments",
)

RESPONSE_ITEMS = Kind(
    "response-items",
    "response_items",
    (
        Field("response_id", T.TEXT, "the response this rating belongs to", required=True),
        Field("item", T.TEXT, "attribute or question rated", required=True),
        Field("dimension", T.TEXT, "dimension the item belongs to, e.g. reliability"),
        Field("kind", T.TEXT, "perception, expectation, importance or rating", choices=ITEM_KINDS),
        Field("value", T.FLOAT, "the rating", required=True),
        Field("scale_min", T.FLOAT, "lowest possible rating"),
        Field("scale_max", T.FLOAT, "highest possible rating"),
    ),
    key=("response_id", "item", "kind"),
    help="attribute ratings and SERVQUAL expectation/perception pairs",
)

INTERACTIONS = Kind(
    "interactions",
    "interactions",
    (
        Field("interaction_id", T.TEXT, "the system's id for the interaction"),
        Field("customer_id", T.TEXT, "the customer", reference="customers"),
        Field("occurred_at", T.TIMESTAMP, "when it happened", required=True),
        Field("channel", T.TEXT, "channel"),
        Field("touchpoint", T.TEXT, "touchpoint"),
        Field("journey_stage", T.TEXT, "sell, solve, serve or other", choices=JOURNEY_STAGES),
        Field("unit", T.TEXT, "business unit"),
        Field("employee_id", T.TEXT, "employee who handled it"),
        Field("outcome", T.TEXT, "outcome, e.g. resolved, escalated"),
        Field("duration_seconds", T.FLOAT, "how long it took, in seconds", minimum=0),
    ),
    key=("interaction_id",),
    derived_key=WHOLE_RECORD,
    help="contacts by touchpoint and channel",
)

MENTIONS = Kind(
    "mentions",
    "mentions",
    (
        Field("mention_id", T.TEXT, "the platform's id for the post or review"),
        Field("platform", T.TEXT, "e.g. twitter, trustpilot, google"),
        Field("author", T.TEXT, "author handle (personal data)"),
        Field("customer_id", T.TEXT, "the customer, when known", reference="customers"),
        Field("posted_at", T.TIMESTAMP, "when it was posted"),
        Field("text", T.TEXT, "what was written", required=True),
        Field(
            "title",
            T.TEXT,
            "the post's or review's title, read before its text",
            hashed_when_empty=False,
        ),
        Field("rating", T.FLOAT, "star rating, if any"),
        Field("url", T.TEXT, "link to the post"),
        Field("unit", T.TEXT, "unit mentioned"),
        Field("brand", T.TEXT, "brand mentioned"),
    ),
    key=("mention_id",),
    derived_key=WHOLE_RECORD,
    help="social posts and reviews",
)

NOTES = Kind(
    "notes",
    "notes",
    (
        Field("note_id", T.TEXT, "id of the note"),
        Field("customer_id", T.TEXT, "the customer", reference="customers"),
        Field("taken_at", T.TIMESTAMP, "when the note was taken"),
        Field("interviewer", T.TEXT, "who took it"),
        Field("text", T.TEXT, "the note", required=True),
    ),
    key=("note_id",),
    derived_key=WHOLE_RECORD,
    help="interview and call notes",
)

REFERRALS = Kind(
    "referrals",
    "referrals",
    (
        Field("referral_id", T.TEXT, "id of the referral"),
        Field("referrer_id", T.TEXT, "customer who referred", required=True, reference="customers"),
        Field(
            "referred_customer_id", T.TEXT, "referred customer, once known", reference="customers"
        ),
        Field("referred_contact", T.TEXT, "referred person's contact (personal data)"),
        Field("referred_at", T.TIMESTAMP, "when the referral was made", required=True),
        Field("code", T.TEXT, "referral code used"),
        Field("channel", T.TEXT, "how it was shared"),
        Field("converted_at", T.TIMESTAMP, "when the referred person became a customer"),
        Field("first_order_value", T.FLOAT, "value of the referred customer's first order"),
    ),
    key=("referral_id",),
    derived_key=WHOLE_RECORD,
    help="referrals made by customers",
)

TRANSACTIONS = Kind(
    "transactions",
    "transactions",
    (
        Field("transaction_id", T.TEXT, "order or invoice id"),
        Field("customer_id", T.TEXT, "the customer", required=True, reference="customers"),
        Field("occurred_at", T.TIMESTAMP, "when it happened", required=True),
        Field("amount", T.FLOAT, "monetary value", required=True),
        Field("currency", T.TEXT, "ISO 4217 currency code"),
        Field("quantity", T.FLOAT, "units bought"),
    ),
    key=("transaction_id",),
    derived_key=WHOLE_RECORD,
    help="purchases",
)

EMPLOYEES = Kind(
    "employees",
    "employees",
    (
        Field("employee_id", T.TEXT, "your id for the employee", required=True),
        Field("name", T.TEXT, "full name (personal data)"),
        Field("email", T.TEXT, "e-mail address (personal data)"),
        Field("unit", T.TEXT, "business unit"),
        Field("role", T.TEXT, "job role"),
        Field("supervisor_id", T.TEXT, "the employee's supervisor"),
        Field("hired_at", T.DATE, "hire date"),
    ),
    key=("employee_id",),
    help="employees, for coaching and culture views",
)

EMPLOYEE_RESPONSES = Kind(
    "employee-responses",
    "employee_responses",
    (
        Field("employee_response_id", T.TEXT, "id of the answer"),
        Field("employee_id", T.TEXT, "who answered (blank when anonymous)"),
        Field("unit", T.TEXT, "business unit", required=True),
        Field("submitted_at", T.TIMESTAMP, "when it was submitted", required=True),
        Field("enps", T.INTEGER, "employee likelihood to recommend, 0-10", minimum=0, maximum=10),
        Field("comment", T.TEXT, "free-text answer"),
    ),
    key=("employee_response_id",),
    derived_key=WHOLE_RECORD,
    help="employee and culture survey answers (anonymous allowed)",
)

EMPLOYEE_RESPONSE_ITEMS = Kind(
    "employee-response-items",
    "employee_response_items",
    (
        Field("employee_response_id", T.TEXT, "the answer this rating belongs to", required=True),
        Field("item", T.TEXT, "culture attribute rated", required=True),
        Field("kind", T.TEXT, "current or desired", required=True, choices=CULTURE_ITEM_KINDS),
        Field("value", T.FLOAT, "the rating", required=True),
        Field("scale_min", T.FLOAT, "lowest possible rating"),
        Field("scale_max", T.FLOAT, "highest possible rating"),
    ),
    key=("employee_response_id", "item", "kind"),
    help="culture ratings, current and desired",
)

TARGETS = Kind(
    "targets",
    "targets",
    (
        Field("target_id", T.TEXT, "id of the target"),
        Field("metric", T.TEXT, "metric or item, e.g. nps, csat, item:reliability", required=True),
        Field("scope", T.TEXT, "where it applies, e.g. all, unit=North"),
        Field("desired_value", T.FLOAT, "the value wanted", required=True),
        Field("due", T.DATE, "when it is due"),
    ),
    key=("target_id",),
    derived_key=("metric", "scope", "due"),
    help="desired values for metrics and items",
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        CUSTOMERS,
        RESPONSES,
        RESPONSE_ITEMS,
        INTERACTIONS,
        MENTIONS,
        NOTES,
        REFERRALS,
        TRANSACTIONS,
        EMPLOYEES,
        EMPLOYEE_RESPONSES,
        EMPLOYEE_RESPONSE_ITEMS,
        TARGETS,
    )
}

#: Items imported alongside a parent kind (ratings of a survey answer).
CHILD_KINDS: dict[str, Kind] = {
    "responses": RESPONSE_ITEMS,
    "employee-responses": EMPLOYEE_RESPONSE_ITEMS,
}


def kind_for(name: str) -> Kind:
    """Return the kind called ``name`` (``employee_responses`` = ``employee-responses``)."""
    normal = name.strip().lower().replace("_", "-")
    if normal not in KINDS:
        raise UsageError(
            f"unknown kind {name!r}",
            fix="use one of: " + ", ".join(KINDS),
            parameter="--kind",
            value=name,
        )
    return KINDS[normal]
