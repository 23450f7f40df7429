"""advocacy: customer advocacy analytics with honest numbers.

The public API is listed once, here, in ``__all__``.
"""

from advocacy.errors import (
    AdvocacyError,
    InputError,
    MappingError,
    SchemaVersionError,
    UsageError,
    ValidationError,
    WorkspaceError,
)
from advocacy.metrics.scores import NpsResult, ScoreResult, nps, nps_from_counts
from advocacy.workspace import Workspace
from advocacy.workspace import open_workspace as open

__version__ = "0.1.0"

__all__ = [
    "AdvocacyError",
    "InputError",
    "MappingError",
    "NpsResult",
    "SchemaVersionError",
    "ScoreResult",
    "UsageError",
    "ValidationError",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "nps",
    "nps_from_counts",
    "open",
]
