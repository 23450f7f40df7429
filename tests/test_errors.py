"""Each error carries the HTTP status the web app answers with, and the app uses it as it is."""

from __future__ import annotations

import pytest

from advocacy import errors
from advocacy.access.roles import AccessDeniedError, AuthenticationError, TooManyAttemptsError


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (errors.AdvocacyError, 500),
        (errors.UsageError, 400),
        (errors.InputError, 422),
        (errors.ValidationError, 422),
        (errors.MappingError, 422),
        (errors.InsufficientDataError, 422),
        (errors.RequestTooLargeError, 413),
        (errors.NotFoundError, 404),
        (errors.RateLimitedError, 429),
        (errors.WorkspaceError, 500),
        (errors.SchemaVersionError, 500),
        (errors.RedactionError, 503),
        (errors.StorageUnavailableError, 503),
        (AuthenticationError, 401),
        (TooManyAttemptsError, 429),
        (AccessDeniedError, 403),
    ],
)
def test_every_error_names_its_http_status(kind: type[errors.AdvocacyError], status: int) -> None:
    assert kind("went wrong").status_code == status
