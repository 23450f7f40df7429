"""advocacy: customer advocacy analytics with honest numbers.

The public API is listed once, here, in ``__all__``.
"""

from advocacy.access.roles import AccessDeniedError, AuthenticationError
from advocacy.drivers.ipa import ImportancePerformance, importance_performance
from advocacy.drivers.relative_importance import RelativeImportance, relative_importance
from advocacy.drivers.theme_drivers import theme_mentions
from advocacy.errors import (
    AdvocacyError,
    InputError,
    MappingError,
    SchemaVersionError,
    UsageError,
    ValidationError,
    WorkspaceError,
)
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
from advocacy.loop.case_opening import open_cases_for
from advocacy.loop.cases import Case, list_cases
from advocacy.loop.delivery import DeliveryReport, deliver_due
from advocacy.loop.plan_progress import PlanProgress, plan_progress
from advocacy.loop.plan_store import Plan
from advocacy.loop.plans import add_plan
from advocacy.loop.recovery import LoopResults, loop_results
from advocacy.loop.rule_format import parse_rules
from advocacy.loop.rules import Rule
from advocacy.loop.webhooks import verify_signature
from advocacy.metrics.rollup import MetricsRequest
from advocacy.metrics.scores import NpsResult, ScoreResult, nps, nps_from_counts
from advocacy.retention import BetaGeo, GammaGamma, summarize_transactions
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
from advocacy.workspace import Workspace
from advocacy.workspace import open_workspace as open

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
    "parse_rules",
    "plan_progress",
    "redact",
    "relative_importance",
    "score_maturity",
    "sentiment",
    "servqual_gaps",
    "servqual_template",
    "summarize_transactions",
    "target_gaps",
    "theme_impact",
    "theme_lift",
    "theme_mentions",
    "verify_signature",
    "write_maturity_template",
]
