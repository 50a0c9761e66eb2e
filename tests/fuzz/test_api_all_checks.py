"""Schemathesis with every check it has, on every operation: the schema is a contract a
client generated from it can rely on (issue 20, "schemathesis with all checks reports
nothing in CI").

Every check the installed schemathesis registers runs, so a check a new release adds is
run too: a server error, a status, media type, header or body the schema does not
declare, a request the schema forbids that is answered (``negative_data_rejection``),
one it allows that is refused (``positive_data_acceptance``), a missing required header,
a method the path does not have (405 with ``Allow``), an ``Allow`` that is not the
schema's methods, an operation that answers without its credentials (``ignored_auth``),
and in the stateful phase a deleted object that is still served (``use_after_free``) and
a created one that is not (``ensure_resource_availability``). Only ``max_response_time``
is not registered by default, and tests never assert times. ``object_level_authorization``
runs but compares identities of a WFC auth document, which this run has not (one owner,
one token): alice's objects being 404 for bob is the URL-generated ownership test's.

Some 400s answer a body the schema allows and are right (``_refused_for_what_no_schema_states``:
an id that is not the caller's, a wrong secret, a common password, a rule between fields);
``positive_data_acceptance`` passes exactly those, matched by field and message.

The examples, coverage and fuzzing phases run per operation, and the stateful phase
chains operations by the schema's links; each as the owner of some data, with a real
token. Every example and every scenario starts from the same database: it runs inside a
savepoint that is rolled back after it, so what one request created or deleted is not
there for the next, and an example that failed once fails again when Hypothesis replays
or shrinks it. The seed is fixed and generation derandomized: the same examples on every
run, bounded so the module runs in a few minutes on two cores.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from django.utils.translation import gettext as _
from hypothesis import HealthCheck, settings
from rest_framework import relations
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from config.wsgi import application
from income import services
from income.services import billing, tax_records
from scenarios.services import _tax_timing_messages
from tests.fuzz.test_api_schema import UNTHROTTLED, SavepointPerScenario, _owner_with_data

ACCOUNT_HAS_DATA = "Import into an account without sources or scenarios: this one has some."
NO_HEADER_TO_SAVE = "A mapping can only be saved for a file with a header."
TO_BEFORE_FROM = "Must not be before “from”."
LOGIN = "/api/v1/auth/login/"
REGISTER = "/api/v1/auth/register/"
#: The records whose services refuse on rules no schema states (their messages below).
RECORDS_WITH_RULES = (
    "/api/v1/costs/",
    "/api/v1/fund-years/",
    "/api/v1/customers/",
    "/api/v1/billing-subscriptions/",
    "/api/v1/subscription-pauses/",
)
ALERT_CHANNELS = "/api/v1/alerts/channels/"
#: What a channel needs turns on its kind (an address for all but e-mail, a topic for
#: ntfy, a token for Gotify, a secret to rotate for a webhook), its name on the owner's
#: other channels, and a change of kind on the stored one: rules the fields' descriptions
#: state, no schema (``alerts.services``).
ALERT_CHANNEL_RULES = (
    "Enter an address that starts with http:// or https://.",
    "Enter the topic: 1 to 64 letters, digits, hyphens or underscores.",
    "Enter the application token Gotify gave you.",
    "You have a channel of this name already.",
    "A channel's kind cannot change; add a new one.",
    "Only a webhook has a signing secret.",
    "A test message was just sent; try again.",
)
#: Fields whose refusal turns on a secret or the caller's data, not on the body's shape:
#: credentials, a second factor's challenge and code, the password that confirms a
#: deletion, a server-issued undo token.
SECRET_FIELDS = {
    LOGIN: {"non_field_errors"},
    "/api/v1/auth/login/mfa/": {"challenge", "code", "non_field_errors"},
    "/api/v1/me/delete/": {"password"},
    "/api/v1/payments/undo/": {"token"},
}
#: The password rules no schema can state: they need the server's word list and the
#: account's other fields.
UNSTATABLE_PASSWORD_RULES = (
    password_validation.CommonPasswordValidator,
    password_validation.UserAttributeSimilarityValidator,
)


def _message_pattern(template: object) -> re.Pattern[str]:
    """A framework's message with its ``{placeholder}`` or ``%(placeholder)s`` as a wildcard."""
    escaped = re.escape(str(template))
    return re.compile(re.sub(r"\\\{\w+\\\}|%\\\(\w+\\\)s", ".*", escaped))


#: An id of the right type that is not one of the caller's objects (issue 19: a 400 on
#: a body or filter, as no schema can tell the caller's ids from others).
NOT_YOURS = [
    _message_pattern(relations.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]),
    _message_pattern(forms.ModelChoiceField.default_error_messages["invalid_choice"]),
]


def _messages(errors: Any) -> list[str]:
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, list):
        return [message for item in errors for message in _messages(item)]
    if isinstance(errors, dict):
        return [message for item in errors.values() for message in _messages(item)]
    return [repr(errors)]


def _password_refused_as_common_or_alike(case: Any, body: dict[str, Any]) -> bool:
    sent = case.body if isinstance(case.body, dict) else {}
    fields = [sent.get(name) for name in ("username", "email", "password")]
    if set(body) != {"password"} or not all(isinstance(value, str) for value in fields):
        return False
    validators = [
        validator
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, UNSTATABLE_PASSWORD_RULES)
    ]
    username, email, password = (str(value) for value in fields)
    try:
        password_validation.validate_password(
            password, user=User(username=username, email=email), password_validators=validators
        )
    except ValidationError as refused:
        return bool(body["password"] == list(refused.messages))
    return False


def _refused_for_what_no_schema_states(case: Any, response: Any) -> bool:
    """A 400 to a request the schema allows that is right all the same, and why.

    - An id that is not one of the caller's (issue 19), and nothing else wrong.
    - A secret that is not right: unknown credentials at log-in (PRODUCT.md §5: errors
      are 400 with messages), a second factor, the password confirming a deletion, an
      undo token; only on those fields.
    - At sign-up, a common password or one like the username: the schema states the
      length and "not only digits" (``RegisterSerializer``), the rest needs the server's
      list; the messages must be exactly those validators'.
    - The import of an export into an account that has data: the fuzzing owner has.
    - A mapping to save (``save_as``) for an upload that has no header: that turns on
      the file's content, which the schema cannot state.
    - A report range whose ``to`` is before its ``from``: a rule between parameters.
    - A cost on a source that takes none, a fund year of a source that is not a fund, a
      day of purchase outside its year, a year recorded already: rules on the stored
      source or between fields, which the fields' descriptions state. Likewise a
      customer of a source that is no subscription business, a customer's or
      subscription's id taken already, a pause before its subscription started, a
      subscription that ends before it starts or a pause that resumes before it pauses
      (a PATCH of one date turns on the other, stored).
    - An alert channel's rules that turn on its kind, its name or the stored channel
      (``ALERT_CHANNEL_RULES``).
    - A scenario input its tax timing cannot have (``tax_timing_conflicts``: taxed at
      the end, no monthly contribution, a one-off income only then, ...): a rule between
      fields, which the schema names in their descriptions; a PATCH's turns on the
      stored timing.
    """
    if response.status_code != 400:
        return False
    body = response.json()
    if not isinstance(body, dict) or not body:
        return False
    if set(body) <= SECRET_FIELDS.get(case.path, set()):
        return True
    if case.path == REGISTER and _password_refused_as_common_or_alike(case, body):
        return True
    if case.path == "/api/v1/me/import/":
        return bool(body == {"file": [_(ACCOUNT_HAS_DATA)]})
    if case.path == "/api/v1/imports/" and body == {"save_as": [_(NO_HEADER_TO_SAVE)]}:
        return True
    if case.path == "/api/v1/reports/" and body == {"to": [_(TO_BEFORE_FROM)]}:
        return True
    if case.path.startswith(RECORDS_WITH_RULES):
        allowed = [
            _message_pattern(_(message))
            for message in (
                tax_records.COSTS_NOT_FOR_SOURCE,
                tax_records.FUND_TYPE_FIRST,
                tax_records.BOUGHT_ON_IN_YEAR,
                tax_records.YEAR_TAKEN,
                billing.CUSTOMERS_NOT_FOR_SOURCE,
                billing.CUSTOMER_TAKEN,
                billing.SUBSCRIPTION_TAKEN,
                billing.PAUSE_OUTSIDE,
                billing.ENDS_BEFORE_START,
                billing.RESUMES_AFTER_START,
            )
        ] + NOT_YOURS
        if all(any(p.fullmatch(m) for p in allowed) for m in _messages(body)):
            return True
    if case.path.startswith(ALERT_CHANNELS):
        rules = {_(message) for message in ALERT_CHANNEL_RULES}
        if all(message in rules for message in _messages(body)):
            return True
    if case.path.startswith("/api/v1/scenarios/"):
        conflicts = _tax_timing_messages()
        if all(body.get(name) == [conflicts.get(name)] for name in body):
            return True
    return all(
        any(pattern.fullmatch(message) for pattern in NOT_YOURS) for message in _messages(body)
    )


def positive_data_acceptance(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis' check, but for the refusals ``_refused_for_what_no_schema_states``."""
    if _refused_for_what_no_schema_states(case, response):
        return None
    result: bool | None = schemathesis.checks.positive_data_acceptance(ctx, response, case)
    return result


load_all_checks()
#: Every check the installed schemathesis offers (``positive_data_acceptance`` as above).
ALL_CHECKS: list[Callable[..., Any]] = [
    positive_data_acceptance if check is schemathesis.checks.positive_data_acceptance else check
    for check in CHECKS.get_all()
]
#: Examples per operation in the fuzzing phase; scenarios in the stateful phase.
EXAMPLES = 25
SEED = 20

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True},
        },
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


@pytest.fixture(autouse=True)
def _unthrottled() -> Iterator[None]:
    """The fuzzer sends thousands of requests: the rate limits (DRF's, and the
    per-address limit on log-in and sign-up) are what it would meet first."""
    from rest_framework.settings import api_settings

    with override_settings(
        REST_FRAMEWORK={**api_settings.user_settings, **UNTHROTTLED},
        ADDRESS_LIMIT_PER_MINUTE=10**9,
    ):
        yield


@pytest.fixture(autouse=True)
def _connection_kept_across_requests() -> Iterator[None]:
    """As Django's test client does: a request's end must not close the connection that
    holds the test's transaction (PostgreSQL closes it after a request that met a
    database error; SQLite's in-memory database never)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def owner_token(db: None, shipped_content: None) -> str:
    token, _expiry = services.api_token_create(user=_owner_with_data("allchecks"))
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_passes_every_check(case: Any, owner_token: str) -> None:
    cache.clear()  # throttle counters: the auth scope's 10 a minute are met at once
    with transaction.atomic():
        try:
            case.call_and_validate(headers=_bearer(owner_token), checks=ALL_CHECKS)
        finally:
            transaction.set_rollback(True)


class OneDatabaseStatePerScenario(SavepointPerScenario, schema.as_state_machine()):  # type: ignore[misc]
    """Every scenario from the same database, as the owner of some data; the recorder the
    stateful checks read (what was created, what was deleted) is passed on."""

    def get_call_kwargs(self, case: Any) -> dict[str, Any]:
        return {"headers": _bearer(self._token)}

    def validate_response(
        self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        case.validate_response(
            response,
            checks=ALL_CHECKS,
            headers=kwargs.get("headers"),
            transport_kwargs=kwargs,
            recorder=self.recorder,
        )


def test_every_sequence_of_operations_passes_every_check(db: None, shipped_content: None) -> None:
    OneDatabaseStatePerScenario.run(
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


def test_every_check_of_schemathesis_runs() -> None:
    """A check a new release adds is run without an edit here; none is left out."""
    names = {check.__name__ for check in ALL_CHECKS}
    assert len(ALL_CHECKS) == len(CHECKS.get_all_names())
    assert {
        "not_a_server_error",
        "negative_data_rejection",
        "positive_data_acceptance",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
    } <= names
