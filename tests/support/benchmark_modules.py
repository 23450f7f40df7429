"""The scripts of ``benchmarks/`` loaded as modules, for the tests of their helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load_benchmark(name: str, *, module_name: str | None = None) -> ModuleType:
    """``benchmarks/<name>.py`` as a module (``module_name``, default ``name``).

    The folder is on ``sys.path`` while it loads (a benchmark imports its siblings, such as
    ``text_analyze`` or ``text_corpora``, by name), and the module is registered in
    ``sys.modules`` (a dataclass looks its module up there).
    """
    spec = importlib.util.spec_from_file_location(module_name or name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module
