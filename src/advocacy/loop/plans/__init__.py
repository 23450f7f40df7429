"""Action plans: creating and changing them (``changes``), the record, its checks and table
(``store``), the fields a plan has (``fields``), movement and verdict (``progress``), measuring a
metric (``impact``) and what a plan may fix (``links``).

The names the facade uses are listed in ``__all__`` and imported on first use (PEP 562), so the
modules of ``advocacy.loop`` may import one another without cycles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.loop.plans.changes import add_plan, update_plan
    from advocacy.loop.plans.links import gap_rows
    from advocacy.loop.plans.progress import (
        PlanProgress,
        plan_progress,
        plan_summary,
        plans_progress,
    )
    from advocacy.loop.plans.store import Plan

_LAZY = {
    "add_plan": "advocacy.loop.plans.changes",
    "gap_rows": "advocacy.loop.plans.links",
    "Plan": "advocacy.loop.plans.store",
    "plan_progress": "advocacy.loop.plans.progress",
    "plan_summary": "advocacy.loop.plans.progress",
    "PlanProgress": "advocacy.loop.plans.progress",
    "plans_progress": "advocacy.loop.plans.progress",
    "update_plan": "advocacy.loop.plans.changes",
}

__all__ = [
    "Plan",
    "PlanProgress",
    "add_plan",
    "gap_rows",
    "plan_progress",
    "plan_summary",
    "plans_progress",
    "update_plan",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
