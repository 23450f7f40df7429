"""The public API is listed once, in ``advocacy.__all__``, and that list is complete."""

from __future__ import annotations

import inspect

import advocacy


def test_every_exported_name_exists() -> None:
    for name in advocacy.__all__:
        assert hasattr(advocacy, name), name


def test_every_public_class_and_function_is_exported() -> None:
    for name in advocacy.__all__:  # names load on first use (advocacy.lazy_names)
        getattr(advocacy, name)
    public = {
        name
        for name, value in vars(advocacy).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", "").startswith("advocacy")
    }
    missing = public - set(advocacy.__all__)
    assert not missing, f"add to advocacy.__all__: {sorted(missing)}"
