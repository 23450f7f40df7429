"""advocacy: customer advocacy analytics with honest numbers.

The public API is listed once, here, in ``__all__``. Its names are imported on first use
(PEP 562), so ``import advocacy`` and the CLI's start-up do not load pandas, SciPy, Ibis and
the text models for a command that needs none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from advocacy.errors import (
    AdvocacyError,
    InputError,
    MappingError,
    SchemaVersionError,
    UsageError,
    ValidationError,
    WorkspaceError,
)
from advocacy.lazy_names import lazy_names as _lazy_names

if TYPE_CHECKING:
    from advocacy.access.roles import AccessDeniedError, AuthenticationError
    from advocacy.drivers.ipa import ImportancePerformance, importance_performance
    from advocacy.drivers.relative_importance import RelativeImportance, relative_importance
    from advocacy.drivers.theme_drivers import theme_mentions
    from advocacy.gaps.culture import CultureResult, UnitLink, culture_gaps, employee_customer_link
    from advocacy.gaps.maturity import (
        MaturityProfile,
        maturity_questionnaire,
        score_maturity,
        write_maturity_template,
    )
    from advocacy.gaps.register import gap_register
    from advocacy.gaps.root_causes import theme_lift
    from advocacy.gaps.servqual import ServqualResult, servqual_gaps, servqual_template
    from advocacy.gaps.targets import target_gaps
    from advocacy.loop.cases.opening import open_cases_for
    from advocacy.loop.cases.recovery import LoopResults, loop_results
    from advocacy.loop.cases.rule_format import parse_rules
    from advocacy.loop.cases.rules import Rule
    from advocacy.loop.cases.store import Case, list_cases
    from advocacy.loop.notify.delivery import DeliveryReport, deliver_due
    from advocacy.loop.notify.webhooks import verify_signature
    from advocacy.loop.plans.changes import add_plan
    from advocacy.loop.plans.progress import PlanProgress, plan_progress
    from advocacy.loop.plans.store import Plan
    from advocacy.metrics.rollup import MetricsRequest
    from advocacy.metrics.scores import NpsResult, ScoreResult, nps, nps_from_counts
    from advocacy.retention import BetaGeo, GammaGamma, summarize_transactions
    from advocacy.settings import Settings
    from advocacy.store.connection import StorageFault, storage_fault
    from advocacy.text import (
        CalibratedSentiment,
        discover_themes,
        effort,
        emotions,
        load_taxonomy,
        redact,
        sentiment,
        theme_impact,
    )
    from advocacy.text.themes import theme_share_impact
    from advocacy.workspace import Workspace, open_parquet
    from advocacy.workspace import open_workspace as open

#: Public name -> the module that defines it (``module:name`` where the name differs).
_LAZY = {
    "AccessDeniedError": "advocacy.access.roles",
    "add_plan": "advocacy.loop.plans.changes",
    "AuthenticationError": "advocacy.access.roles",
    "BetaGeo": "advocacy.retention",
    "CalibratedSentiment": "advocacy.text",
    "Case": "advocacy.loop.cases.store",
    "culture_gaps": "advocacy.gaps.culture",
    "CultureResult": "advocacy.gaps.culture",
    "deliver_due": "advocacy.loop.notify.delivery",
    "DeliveryReport": "advocacy.loop.notify.delivery",
    "discover_themes": "advocacy.text",
    "effort": "advocacy.text",
    "emotions": "advocacy.text",
    "employee_customer_link": "advocacy.gaps.culture",
    "GammaGamma": "advocacy.retention",
    "gap_register": "advocacy.gaps.register",
    "importance_performance": "advocacy.drivers.ipa",
    "ImportancePerformance": "advocacy.drivers.ipa",
    "list_cases": "advocacy.loop.cases.store",
    "load_taxonomy": "advocacy.text",
    "loop_results": "advocacy.loop.cases.recovery",
    "LoopResults": "advocacy.loop.cases.recovery",
    "maturity_questionnaire": "advocacy.gaps.maturity",
    "MaturityProfile": "advocacy.gaps.maturity",
    "MetricsRequest": "advocacy.metrics.rollup",
    "nps": "advocacy.metrics.scores",
    "nps_from_counts": "advocacy.metrics.scores",
    "NpsResult": "advocacy.metrics.scores",
    "open": "advocacy.workspace:open_workspace",
    "open_cases_for": "advocacy.loop.cases.opening",
    "open_parquet": "advocacy.workspace",
    "parse_rules": "advocacy.loop.cases.rule_format",
    "Plan": "advocacy.loop.plans.store",
    "plan_progress": "advocacy.loop.plans.progress",
    "PlanProgress": "advocacy.loop.plans.progress",
    "redact": "advocacy.text",
    "relative_importance": "advocacy.drivers.relative_importance",
    "RelativeImportance": "advocacy.drivers.relative_importance",
    "Rule": "advocacy.loop.cases.rules",
    "score_maturity": "advocacy.gaps.maturity",
    "ScoreResult": "advocacy.metrics.scores",
    "sentiment": "advocacy.text",
    "servqual_gaps": "advocacy.gaps.servqual",
    "servqual_template": "advocacy.gaps.servqual",
    "ServqualResult": "advocacy.gaps.servqual",
    "Settings": "advocacy.settings",
    "StorageFault": "advocacy.store.connection",
    "storage_fault": "advocacy.store.connection",
    "summarize_transactions": "advocacy.retention",
    "target_gaps": "advocacy.gaps.targets",
    "theme_impact": "advocacy.text",
    "theme_lift": "advocacy.gaps.root_causes",
    "theme_share_impact": "advocacy.text.themes",
    "theme_mentions": "advocacy.drivers.theme_drivers",
    "UnitLink": "advocacy.gaps.culture",
    "verify_signature": "advocacy.loop.notify.webhooks",
    "Workspace": "advocacy.workspace",
    "write_maturity_template": "advocacy.gaps.maturity",
}


__version__ = "0.1.0"

__all__ = [
    "AccessDeniedError",
    "AdvocacyError",
    "AuthenticationError",
    "BetaGeo",
    "CalibratedSentiment",
    "Case",
    "CultureResult",
    "DeliveryReport",
    "GammaGamma",
    "ImportancePerformance",
    "InputError",
    "LoopResults",
    "MappingError",
    "MaturityProfile",
    "MetricsRequest",
    "NpsResult",
    "Plan",
    "PlanProgress",
    "RelativeImportance",
    "Rule",
    "SchemaVersionError",
    "ScoreResult",
    "ServqualResult",
    "Settings",
    "StorageFault",
    "UnitLink",
    "UsageError",
    "ValidationError",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "add_plan",
    "culture_gaps",
    "deliver_due",
    "discover_themes",
    "effort",
    "emotions",
    "employee_customer_link",
    "gap_register",
    "importance_performance",
    "list_cases",
    "load_taxonomy",
    "loop_results",
    "maturity_questionnaire",
    "nps",
    "nps_from_counts",
    "open",
    "open_cases_for",
    "open_parquet",
    "parse_rules",
    "plan_progress",
    "redact",
    "relative_importance",
    "score_maturity",
    "sentiment",
    "servqual_gaps",
    "servqual_template",
    "storage_fault",
    "summarize_transactions",
    "target_gaps",
    "theme_impact",
    "theme_lift",
    "theme_mentions",
    "theme_share_impact",
    "verify_signature",
    "write_maturity_template",
]

__getattr__, __dir__ = _lazy_names(__name__, _LAZY, __all__)
