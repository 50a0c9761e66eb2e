"""Every route that takes an id answers 404 to a user who does not own the object.

The harness walks the whole URL configuration. A route with a path parameter must be
registered below, either in ``OWNED_ROUTES`` (with a builder that makes alice's object
and returns the URL kwargs) or in ``NOT_OWNED_ROUTES`` with the reason. A new route
that is in neither fails ``test_every_route_with_an_id_is_registered`` by name, so no
route slips by unchecked (PRODUCT.md §7: 404, not 403).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alerts import services as alert_services
from alerts.models import AlertChannel
from imports import services
from imports.models import ImportMapping
from income import services as income_services
from income.models import BillingSubscription, Customer, IncomeSource
from reports.jobs import recompute_job_create
from reports.models import JobReason
from tests.conftest import token_client
from tests.factories import (
    EffortLogFactory,
    PaymentFactory,
    PeriodFactory,
    ScenarioFactory,
    SourceFactory,
    category,
)


def _own_source(alice: User) -> dict[str, Any]:
    return {"pk": SourceFactory.create(owner=alice).pk}


def _own_subscription(alice: User) -> dict[str, Any]:
    return {"pk": SourceFactory.create(owner=alice, category=category("membership")).pk}


def _own_payment(alice: User) -> dict[str, Any]:
    return {"pk": PaymentFactory.create(source=SourceFactory.create(owner=alice)).pk}


def _own_period(alice: User) -> dict[str, Any]:
    source = SourceFactory.create(owner=alice, category=category("membership"))
    return {"pk": PeriodFactory.create(source=source).pk}


def _own_effort_log(alice: User) -> dict[str, Any]:
    return {"pk": EffortLogFactory.create(source=SourceFactory.create(owner=alice)).pk}


def _own_capital_source(alice: User) -> dict[str, Any]:
    return {"pk": SourceFactory.create(owner=alice, category=category("etf-dividends")).pk}


def _own_asset_value(alice: User) -> dict[str, Any]:
    source = SourceFactory.create(owner=alice, category=category("rent"))
    value = income_services.asset_value_create(
        owner=alice, source=source, date=date(2025, 6, 30), value=Decimal("180000.00")
    )
    return {"pk": value.pk}


def _own_rental_source(alice: User) -> dict[str, Any]:
    return {"pk": SourceFactory.create(owner=alice, category=category("rent")).pk}


def _own_fund_source(alice: User) -> dict[str, Any]:
    source = SourceFactory.create(owner=alice, category=category("etf-dividends"))
    IncomeSource.objects.filter(pk=source.pk).update(fund_type="equity")
    return {"pk": source.pk}


def _own_cost(alice: User) -> dict[str, Any]:
    source = SourceFactory.create(owner=alice, category=category("rent"))
    cost = income_services.cost_create(
        owner=alice, source=source, date=date(2025, 6, 30), kind="other", amount=Decimal("80.00")
    )
    return {"pk": cost.pk}


def _own_fund_year(alice: User) -> dict[str, Any]:
    source = IncomeSource.objects.get(pk=_own_fund_source(alice)["pk"])
    fund_year = income_services.fund_year_create(
        owner=alice, source=source, year=2025, units=Decimal(1), start_price=Decimal(1),
        end_price=Decimal(1),
    )  # fmt: skip
    return {"pk": fund_year.pk}


def _own_customer(alice: User) -> dict[str, Any]:
    source = SourceFactory.create(owner=alice, category=category("membership"))
    customer = income_services.customer_create(owner=alice, source=source, external_id="cus_1")
    return {"pk": customer.pk}


def _own_billing_subscription(alice: User) -> dict[str, Any]:
    customer = Customer.objects.get(pk=_own_customer(alice)["pk"])
    subscription = income_services.billing_subscription_create(
        owner=alice, customer=customer, amount=Decimal("10.00"), started=date(2025, 1, 1)
    )
    return {"pk": subscription.pk}


def _own_subscription_pause(alice: User) -> dict[str, Any]:
    subscription = BillingSubscription.objects.get(pk=_own_billing_subscription(alice)["pk"])
    pause = income_services.subscription_pause_create(
        owner=alice, subscription=subscription, starts=date(2025, 3, 1)
    )
    return {"pk": pause.pk}


def _own_upload(alice: User) -> dict[str, Any]:
    return {
        "pk": services.payment_import_upload(
            owner=alice, filename="bank.csv", content=b"Datum;Betrag\n", source=None
        ).pk
    }


def _own_import_mapping(alice: User) -> dict[str, Any]:
    mapping = ImportMapping.objects.create(
        owner=alice, name="Musterbank", signature="0" * 32, header=["Datum", "Betrag"], options={}
    )
    return {"pk": mapping.pk}


def _own_scenario(alice: User) -> dict[str, Any]:
    return {"pk": ScenarioFactory.create(owner=alice).pk}


def _own_data_import(alice: User) -> dict[str, Any]:
    from portability.models import DataImport

    return {"pk": DataImport.objects.create(owner=alice, document={}).pk}


def _own_recompute_job(alice: User) -> dict[str, Any]:
    return {"pk": recompute_job_create(owner=alice, reason=JobReason.REQUEST, force=True).pk}


def _own_allowance_order(alice: User) -> dict[str, Any]:
    order = income_services.allowance_order_set(
        owner=alice, year=2026, bank="Musterbank", amount=Decimal("500.00")
    )
    return {"pk": order.pk}


def _own_api_token(alice: User) -> dict[str, Any]:
    from accounts.services import api_token_issue

    token, _expiry = api_token_issue(user=alice, device="Pixel")
    return {"key": token[:15]}


def _own_alert_channel(alice: User) -> AlertChannel:
    return alert_services.alert_channel_create(
        owner=alice, kind="webhook", name="Hook", url="https://hooks.example/in"
    )


def _own_alert_delivery(alice: User) -> dict[str, Any]:
    """A test message's delivery, never sent: its task waits for a commit that never comes."""
    event = alert_services.alert_channel_test(channel=_own_alert_channel(alice))
    return {"pk": event.deliveries.get().pk}


def _alices_household(alice: User) -> Any:
    from households.selectors import household_of
    from households.services import household_create

    return household_of(user=alice) or household_create(owner=alice, name="Home")


def _own_shared_source(alice: User) -> dict[str, Any]:
    """A source alice shares with her household (to edit): still hers alone to reach for
    anyone outside it (tests/test_household_ownership.py has the members' side)."""
    from households.services import source_share

    _alices_household(alice)
    source = SourceFactory.create(owner=alice)
    source_share(source=source, by=alice, role="edit")
    return {"pk": source.pk}


def _own_shared_payment(alice: User) -> dict[str, Any]:
    source = IncomeSource.objects.get(pk=_own_shared_source(alice)["pk"])
    return {"pk": PaymentFactory.create(source=source).pk}


def _own_shared_scenario(alice: User) -> dict[str, Any]:
    from households.services import scenario_share

    _alices_household(alice)
    scenario = ScenarioFactory.create(owner=alice)
    scenario_share(scenario=scenario, by=alice, role="edit")
    return {"pk": scenario.pk}


def _own_household_invitation(alice: User) -> dict[str, Any]:
    from households.services import invitation_send

    sent = invitation_send(household=_alices_household(alice), by=alice, email="dora@example.com")
    return {"pk": sent.invitation.pk}


def _own_household_member(alice: User) -> dict[str, Any]:
    from tests.factories import UserFactory
    from tests.households.members import join

    dora = UserFactory.create(username="dora", email="dora@example.com")
    join(_alices_household(alice), dora)
    return {"user_id": dora.pk}


# route name -> builds alice's object, returns the kwargs for reverse()
OWNED_ROUTES: dict[str, Callable[[User], dict[str, Any]]] = {
    "api-scenario-detail": lambda alice: {"pk": ScenarioFactory.create(owner=alice).pk},
    "api-scenario-clone": lambda alice: {"pk": ScenarioFactory.create(owner=alice).pk},
    "api-scenario-projection": lambda alice: {"pk": ScenarioFactory.create(owner=alice).pk},
    "api-scenario-plan-vs-actual": lambda alice: {"pk": ScenarioFactory.create(owner=alice).pk},
    "import_detail": _own_upload,
    "import_status": _own_upload,
    "import_rejected": _own_upload,
    "import_mapping_delete": _own_import_mapping,
    "api-import-detail": _own_upload,
    "api-import-rejected": _own_upload,
    "api-import-mapping-detail": _own_import_mapping,
    "api-source-detail": lambda alice: {"pk": SourceFactory.create(owner=alice).pk},
    "api-payment-detail": lambda alice: {
        "pk": PaymentFactory.create(source=SourceFactory.create(owner=alice)).pk
    },
    "api-subscription-period-detail": lambda alice: {
        "pk": PeriodFactory.create(
            source=SourceFactory.create(owner=alice, category=category("membership"))
        ).pk
    },
    "api-effort-log-detail": lambda alice: {
        "pk": EffortLogFactory.create(source=SourceFactory.create(owner=alice)).pk
    },
    "api-asset-value-detail": _own_asset_value,
    "api-cost-detail": _own_cost,
    "api-fund-year-detail": _own_fund_year,
    "api-customer-detail": _own_customer,
    "api-billing-subscription-detail": _own_billing_subscription,
    "api-subscription-pause-detail": _own_subscription_pause,
    "api-source-subscription-metrics": _own_subscription,
    "api-allowance-order-detail": _own_allowance_order,
    # browser pages
    "source_detail": _own_source,
    "source_edit": _own_source,
    "source_delete": _own_source,
    "period_create": _own_subscription,
    "effort_create": _own_source,
    "payment_edit": _own_payment,
    "payment_delete": _own_payment,
    "period_edit": _own_period,
    "period_delete": _own_period,
    "effort_edit": _own_effort_log,
    "effort_delete": _own_effort_log,
    "asset_value_create": _own_capital_source,
    "asset_value_edit": _own_asset_value,
    "asset_value_delete": _own_asset_value,
    "cost_create": _own_rental_source,
    "cost_edit": _own_cost,
    "cost_delete": _own_cost,
    "fund_year_create": _own_fund_source,
    "fund_year_edit": _own_fund_year,
    "fund_year_delete": _own_fund_year,
    "scenario_detail": _own_scenario,
    "scenario_edit": _own_scenario,
    "scenario_clone": _own_scenario,
    "scenario_delete": _own_scenario,
    "report_job": _own_recompute_job,
    "data_import_job": _own_data_import,
    "api-me-import-job": _own_data_import,
    "api-report-job": _own_recompute_job,
    "api-token-detail": _own_api_token,
    "api_token_revoke": _own_api_token,
    "alert_channel_edit": lambda alice: {"pk": _own_alert_channel(alice).pk},
    # every action of the page (test, on, off, secret, delete) is 404 for bob:
    # tests/web/test_alert_pages.py; here the one that changes nothing lasting
    "alert_channel_action": lambda alice: {"pk": _own_alert_channel(alice).pk, "action": "on"},
    "api-alert-channel-detail": lambda alice: {"pk": _own_alert_channel(alice).pk},
    "api-alert-channel-test": lambda alice: {"pk": _own_alert_channel(alice).pk},
    "api-alert-channel-secret": lambda alice: {"pk": _own_alert_channel(alice).pk},
    "api-alert-delivery-detail": _own_alert_delivery,
    # households: alice's rows shared with her household, her invitation, her member
    "api-household-source": _own_shared_source,
    "api-household-source-payments": _own_shared_source,
    "api-household-payment": _own_shared_payment,
    "api-household-scenario": _own_shared_scenario,
    "api-household-invitation": _own_household_invitation,
    "api-household-member-remove": _own_household_member,
    "household_source": _own_shared_source,
    "household_scenario": _own_shared_scenario,
}

# route name -> why it takes a parameter without exposing a user-owned object
SHARED_CONTENT = "admin-managed content every user reads (read-only in the API)"
PASSKEY_PAGES = (
    "owned, but behind allauth's password re-entry, which this harness's sessions lack: "
    "bob re-entering his password and getting 404 is tests/web/test_passkey_pages.py"
)
NOT_OWNED_ROUTES: dict[str, str] = {
    "api-category-detail": SHARED_CONTENT,
    "api-tax-profile-detail": SHARED_CONTENT,
    "api-tax-year-detail": SHARED_CONTENT,
    "api-exchange-rate-detail": SHARED_CONTENT,
    "api-help-detail": "public help content, not owned",
    "allowance_orders": "the year selects among the caller's own orders and sources, not an "
    "object: bob's page of a year is his own (tests/web/test_allowance_orders_page.py)",
    **dict.fromkeys(
        (
            "tax_report",
            "tax_report_csv",
            "tax_report_pdf",
            "api-tax-report",
            "api-tax-report-csv",
            "api-tax-report-pdf",
        ),
        "the year selects among the caller's own records, not an object: bob's report of a "
        "year holds none of alice's (tests/income/test_tax_report.py)",
    ),
    "help_article": "public help content, not owned",
    "password_reset_confirm": "a reset link from before django-allauth: redirects to the "
    "form that mails a new one, whatever the uidb64 and token",
    "account_reset_password_from_key": "uidb36 + key address a reset request; a wrong pair "
    "shows 'bad token' and reveals nothing",
    "openid_connect_login": "provider_id names the configured single sign-on provider "
    "(settings), the same for every user; an unknown one is a 404",
    "openid_connect_callback": "provider_id names the configured single sign-on provider; "
    "the state in the session, not the address, ties the answer to a log-in",
    "mfa_edit_webauthn": PASSKEY_PAGES,
    "mfa_remove_webauthn": PASSKEY_PAGES,
    "account_confirm_email": "a signed key names the address to verify; a wrong one shows "
    "'invalid link' and verifies nothing",
    "digest_unsubscribe": "token-authenticated, not owner-scoped by id: the signed token in "
    "the digest names its user; a forged one is a 400 and changes nothing",
    "api-alert-rule-detail": "the kind names one of the caller's own rules (each user has one "
    "per kind), not an object: bob's overdue rule is his (tests/api/test_alerts_api.py)",
    "calendar_feed_ics": "the token is the credential, not an id: an unknown, renewed or "
    "revoked one is the same 404 for anyone, signed in as bob or not "
    "(tests/web/test_calendar_feed_pages.py)",
    "household_join": "the token is the credential, not an id: an unknown, used, revoked or "
    "expired one is the same 404 for anyone; a right one for another address joins nobody "
    "(tests/households/test_services.py)",
}

# Namespaces whose every route is staff-only (tested in test_admin_refuses_non_staff).
STAFF_ONLY_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str
    namespace: str
    pattern: str
    parameters: tuple[str, ...]


def _parameters_of(pattern: Any) -> tuple[str, ...]:
    converters = tuple(getattr(pattern, "converters", {}))
    return tuple(dict.fromkeys(converters + tuple(pattern.regex.groupindex)))


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = "", inherited: tuple[str, ...] = ()
) -> Iterator[Route]:
    """Every URLPattern below ``resolver``, with parameters of enclosing includes too."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            child_namespace = namespace
            if entry.namespace:
                child_namespace = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(
                entry,
                prefix + str(entry.pattern),
                child_namespace,
                inherited + _parameters_of(entry.pattern),
            )
        elif isinstance(entry, URLPattern):
            full = prefix + str(entry.pattern)
            parameters = tuple(dict.fromkeys(inherited + _parameters_of(entry.pattern)))
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or full)
            yield Route(name=name, namespace=namespace, pattern=full, parameters=parameters)


def routes_with_parameters(urlconf: str | None = None) -> list[Route]:
    routes = [
        route
        for route in _walk(get_resolver(urlconf))
        if route.parameters and route.parameters != ("format",)  # DRF's ?format suffix
    ]
    return routes


def unregistered(routes: list[Route]) -> list[str]:
    return sorted(
        {
            f"{route.name} ({route.pattern})"
            for route in routes
            if route.name not in OWNED_ROUTES
            and route.name not in NOT_OWNED_ROUTES
            and route.namespace.split(":")[0] not in STAFF_ONLY_NAMESPACES
        }
    )


def test_every_route_with_an_id_is_registered() -> None:
    missing = unregistered(routes_with_parameters())
    assert not missing, (
        "Routes with an id that the ownership harness cannot exercise; add each to "
        f"OWNED_ROUTES (or NOT_OWNED_ROUTES with a reason): {missing}"
    )


def test_the_harness_notices_a_new_route() -> None:
    with override_settings(ROOT_URLCONF="tests.ownership_urls_fixture"):
        missing = unregistered(routes_with_parameters("tests.ownership_urls_fixture"))
    assert missing == ["thing-detail (things/<int:pk>/)"]


def test_registered_routes_still_exist() -> None:
    names = {route.name for route in routes_with_parameters()}
    stale = sorted((set(OWNED_ROUTES) | set(NOT_OWNED_ROUTES)) - names)
    assert not stale, f"registered in the harness but no longer routed: {stale}"


WRITE_METHODS = ("post", "put", "patch", "delete")


# Routes that only take POST (actions on an object): bob's POST is a 404, alice's works.
POST_ACTIONS = {
    "api-scenario-clone",
    "scenario_clone",
    "import_mapping_delete",
    "api_token_revoke",
    "alert_channel_action",
    "api-alert-channel-test",
    "api-alert-channel-secret",
    "api-household-member-remove",
}


@pytest.mark.parametrize("route_name", sorted(POST_ACTIONS))
def test_bob_cannot_act_on_alices_object(route_name: str, alice: User, bob: User) -> None:
    url = reverse(route_name, kwargs=OWNED_ROUTES[route_name](alice))
    if url.startswith("/api/"):
        assert token_client(bob).post(url, {}, format="json").status_code == 404, url
        # 202: a test message queued
        assert token_client(alice).post(url, {}, format="json").status_code in (200, 201, 202), url
        return
    browser = Client()
    browser.force_login(bob)
    assert browser.post(url, {}).status_code == 404, url
    assert browser.get(url).status_code in (404, 405), url
    own = Client()
    own.force_login(alice)
    assert own.post(url, {}).status_code in (200, 201, 302), url


@pytest.mark.parametrize("route_name", sorted(set(OWNED_ROUTES) - POST_ACTIONS))
def test_bob_gets_404_for_alices_object(route_name: str, alice: User, bob: User) -> None:
    url = reverse(route_name, kwargs=OWNED_ROUTES[route_name](alice))
    if url.startswith("/api/"):
        client: Any = token_client(bob)
        assert client.get(url).status_code == 404, url
        for method in WRITE_METHODS:
            status = getattr(client, method)(url, {}, format="json").status_code
            assert status in (404, 405), (method, url, status)
    else:
        browser = Client()
        browser.force_login(bob)
        assert browser.get(url).status_code == 404, url
        assert browser.post(url, {}).status_code in (404, 405), url
    # alice still reaches her own object
    own = token_client(alice) if url.startswith("/api/") else Client()
    if not url.startswith("/api/"):
        own.force_login(alice)
    assert own.get(url).status_code == 200, url


def test_admin_refuses_non_staff(alice: User, bob: User) -> None:
    url = reverse("admin:income_profile_change", args=[alice.profile.pk])
    client = Client()
    client.force_login(bob)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    staff = User.objects.create_user("support", password="x", is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(url).status_code == 200
