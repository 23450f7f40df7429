"""The keys a mapping file may hold: one pydantic model, which is the table of keys.

Each key is one field of :class:`MappingFile` with its type, its help (``description``) and an
example (``examples[0]``, YAML). Validation (unknown keys, wrong types, values out of range),
the errors users see and ``docs/import.md`` are all read from these fields, so a key is added
by adding a field here, with its help and an example, and nowhere else. Checks that need the
file being imported or the kind (field names, column names, item kinds) are
:func:`advocacy.ingest.mapping.apply_mapping`'s.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
)
from pydantic_core import PydanticCustomError

from advocacy.config_files import Document
from advocacy.errors import UsageError
from advocacy.ingest.date_rules import DateRule, DateRules, format_problem, zone_problem
from advocacy.ingest.validation import ON_CONFLICT
from advocacy.model import kind_for

__all__ = ["DateSpec", "ItemSpec", "MappingFile", "OnConflict"]

#: YAML reads these unquoted words as true/false, which cannot be a column's name.
_YAML_BOOLEANS = "yes, no, on, off, true, false"


def _name(value: Any) -> Any:
    """A column or field name: YAML may read ``2024`` or ``1.5`` as numbers; they are names."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "yaml_boolean",
            "is read by YAML as true or false, not as a name",
            {"fix": f"write the name in quotes: YAML reads {_YAML_BOOLEANS} as true or false"},
        )
    if isinstance(value, int | float):
        return str(value)
    return value


def _constant(value: Any) -> Any:
    """A constant's text: numbers and true/false as written, lists and mappings refused."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _section(value: Any) -> Any:
    """An empty section (``columns:`` with nothing under it) maps nothing."""
    return {} if value is None else value


def _kind(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return kind_for(value).name
        except UsageError as error:
            raise PydanticCustomError("kind", "is not a kind", {"fix": error.fix}) from None
    return value


def _zone_text(value: Any) -> Any:
    if not isinstance(value, str) or not value.strip():
        raise PydanticCustomError(
            "timezone", "must be a time zone name", {"fix": "write e.g. timezone: Europe/Berlin"}
        )
    return value.strip()


def _zone(value: str) -> str:
    problem = zone_problem(value)
    if problem is not None:
        raise PydanticCustomError("timezone", problem[0], {"fix": problem[1]})
    return value


def _format(value: str) -> str:
    problem = format_problem(value)
    if problem is not None:
        # Braces in the message would be read as placeholders of the message template.
        message = problem[0].replace("{", "(").replace("}", ")")
        raise PydanticCustomError("date_format", message, {"fix": problem[1]})
    return value


Name = Annotated[str, BeforeValidator(_name)]
TimeZone = Annotated[str, BeforeValidator(_zone_text), AfterValidator(_zone)]
DateFormat = Annotated[str, Strict(), AfterValidator(_format)]
DayFirst = Annotated[bool, Strict()]
Constant = Annotated[str, BeforeValidator(_constant)]
Number = Annotated[float, Strict()]
KindName = Annotated[str, BeforeValidator(_kind)]
OnConflict = Literal["quarantine", "first", "last"]
assert OnConflict.__args__ == ON_CONFLICT  # type: ignore[attr-defined]  # one list of choices


class ItemSpec(BaseModel):
    """How one source column becomes item ratings (``items:`` of a mapping)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: Name | None = Field(
        None,
        description="name of the item rated (default: the column's name)",
        examples=["item: fit"],
    )
    kind: Name = Field(
        "rating",
        description="perception, expectation, importance or rating; current or desired for "
        "employee-responses",
        examples=["kind: perception"],
    )
    dimension: Name | None = Field(
        None,
        description="the dimension the item belongs to, e.g. reliability (SERVQUAL)",
        examples=["dimension: reliability"],
    )
    scale_min: Number | None = Field(
        None, description="lowest possible rating", examples=["scale_min: 1"]
    )
    scale_max: Number | None = Field(
        None, description="highest possible rating", examples=["scale_max: 7"]
    )


class DateSpec(BaseModel):
    """How one canonical date field is written (``dates:`` of a mapping)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date_format: DateFormat | None = Field(
        None,
        description="the strptime format of the field (overrides the top-level date_format)",
        examples=["date_format: '%d.%m.%Y %H:%M'"],
    )
    day_first: DayFirst | None = Field(
        None,
        description="whether 05/10/2021 is 5 October in this field",
        examples=["day_first: true"],
    )
    timezone: TimeZone | None = Field(
        None,
        description="the zone of this field's values that carry no UTC offset",
        examples=["timezone: America/New_York"],
    )

    def rule(self) -> DateRule:
        """The declaration as a :class:`~advocacy.ingest.date_rules.DateRule`."""
        return DateRule(self.date_format, self.day_first, self.timezone)


class MappingFile(BaseModel):
    """A mapping file: which source column fills which canonical field, and how to read it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: KindName | None = Field(
        None,
        description="the kind of record the file holds; an import with another --kind is refused",
        examples=["kind: mentions"],
    )
    columns: Annotated[dict[Name, Name], BeforeValidator(_section)] = Field(
        default_factory=dict,
        description="canonical field: the source column that holds it; columns already named as "
        "a field (ignoring case, spaces and hyphens) need no entry; every other column is kept "
        "in attrs",
        examples=["columns:\n  mention_id: tweet_id\n  posted_at: tweet_created"],
    )
    constants: Annotated[dict[Name, Constant], BeforeValidator(_section)] = Field(
        default_factory=dict,
        description="canonical field: a value every row gets (the platform of a tweets file, "
        "the scale of a CSAT question)",
        examples=["constants:\n  platform: twitter\n  csat_scale_max: 10"],
    )
    items: Annotated[dict[Name, ItemSpec], BeforeValidator(_section)] = Field(
        default_factory=dict,
        description="for responses and employee-responses: each source column whose values "
        "are ratings of an item (one item rating per row), with the keys below",
        examples=[
            "items:\n  Fit: {item: fit, kind: rating, scale_min: 1, scale_max: 5}\n"
            "  Expected speed: {item: speed, kind: expectation, dimension: responsiveness}"
        ],
    )
    customer_email: Name | None = Field(
        None,
        description="for responses: the column of e-mail addresses that ties an answer without "
        "a customer_id to a customer (its id is 'email:' and a hash of the address, or the id "
        "of the customer already on file with that e-mail; the address is kept as the "
        "customer's e-mail; an 'email:' customer whose address a customers file names later "
        "is merged into that customer). Exports recognised without a mapping (Qualtrics "
        "RecipientEmail, SurveyMonkey and Google Forms Email Address, a Typeform hidden field "
        "email, a plain file's Email column) are tied so by default; a mapping without this "
        "key ties no answer by e-mail",
        examples=["customer_email: RecipientEmail"],
    )
    header_rows: Annotated[int, Strict(), Field(ge=0)] = Field(
        1,
        description="rows of header at the top of the file: 0 when the file has none (columns "
        "are then named column_1..column_N and the first line is data), 2 or more when a "
        "survey tool writes question and option rows; several rows combine into one name per "
        "column (`Question - Option`), a blank upper cell carried from the left",
        examples=["header_rows: 0", "header_rows: 2"],
    )
    on_conflict: OnConflict = Field(
        "quarantine",
        description="rows of the file that share a key (an id) but differ: quarantine them all "
        "(the file does not say which is right), or keep the first or the last of them; "
        "identical repeats are counted as unchanged either way",
        examples=["on_conflict: last"],
    )

    date_format: DateFormat | None = Field(
        None,
        description="the strptime format of every date field (quoted); a value that does not "
        "match is quarantined. Without it each column's form is found from its values: ISO "
        "8601, e-mail and Twitter dates, month names, day- or month-first numbers, epochs, "
        "Excel day numbers",
        examples=["date_format: '%d/%m/%Y %H:%M'"],
    )
    day_first: DayFirst | None = Field(
        None,
        description="whether 05/10/2021 is 5 October (true) or May 10 (false) in every date "
        "field; without it a column is read day-first only when its values show it (a day "
        "above 12), and a column that never shows it is read month-first with a note",
        examples=["day_first: true"],
    )
    timezone: TimeZone | None = Field(
        None,
        description="the IANA zone of date values that carry no UTC offset (default UTC); "
        "values with an offset keep it, and exports write it back",
        examples=["timezone: Europe/Berlin"],
    )
    dates: Annotated[dict[Name, DateSpec], BeforeValidator(_section)] = Field(
        default_factory=dict,
        description="per canonical date field: date_format, day_first or timezone, over the "
        "top-level ones",
        examples=["dates:\n  submitted_at: {date_format: '%d.%m.%Y %H:%M', timezone: UTC}"],
    )

    _path: str = PrivateAttr("")
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def path(self) -> str:
        """The mapping file this was read from."""
        return self._path

    @property
    def date_rules(self) -> DateRules:
        """The date declarations: the top-level keys, and each field's under ``dates:``."""
        return DateRules(
            every=DateRule(self.date_format, self.day_first, self.timezone),
            fields={name: spec.rule() for name, spec in self.dates.items()},
            source=self._path or "the mapping",
        )

    def line(self, key: str) -> int | None:
        """The line of ``key`` (``columns.unit``) in the file, or of its section."""
        return Document(None, self._path, self._lines).line(key)
