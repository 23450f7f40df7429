"""Generate docs/import.md: every kind with its fields and keys, every mapping key, an example.

The kinds come from :mod:`advocacy.model` and the mapping keys from
:class:`advocacy.ingest.mapping_keys.MappingFile`, so the page cannot describe a field or a key
the code does not have; ``python -m advocacy.present.cli.reference`` writes it and a test fails
when it drifts. The worked example is imported by that test too, so what the page says it does
is what it does.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from advocacy.inputs import MappingFile
from advocacy.model import BOOKKEEPING_FIELDS, CHILD_KINDS, KINDS, WHOLE_RECORD, Field, Kind

TYPE_NAMES = {
    "text": "text",
    "integer": "whole number",
    "float": "number",
    "timestamp": "date and time",
    "date": "date",
    "boolean": "true/false",
    "json": "JSON",
}

#: The worked example: a hotel's guest-survey export and the mapping that imports it.
EXAMPLE_FILE = """\
Ref,Guest,Stay date,Likelihood to recommend,Room (1-7),Staff (1-7),Comments,Booked via
G-1041,C-88,2024-05-02,9,6,7,"Lovely room, slow check-in",web
G-1042,C-12,2024-05-03,4,3,5,Noisy at night,phone
G-1043,C-88,2024-05-07,10,7,7,,web
G-1042,C-12,2024-05-03,5,3,5,"Noisy at night, though staff moved us",phone
"""
EXAMPLE_MAPPING = """\
kind: responses
columns:
  response_id: Ref
  customer_id: Guest
  submitted_at: Stay date
  nps: Likelihood to recommend
  comment: Comments
constants:
  survey: guest survey 2024
items:
  Room (1-7): {item: room, kind: perception, dimension: tangibles, scale_min: 1, scale_max: 7}
  Staff (1-7): {item: staff, kind: perception, dimension: assurance, scale_min: 1, scale_max: 7}
on_conflict: last
"""
#: What importing the example does (checked by tests/present/test_docs.py).
EXAMPLE_OUTCOME = {
    "rows_read": 4,
    "rows_loaded": 3,
    "rows_superseded": 1,
    "rows_quarantined": 0,
    "items_loaded": 6,
    "stubs_created": 2,
}


def _allowed(item: Field) -> str:
    parts = []
    if item.choices:
        parts.append("one of " + ", ".join(f"`{choice}`" for choice in item.choices))
    if item.minimum is not None and item.maximum is not None:
        parts.append(f"{item.minimum:g} to {item.maximum:g}")
    elif item.minimum is not None:
        parts.append(f"at least {item.minimum:g}")
    if item.reference is not None:
        parts.append(f"an id of {item.reference}; an unknown id creates a stub")
    return "; ".join(parts)


def _key_text(kind: Kind) -> str:
    key = ", ".join(f"`{name}`" for name in kind.key)
    if kind.derived_key is None:
        return f"Key: {key} (required)."
    if kind.derived_key == WHOLE_RECORD:
        return (
            f"Key: {key}; a row without it is keyed by everything it holds (see "
            "[Keys](#keys-how-an-import-finds-its-records))."
        )
    fields = ", ".join(f"`{name}`" for name in kind.derived_key)
    return (
        f"Key: {key}; a row without it is keyed by {fields}: rows agreeing on those are one record."
    )


def _kind_section(kind: Kind) -> list[str]:
    parent = next((name for name, child in CHILD_KINDS.items() if child is kind), None)
    lines = [f"### {kind.name}", "", f"{kind.help[:1].upper()}{kind.help[1:]}."]
    if parent is not None:
        lines[-1] += (
            f" Usually read from the rating columns of a {parent} file (`items:` in a mapping); "
            "importable on its own too."
        )
    lines += [
        "",
        _key_text(kind),
        "",
        "| field | type | required | allowed values | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in kind.fields:
        lines.append(
            f"| `{item.name}` | {TYPE_NAMES[item.type.value]} | {'yes' if item.required else ''} "
            f"| {_allowed(item)} | {item.help} |"
        )
    return [*lines, ""]


def _inner(annotation: Any) -> Any:
    """``annotation`` without ``Annotated`` and without ``None`` in a union."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(annotation) if option is not type(None)]
        if len(options) == 1:
            return _inner(options[0])
    return annotation


def _type_name(annotation: Any, metadata: list[Any] | None = None) -> str:
    """How a mapping key's type reads to a person: "whole number (at least 1)"."""
    annotation = _inner(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{choice}`" for choice in typing.get_args(annotation))
    if origin is dict:
        _, value = typing.get_args(annotation)
        value = _inner(value)
        if isinstance(value, type) and issubclass(value, BaseModel):
            return "mapping of name: settings (below)"
        return f"mapping of name: {_type_name(value)}"
    names = {str: "text", int: "whole number", float: "number", bool: "true or false"}
    name = names.get(annotation, getattr(annotation, "__name__", str(annotation)))
    bounds = [f"at least {rule.ge}" for rule in metadata or [] if hasattr(rule, "ge")] + [
        f"at most {rule.le}" for rule in metadata or [] if hasattr(rule, "le")
    ]
    return f"{name} ({', '.join(bounds)})" if bounds else name


def _default(field: FieldInfo) -> str:
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "none"
    return "empty" if value == {} else f"`{value}`"


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for argument in typing.get_args(_inner(annotation)):
        argument = _inner(argument)
        if isinstance(argument, type) and issubclass(argument, BaseModel):
            found.append(argument)
    return found


def _model_keys(model: type[BaseModel], heading: str) -> list[str]:
    """A section per key of ``model``: type, default, help, example; nested keys in a table."""
    lines: list[str] = []
    for name, field in model.model_fields.items():
        example = (field.examples or [f"{name}: ..."])[0]
        description = field.description or ""
        lines += [
            f"{heading} `{name}`",
            "",
            f"Type: {_type_name(field.annotation, field.metadata)}. Default: {_default(field)}.",
            "",
            f"{description[:1].upper()}{description[1:]}.",
            "",
            "```yaml",
            example,
            "```",
            "",
        ]
        for inner in _nested_models(field.annotation):
            lines += [
                f"Each entry of `{name}` takes these keys:",
                "",
                "| key | type | default | meaning |",
                "| --- | --- | --- | --- |",
            ]
            for key, setting in inner.model_fields.items():
                lines.append(
                    f"| `{key}` | {_type_name(setting.annotation, setting.metadata)} "
                    f"| {_default(setting)} | {setting.description} |"
                )
            lines.append("")
    return lines


INTRODUCTION = """# Importing data

Generated from the code (`advocacy/model.py` and `advocacy/ingest/mapping_keys.py`) by
`python -m advocacy.present.cli.reference`; a test fails when this page and the code drift
apart. The command itself is in [cli.md](cli.md#advocacy-import).

`advocacy import FILE --kind KIND` reads a CSV/TSV, XLSX, JSON, JSONL or Parquet file,
recognises survey-tool exports (Qualtrics, SurveyMonkey, Typeform, Google Forms, Delighted),
maps columns named as canonical fields (ignoring case, spaces and hyphens), and for survey
answers recognises NPS, CSAT, CES, rating items and the comment from each question's wording
and values; for mentions and notes (reviews, posts, interview notes) it recognises the column
holding what was written ("Review Text", "review_comment_message", "Rezension"), its title
("Title", "review_comment_title", "Headline": a survey answer's too), which text analysis
reads before the text (a row with a title and no text keeps its title as its text), a mention's
star rating ("Stars", "review_score", "5 von 5 Sternen"), when it was written
("review_creation_date", "tweet_created"; month names in English, German, French, Spanish,
Portuguese, Italian, Dutch and Indonesian) and its own id ("tweet_id", "reviewId", when
present, unique and written like a platform's id: row numbers 1, 2, 3 stay in attrs); a survey
answer's date is when it was answered, never a date sent, of birth or of an order; every
decision is listed with its evidence. A file whose first line is a record rather than names
(IndoNLU's `text<TAB>label` lines) is read as one. A file that no delimiter splits into columns
but whose commas split some lines (TweetEval's `test_text.txt`: a tweet per line, some with
commas) is read one text per line, each line as written, with a note saying how many lines hold
a comma, unless something shows it is a CSV: a cell quoted as a spreadsheet program or pandas quotes
one (anywhere in the file), the delimiter in most lines of the whole file (a table whose lines
split only further on), or a first line of two or more cells, none with an @mention, #hashtag
or link, that no line outnumbers (column names, however long, over a CSV whose trailing empty
cells were left out). Such a CSV is read as a CSV, and a line that does not split into its
columns goes to quarantine with its text. To have a file of texts read as a CSV, quote the
cells that hold the delimiter. The first line of a one-column file is the first text when it is
written like the texts under it and carries an @mention, a #hashtag or a link (unless the line
is as short as a name, at most 6 words and 50 characters, and the mark comes right after "of",
"about", "from", "mentioning" or "tagged", as in "Mentions of @acme"):
a question, a name or a plain sentence over the answers stays the column's name (a sentence
written like the texts, with a note saying how to keep it as a record). A TSV written without
quoting keeps its
quotes; "likely to recommend" answers in words (the NHS Friends and Family
Test) become a 1-5 rating item, never an NPS. Anything else maps with a mapping file
(`--map`, [below](#mapping-files)). `--dry-run` validates, counts and shows the first rows as
they would be stored, writing nothing.

A rating question keeps its meaning when some answers are not numbers. A cell that says no
answer was given ("N/A", "Not sure", "Don't know", "Prefer not to say", "-", and their German,
French, Spanish, Portuguese, Italian and Dutch forms: "Weiß nicht", "k.A.", "NSP", "NS/NC",
"Não sei", "Non so", "n.v.t."; Excel's "#N/A" and the "NaN" pandas writes for an empty cell)
is an empty score, kept as written in `attrs` under
"QUESTION (answer without a rating)"; a note counts them. Any other cell that is no number
("great", or "inf", which no one gives as a score) sends its row to quarantine naming the row,
column and value,
as long as at least 90% of 10 or more answers are numbers (the rule a review's star column
follows too); with more words than that, the column is not read as a rating and stays in
`attrs`. A question asking for the respondent's own words ("Why?", "Any comments?", "What could
we do better?", "How can we improve?", "What did you like most?", "Was können wir besser
machen?", "Que pourrions-nous améliorer ?") is the comment however short its answers ("not
bad", "ok"), if they vary. A survey answer without an id is keyed by its cells as written,
so a file imported before this reading (when such a column went to `attrs`) keys its rows as it
did: importing it again updates them, it never adds them twice. For the same reason a column
only named like the response's id ("review_id", "submission_id") stays in `attrs`: map it to
`response_id` with `--map` to key the responses by it (before a first import: rows already
stored keyed by their content would be loaded again).

Every column that fills no field is kept in the record's `attrs`, so nothing is lost. A row with
a bad cell goes to quarantine with its row, column, value, reason and fix (`advocacy quarantine
list`); the other rows load. A file in which no column can hold a required field (a mention's
text, a transaction's amount) is refused whole, naming the field, the file's columns and how to
map one. An import is all-or-nothing (a crash leaves the workspace as it was)
and idempotent: importing the same file again changes nothing. Timestamps without a UTC offset
are read in the workspace's time zone (the `timezone` setting, `ADVOCACY_TIMEZONE`, default UTC;
see [settings.md](settings.md)) unless a mapping names one.

Text is stored exactly as written: spaces around it, line breaks, quotes, any script. Values that
are read (ids, numbers, dates, choices) lose the blanks around them, and a blank cell is empty.
Dates are read in the forms people write (ISO 8601 with any offset form, e-mail and Twitter
dates, month names, day- or month-first numbers decided per column, Unix epochs, Excel day
numbers); the offset a value was written in is kept and exports write it back. Two changes are
deliberate and reported in the import's notes: text that is UTF-8 damaged by a wrong decoding
upstream (`JosÃ©`) is repaired, keeping the original where the repair is a guess, and a CSV or
XLSX cell that advocacy's export neutralised as a would-be formula (`'=...`) loses that `'`.

## Keys: how an import finds its records

Each kind has a key. A row whose key is already stored updates that record when its values
differ and is counted unchanged when they do not; a new key adds a record. So a later export
that overlaps an earlier one adds only its new rows.

**Files without ids.** When a row has no value for its kind's id (`response_id`, `mention_id`,
...), its key is derived from everything the row holds: every column of the file by name
(mapped to a field, read as an item rating or kept in `attrs`; empty cells do not count) and
the mapping's constants, plus its occurrence number among identical rows of the file (two equal
purchases on one day are two records). Derived keys start with `k`. Re-importing the file, or a
later export with the same columns, finds the same records; two different files never share
one. A later export that renames a column or writes its values differently (`9.0` for `9`)
gives new keys: give such files an id column. Targets are identified by their metric, scope and
due date instead, so a new desired value revises the target.

**Rows of one file sharing an id.** Identical repeats are counted as unchanged. Rows with the
same id but different values are a conflict: by default all of them are quarantined, each
naming the key and the other rows, because the file does not say which is right. A mapping's
`on_conflict: first` or `last` keeps that one instead; the others are set aside and listed in
the import's notes and counted as `superseded`.

**Workspaces from earlier versions** derived keys (starting with `h`) from a few fields only,
which could merge different records. Their rows keep those keys; importing one of their files
again keys its id-less rows the new way and adds them next to the old ones, so rebuild such a
workspace by importing its files into a fresh one.

## Kinds

Every record also carries these bookkeeping columns:

| column | meaning |
| --- | --- |
"""


def import_reference() -> str:
    """Markdown for docs/import.md."""
    lines = [INTRODUCTION.rstrip("\n")]
    lines += [f"| `{item.name}` | {item.help} |" for item in BOOKKEEPING_FIELDS]
    lines.append("")
    for kind in KINDS.values():
        lines += _kind_section(kind)
    lines += [
        "## Mapping files",
        "",
        "A mapping file is YAML naming, for each canonical field, the source column that holds "
        "it, and saying how to read the file. Columns already named as fields need no entry. "
        "A mistake (an empty file, an unknown or repeated key, a wrong type, a field the kind "
        "does not have, a column the file does not have, a `kind` that contradicts `--kind`) "
        "stops the import with one line naming the file, line, key, value and fix. These are "
        "its keys:",
        "",
        *_model_keys(MappingFile, "###"),
        "## A worked example",
        "",
        "A hotel's guest-survey export, `guests.csv`, with its own column names; guest G-1042's "
        "answer was corrected in a later row:",
        "",
        "```text",
        EXAMPLE_FILE.rstrip("\n"),
        "```",
        "",
        "The mapping, `guests.yaml`, names the columns, gives every row its survey, reads the "
        "two ratings as SERVQUAL perceptions on a 1-7 scale, and keeps the last of two rows "
        "with one id:",
        "",
        "```yaml",
        EXAMPLE_MAPPING.rstrip("\n"),
        "```",
        "",
        "```sh",
        "advocacy import guests.csv --kind responses --map guests.yaml --dry-run   # look first",
        "advocacy import guests.csv --kind responses --map guests.yaml",
        "```",
        "",
        f"reads {EXAMPLE_OUTCOME['rows_read']} rows and loads "
        f"{EXAMPLE_OUTCOME['rows_loaded']} responses with {EXAMPLE_OUTCOME['items_loaded']} "
        f"item ratings; {EXAMPLE_OUTCOME['rows_superseded']} row (the first G-1042) is "
        f"superseded by its correction, {EXAMPLE_OUTCOME['rows_quarantined']} are quarantined, "
        f"and the {EXAMPLE_OUTCOME['stubs_created']} guests become stub customers until a "
        "customers import fills them in. `Booked via` is kept in each response's `attrs`.",
        "",
    ]
    return "\n".join(lines)
