"""The one reader of hand-written files: lines of keys, a pydantic model, one error shape."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from advocacy.config_files import parse_toml, parse_yaml, validate
from advocacy.errors import InputError


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")

    size: int | str = Field(examples=["size: 3"])


class Whole(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    parts: list[Part] = []
    labels: Annotated[dict[str, int], BeforeValidator(lambda v: {} if v is None else v)] = {}


def test_an_error_names_file_line_field_value_and_fix() -> None:
    text = "name: kit\nparts:\n  - size: 1\n  - sise: 2\n"
    with pytest.raises(InputError) as raised:
        validate(Whole, parse_yaml(text, source="kit.yaml"))
    error = raised.value
    assert (error.file, error.row, error.column) == ("kit.yaml", 4, "parts.sise")
    assert str(error) == (
        "kit.yaml: line 4: parts[2].sise: unknown key; fix: did you mean 'size'? use one of: size"
    )


def test_union_members_do_not_show_in_the_field() -> None:
    document = parse_yaml("name: kit\nparts:\n  - size: [1]\n", source="kit.yaml")
    with pytest.raises(InputError) as raised:
        validate(Whole, document)
    assert raised.value.column == "parts.size" and raised.value.row == 3


def test_a_mapping_key_is_part_of_the_field() -> None:
    with pytest.raises(InputError, match=r"line 3: labels.b: must be a whole number \(value 'x'\)"):
        validate(Whole, parse_yaml("name: kit\nlabels:\n  b: x\n", source="kit.yaml"))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("name: a\nname: b\n", "line 2: name: is given twice (first on line 1)"),
        ("base: &b {size: 1}\nparts: [*b]\n", "line 2: not valid YAML: uses a YAML alias"),
        ("name: [unclosed\n", "line 2: not valid YAML"),
    ],
)
def test_yaml_that_would_mislead_is_refused(text: str, words: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_yaml(text, source="kit.yaml")
    assert words in str(raised.value) and raised.value.fix


def test_toml_keys_have_lines() -> None:
    document = parse_toml("# top\n[advocacy]\nmin_n = 5\n\n[other]\nmin_n = 6\n", source="a.toml")
    assert (document.line("advocacy.min_n"), document.line("other.min_n")) == (3, 6)
    with pytest.raises(InputError, match="line 1: not valid TOML"):
        parse_toml("min_n = \n", source="a.toml")
