"""Case rules and cases: the rules (``rules``, ``rule_format``, ``rule_store``, ``triggers``),
the case record and its table (``store``), opening cases on new evidence (``opening``), working a
case (``work``), escalation and the customer rules (``escalation``), the owners cases route to
(``owners``), the loop's results (``recovery``, ``recovery_rule``) and coaching (``coaching``,
``employee_cases``, ``employee_feedback``).

The names the facade uses are listed in ``__all__`` and imported on first use (PEP 562), so the
modules of ``advocacy.loop`` may import one another without cycles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.loop.cases.escalation import SweepResult, sweep
    from advocacy.loop.cases.opening import open_cases_for
    from advocacy.loop.cases.recovery import LoopResults, loop_results
    from advocacy.loop.cases.recovery_rule import RECOVERY_WINDOW_DAYS
    from advocacy.loop.cases.rule_format import dump_rules
    from advocacy.loop.cases.rule_store import list_rules, load_rules
    from advocacy.loop.cases.rules import Rule
    from advocacy.loop.cases.store import (
        DEFAULT_LIMIT,
        Case,
        CaseDetail,
        count_cases,
        get_case,
        list_cases,
        work_mark,
    )
    from advocacy.loop.cases.work import work_case

_LAZY = {
    "Case": "advocacy.loop.cases.store",
    "CaseDetail": "advocacy.loop.cases.store",
    "DEFAULT_LIMIT": "advocacy.loop.cases.store",
    "count_cases": "advocacy.loop.cases.store",
    "dump_rules": "advocacy.loop.cases.rule_format",
    "get_case": "advocacy.loop.cases.store",
    "list_cases": "advocacy.loop.cases.store",
    "list_rules": "advocacy.loop.cases.rule_store",
    "load_rules": "advocacy.loop.cases.rule_store",
    "loop_results": "advocacy.loop.cases.recovery",
    "LoopResults": "advocacy.loop.cases.recovery",
    "open_cases_for": "advocacy.loop.cases.opening",
    "RECOVERY_WINDOW_DAYS": "advocacy.loop.cases.recovery_rule",
    "Rule": "advocacy.loop.cases.rules",
    "sweep": "advocacy.loop.cases.escalation",
    "SweepResult": "advocacy.loop.cases.escalation",
    "work_case": "advocacy.loop.cases.work",
    "work_mark": "advocacy.loop.cases.store",
}

__all__ = [
    "DEFAULT_LIMIT",
    "RECOVERY_WINDOW_DAYS",
    "Case",
    "CaseDetail",
    "LoopResults",
    "Rule",
    "SweepResult",
    "count_cases",
    "dump_rules",
    "get_case",
    "list_cases",
    "list_rules",
    "load_rules",
    "loop_results",
    "open_cases_for",
    "sweep",
    "work_case",
    "work_mark",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
