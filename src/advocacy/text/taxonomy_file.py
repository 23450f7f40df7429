"""A taxonomy of curated themes, and the YAML file the user edits it in.

A taxonomy file is a list of themes under ``themes:``; each has a ``name`` and optionally a
``description``, ``keywords`` (words or phrases that mark the theme outright), ``examples``
(phrases that show what the theme sounds like) and a ``parent`` (another theme's name)::

    themes:
      - name: Delivery
        description: parcels arriving late, damaged or not at all
        keywords: [delivery, courier, parcel]
        examples: ["my order never arrived", "the box was crushed"]
      - name: Late delivery
        parent: Delivery
        keywords: [late, delayed]

What each field does (:mod:`advocacy.text.theme_assignment` has the details):

- ``keywords`` mark the theme outright, as whole words after stemming (score 1.0), and so do
  the words of its ``name`` that no other theme's name or description uses;
- the ``description`` says what the theme covers: with the name, keywords and examples it is
  the theme's meaning, and its own words (those no other theme uses) mark the theme only in a
  sentence whose meaning is near it, at that similarity ("shoes" of "clothes or shoes too small"
  does not make "Very comfortable shoes." a complaint about size at a keyword's score);
- ``examples`` only teach the meaning.

``keywords: small, large, tight`` (a string holding commas, a list written without brackets)
is read as three keywords and :attr:`Taxonomy.notes` says so with the file's line (the CLI
prints it): a keyword with a comma in it could never be found whole in a text. (Corrected:
review27 #14, it was one phrase, silently.)

A theme written as a name alone is marked by the words of its name and by its meaning (a
taxonomy written from theme names is a supported start): it loads, and
:meth:`Taxonomy.name_only` lists such themes so that ``text assign-themes`` can say they are
steered by their name alone. Only a theme with nothing to read is refused, with the fix: no
keywords, description, examples or child theme, and a name with no word left after stop words
(``- name: X``, ``- name: "???"``, ``- name: Other``). (Corrected: the first version also
refused a name whose words another theme's name shares, such as "Size" beside "Sizing and
fit", although meaning assigns it.)

The file is validated with pydantic models (:class:`TaxonomyFile`, :class:`ThemeSpec`): every
error names the file, the line, the theme and the fix. How the themes are assigned to texts is
:mod:`advocacy.text.theme_assignment`'s.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from advocacy.config_files import Document, file_error, parse_yaml, read_text, validate
from advocacy.errors import AdvocacyError, InputError, UsageError

__all__ = [
    "Phrases",
    "Taxonomy",
    "TaxonomyFile",
    "TaxonomyTheme",
    "ThemeSpec",
    "append_theme",
    "load_taxonomy",
    "parse_taxonomy",
    "promote",
    "save_taxonomy",
]


@dataclass(frozen=True)
class TaxonomyTheme:
    """One curated theme.

    Attributes
    ----------
    name
        The theme's name, unique in its taxonomy.
    description
        What the theme covers, in words.
    keywords
        Words and phrases that assign the theme wherever they occur.
    examples
        Example sentences that teach the theme's meaning.
    parent
        The name of the broader theme it belongs to, if any.

    Examples
    --------
    >>> TaxonomyTheme("Billing", keywords=("invoice", "charged")).as_dict()
    {'name': 'Billing', 'keywords': ['invoice', 'charged']}
    """

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    parent: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.description:
            out["description"] = self.description
        if self.keywords:
            out["keywords"] = list(self.keywords)
        if self.examples:
            out["examples"] = list(self.examples)
        if self.parent:
            out["parent"] = self.parent
        return out


@dataclass(frozen=True)
class Taxonomy:
    """A validated list of curated themes.

    Attributes
    ----------
    themes
        The themes, in the file's order.
    notes
        What loading the file read otherwise than written, one sentence each with the file's
        line and the way to write it (``keywords: small, large, tight`` read as three
        keywords); the CLI prints them.

    Examples
    --------
    >>> Taxonomy((TaxonomyTheme("Billing"), TaxonomyTheme("Staff"))).names
    ['Billing', 'Staff']
    """

    themes: tuple[TaxonomyTheme, ...] = field(default=())
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def names(self) -> list[str]:
        return [theme.name for theme in self.themes]

    def name_only(self) -> list[str]:
        """The themes written as a name alone: assigned by their name's words and meaning only.

        A theme with no keywords, description, examples or child theme is assigned by the
        words of its name and their meaning; nothing else steers it, so what it takes is worth
        a look.

        Returns
        -------
        list of str
            Their names, in the taxonomy's order.

        Examples
        --------
        >>> billing = TaxonomyTheme("Billing", keywords=("invoice",))
        >>> Taxonomy((billing, TaxonomyTheme("Staff"))).name_only()
        ['Staff']
        """
        parents = {theme.parent for theme in self.themes}
        return [
            theme.name
            for theme in self.themes
            if not (theme.keywords or theme.description or theme.examples or theme.name in parents)
        ]


def _phrases(value: Any) -> Any:
    """Keywords or examples: one phrase or a list of them (YAML may read a phrase as a number)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        raise PydanticCustomError(
            "phrases",
            "must be a list of phrases",
            {"fix": "write it like: [first phrase, second phrase]"},
        )
    return tuple(str(v).strip() for v in value if str(v).strip())


def _keywords(value: Any) -> Any:
    """Keywords: as :func:`_phrases`, but one string holding commas is a list written without
    brackets (``keywords: small, large, tight``), so it is split at the commas; a keyword with
    a comma in it could never be found whole in a text. Examples are sentences and keep theirs.
    """
    if isinstance(value, str) and "," in value:
        value = value.split(",")
    return _phrases(value)


def _comma_notes(document: Document) -> tuple[str, ...]:
    """One note per theme whose ``keywords`` string was split at its commas (:func:`_keywords`)."""
    themes = document.data.get("themes") if isinstance(document.data, dict) else None
    notes = []
    for index, spec in enumerate(themes if isinstance(themes, list) else []):
        value = spec.get("keywords") if isinstance(spec, dict) else None
        if not (isinstance(value, str) and "," in value):
            continue
        parts = [part.strip() for part in value.split(",") if part.strip()]
        line = document.line(f"themes.{index}.keywords")
        where = f"{document.source}" + (f" line {line}" if line is not None else "")
        notes.append(
            f"{where}: theme {spec.get('name')!r} keywords {value!r} read as "
            f"{len(parts)} keywords ({', '.join(repr(p) for p in parts)}); write them as "
            f"[{', '.join(parts)}] to say so, or quote each phrase in a list if a comma "
            "belongs to it"
        )
    return tuple(notes)


def _name(value: Any) -> Any:
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    if not text or isinstance(value, dict | list):
        raise PydanticCustomError("name", "the theme has no name", {"fix": "give it 'name: ...'"})
    return text


def _words(value: Any) -> Any:
    return "" if value is None else str(value).strip()


Phrases = Annotated[tuple[str, ...], BeforeValidator(_phrases)]


class ThemeSpec(BaseModel):
    """One theme as written in a taxonomy file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, BeforeValidator(_name)] = Field(
        "", validate_default=True, description="the theme's name", examples=["name: Delivery"]
    )
    description: Annotated[str, BeforeValidator(_words)] = Field(
        "", description="what the theme covers, in a line"
    )
    keywords: Annotated[tuple[str, ...], BeforeValidator(_keywords)] = Field(
        (),
        description="words or phrases that mark the theme outright (a string holding commas is "
        "split at them)",
    )
    examples: Phrases = Field((), description="phrases that show what the theme sounds like")
    parent: Annotated[str, BeforeValidator(_words)] = Field("", description="another theme's name")

    def theme(self) -> TaxonomyTheme:
        return TaxonomyTheme(
            self.name, self.description, self.keywords, self.examples, self.parent or None
        )


class TaxonomyFile(BaseModel):
    """A taxonomy file: its list of themes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    themes: list[ThemeSpec] = Field(
        description="the curated themes", examples=["themes: [{name: Delivery}]"]
    )


def _taxonomy(document: Document) -> Taxonomy:
    if not isinstance(document.data, dict):
        raise InputError(
            "a taxonomy file needs a top-level list called themes",
            file=document.source,
            fix="start the file with 'themes:' followed by '- name: ...' entries",
        )
    themes = [spec.theme() for spec in validate(TaxonomyFile, document).themes]
    names = [theme.name for theme in themes]

    def fail(index: int, key: str, message: str, fix: str, value: Any) -> InputError:
        return file_error(
            InputError,
            document.source,
            f"themes[{index + 1}].{key}",
            message,
            fix,
            value,
            line=document.line(f"themes.{index}.{key}"),
            column=key,
        )

    for index, theme in enumerate(themes):
        if names.index(theme.name) != index:
            raise fail(index, "name", f"theme {theme.name!r} is listed twice", "merge them", None)
        if theme.parent is not None and theme.parent not in names:
            raise fail(
                index,
                "parent",
                f"theme {theme.name!r} has parent {theme.parent!r}, which is not in the taxonomy",
                "add the parent theme or correct its name",
                theme.parent,
            )
    taxonomy = Taxonomy(tuple(themes), _comma_notes(document))
    for index in _unreadable(taxonomy):
        name = themes[index].name
        raise fail(
            index,
            "name",
            f"theme {name!r} has no keywords, description or examples, and its name has no "
            "word to read (a word of two letters or more, not a number): nothing can say which "
            "texts it covers",
            f"rename it to what it covers, or add 'keywords: [...]' (words that mark {name!r} "
            "in a text) or a 'description:' of what it covers",
            name,
        )
    return taxonomy


def _unreadable(taxonomy: Taxonomy) -> list[int]:
    """The themes with nothing to read: written as a name alone, with no word in the name.

    A name's word counts when it is not a number and has two letters or more ("UI", "TV",
    "Hat", "Other") or is not ASCII (a Chinese or Japanese name). "X", "???" and "12" leave
    nothing for meaning to go on. Stop words are not held against a name: one language's stop
    word is another's noun (German "hat", English "Hat"), and meaning reads the name whole.
    """
    from advocacy.text.phrases import words

    bare = set(taxonomy.name_only())
    return [
        index
        for index, theme in enumerate(taxonomy.themes)
        if theme.name in bare
        and not any(
            (len(word) >= 2 or not word.isascii()) and not word.isdigit()
            for word in words(theme.name.replace("_", " "))
        )
    ]


def parse_taxonomy(data: Any, *, path: str = "<taxonomy>") -> Taxonomy:
    """Validate parsed YAML into a :class:`Taxonomy` (every error names the theme and the fix).

    Parameters
    ----------
    data
        The parsed YAML: a mapping with a ``themes`` list.
    path
        What to call its source in errors.

    Returns
    -------
    Taxonomy
        The themes, in the order written.

    Raises
    ------
    InputError
        When ``data`` has no ``themes`` list, a theme is listed twice, its parent is missing or
        it has nothing to read (no keywords, description, examples, child or word in its name).
    ValidationError
        When a theme is malformed, with the field at fault.

    Examples
    --------
    >>> taxonomy = parse_taxonomy({"themes": [{"name": "Billing", "keywords": "invoice"}]})
    >>> taxonomy.themes[0].keywords
    ('invoice',)
    """
    return _taxonomy(Document(data, path))


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate a taxonomy YAML file (errors name its line too).

    Parameters
    ----------
    path
        The taxonomy file: a ``themes`` list, each with a ``name`` and optionally a
        ``description``, ``keywords``, ``examples`` and a ``parent``.

    Returns
    -------
    Taxonomy
        The themes, ready to tag texts.

    Raises
    ------
    InputError
        When the file does not exist or cannot be read, or a theme is listed twice, has a
        missing parent or nothing to read (:func:`parse_taxonomy`).
    ValidationError
        When a theme is malformed, with the file, line and field at fault.

    Examples
    --------
    >>> taxonomy = load_taxonomy("taxonomy.yaml")  # doctest: +SKIP
    """
    if not Path(path).exists():
        raise InputError(f"no taxonomy file {str(path)!r}", file=str(path), fix="check the path")
    text = read_text(path, what="taxonomy file")
    return _taxonomy(parse_yaml(text, source=str(path)))


def save_taxonomy(taxonomy: Taxonomy, path: str | Path) -> None:
    """Write ``taxonomy`` as YAML (the format :func:`load_taxonomy` reads).

    Parameters
    ----------
    taxonomy
        The themes.
    path
        The file to write (replaced if it exists).
    """
    text = yaml.safe_dump(
        {"themes": [t.as_dict() for t in taxonomy.themes]}, sort_keys=False, allow_unicode=True
    )
    Path(path).write_text(text, encoding="utf-8")


def promote(taxonomy: Taxonomy, theme: TaxonomyTheme) -> Taxonomy:
    """``taxonomy`` with ``theme`` added (a discovered theme becoming a curated one).

    Parameters
    ----------
    taxonomy
        The themes.
    theme
        The theme to add, last.

    Returns
    -------
    Taxonomy
        A new taxonomy; ``taxonomy`` is left as it was.

    Raises
    ------
    UsageError
        When the taxonomy already has a theme of that name.
    """
    if theme.name in taxonomy.names:
        raise UsageError(
            f"the taxonomy already has a theme {theme.name!r}", fix="pass another --name"
        )
    return Taxonomy((*taxonomy.themes, theme))


def append_theme(path: str | Path, theme: TaxonomyTheme, *, comment: str = "") -> str:
    """Add ``theme`` to the taxonomy file at ``path`` as text, keeping every line of it.

    The file is the user's: its comments, order and layout stay as written. The theme is
    appended to the file's ``themes`` list at its indentation, under ``comment`` (a YAML
    comment line, when given), and the result is read back: it must load as the file's
    themes plus ``theme``. When it cannot be appended so (the list is written inline,
    ``themes: [...]``, or the file ends in a way the new lines would change), the file is
    written again in full and the former one kept beside it as ``NAME.bak``. A missing
    file is created.

    Parameters
    ----------
    path
        The taxonomy file.
    theme
        The theme to add, last.
    comment
        One line said above the theme (without the ``#``), or nothing.

    Returns
    -------
    str
        How the file was written, to tell the user: ``created``, ``appended to`` or
        ``rewritten (...; the former file is kept as NAME.bak)``.

    Raises
    ------
    UsageError
        When the taxonomy already has a theme of that name.
    InputError
        When the file exists but is not a valid taxonomy (nothing is written).
    """
    theme = ThemeSpec.model_validate(theme.as_dict()).theme()  # as a file reads back: stripped
    target = Path(path)
    if not target.exists():
        save_taxonomy(Taxonomy((theme,)), target)
        return "created"
    text = read_text(target, what="taxonomy file")
    promoted = promote(_taxonomy(parse_yaml(text, source=str(target))), theme)
    indent = _item_indent(text)
    if indent is not None:
        # Keywords on one line as the documented format writes them; examples (sentences)
        # one to a line.
        def field(key: str, value: Any) -> str:
            if key == "keywords":
                listed = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True)
                return f"{key}: {' '.join(listed.split(chr(10)))}".rstrip() + "\n"
            return yaml.safe_dump({key: value}, allow_unicode=True, width=88)

        fields = "".join(field(key, value) for key, value in theme.as_dict().items()).splitlines(
            keepends=True
        )
        lines = ([f"# {' '.join(comment.split())}\n"] if comment.strip() else []) + [
            ("- " if number == 0 else "  ") + line for number, line in enumerate(fields)
        ]
        added = (text if not text or text.endswith("\n") else text + "\n") + "".join(
            " " * indent + line for line in lines
        )
        try:
            again = _taxonomy(parse_yaml(added, source=str(target)))
        except AdvocacyError:
            again = None
        if again is not None and again.themes == promoted.themes:
            target.write_text(added, encoding="utf-8")
            return "appended to"
    backup = target.with_name(target.name + ".bak")
    shutil.copyfile(target, backup)
    save_taxonomy(promoted, target)
    return (
        "rewritten (its themes list could not be added to as text; the former file is kept "
        f"as {backup})"
    )


def _item_indent(text: str) -> int | None:
    """The column of the ``-`` of the file's ``themes`` entries, or None when the list is not
    a block list with an entry (``themes: [...]``, ``themes: []``)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if key.value == "themes" and isinstance(value, yaml.SequenceNode):
            if value.flow_style or not value.value:
                return None
            return int(value.start_mark.column)
    return None
