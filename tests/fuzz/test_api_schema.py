"""Schemathesis against ``/api/schema/``: every operation, generated requests, no 5xx and
no response that breaks the schema (PRODUCT.md §7 "Fuzzing").

The requests go through the WSGI application in this process, against the test
database, authenticated with a real token of a user who owns data, so the owner-scoped
operations are fuzzed with ids that exist as well as with ones that do not.

The stateful phase chains operations by the schema's links (create a source, then read,
patch and delete it). Each scenario starts from the same database: the user and their
data are made inside a savepoint that is rolled back when the scenario ends, so a
sequence that failed once fails again when Hypothesis replays or shrinks it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings

from config.wsgi import application
from income import services
from tests.factories import PaymentFactory, PeriodFactory, SourceFactory, UserFactory, category

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
# The fuzzer sends thousands of requests: the rate limits are what it would meet first.
UNTHROTTLED: dict[str, Any] = {"DEFAULT_THROTTLE_CLASSES": [], "DEFAULT_THROTTLE_RATES": {}}


#: Examples per operation; the stateful phase runs this many scenarios.
EXAMPLES = 25


def _owner_with_data(username: str) -> User:
    user = UserFactory.create(username=username)
    source = SourceFactory.create(owner=user, name="Depot")
    PaymentFactory.create(source=source, date=date(2025, 1, 3), gross=Decimal("10.00"))
    PeriodFactory.create(source=SourceFactory.create(owner=user, category=category("membership")))
    return user


@pytest.fixture
def fuzz_user(db: None, shipped_content: None) -> User:
    return _owner_with_data("fuzzer")


@pytest.fixture
def token(fuzz_user: User) -> str:
    token, _expiry = services.api_token_create(user=fuzz_user)
    return token


@pytest.fixture(autouse=True)
def _unthrottled() -> Iterator[None]:
    """DRF's throttle classes are read when the views load, so the settings alone leave
    them on: their counters (in the cache) are emptied before each example too, or the
    log-in and sign-up examples would all meet a 429 and test nothing."""
    from rest_framework.settings import api_settings

    with override_settings(
        REST_FRAMEWORK={**api_settings.user_settings, **UNTHROTTLED},
        ADDRESS_LIMIT_PER_MINUTE=10**9,
    ):
        yield


# The schema is the application's own, read once through WSGI (it needs no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_operation_answers_500_or_against_its_schema(case: Any, token: str) -> None:
    cache.clear()
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


class SavepointPerScenario:
    """For a schemathesis state machine: every scenario in a savepoint of its own, with
    a fresh owner of some data and a token (``_token``), the throttle counters emptied."""

    _token: str

    def setup(self) -> None:
        cache.clear()
        # As Django's own test client does: a request's end must not close the
        # connection that holds the scenario's transaction (PostgreSQL closes it after
        # any request that met a database error; SQLite's in-memory database never).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self._scenario = transaction.atomic()
        self._scenario.__enter__()
        self._token, _expiry = services.api_token_create(user=_owner_with_data("stateful"))

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._scenario.__exit__(None, None, None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


class OneDatabaseStatePerScenario(SavepointPerScenario, schema.as_state_machine()):  # type: ignore[misc]
    """Every scenario from the same database, as the owner of some data."""

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": {"Authorization": f"Token {self._token}"}}

    def validate_response(
        self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)


def test_no_sequence_of_operations_answers_500_or_against_the_schema(
    db: None, shipped_content: None
) -> None:
    OneDatabaseStatePerScenario.run(
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
