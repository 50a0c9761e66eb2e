"""Support sees a subscription source's billing data in the admin (issue 23): customers
with their subscriptions inline, subscriptions with their pauses inline, every user's
rows, in both languages; an admin edit marks the owner's figures stale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from income import services
from income.models import BillingSubscription, Customer, Profile, SubscriptionPause
from tests.factories import SourceFactory, category


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def _customer(owner: User, *, source_name: str, external_id: str, name: str) -> Customer:
    source = SourceFactory.create(owner=owner, name=source_name, category=category("membership"))
    return services.customer_create(owner=owner, source=source, external_id=external_id, name=name)


@pytest.fixture
def subscription(alice: User) -> BillingSubscription:
    """Alice's customer with a yearly plan, paused for a summer."""
    customer = _customer(alice, source_name="Club", external_id="cus_alice1", name="Ada")
    subscription = services.billing_subscription_create(
        owner=alice, customer=customer, external_id="sub_1", plan="Gold yearly",
        amount=Decimal("120.00"), interval="year", started=date(2025, 1, 15),
    )  # fmt: skip
    services.subscription_pause_create(
        owner=alice, subscription=subscription, starts=date(2025, 7, 1), ends=date(2025, 9, 1)
    )
    return subscription


@pytest.mark.parametrize(("language", "word"), [("en", "Save"), ("de", "Sichern")])
def test_the_lists_and_pages_render_in_both_languages(
    admin_client: Client, subscription: BillingSubscription, language: str, word: str
) -> None:
    admin_client.cookies["ertrag_language"] = language
    customer_id = subscription.customer_id
    for url in (
        "/admin/income/customer/",
        f"/admin/income/customer/{customer_id}/change/",
        "/admin/income/billingsubscription/",
        f"/admin/income/billingsubscription/{subscription.pk}/change/",
        "/admin/income/customer/?q=a",
        "/admin/income/billingsubscription/?q=a",
    ):
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.content.decode(), url
    change = admin_client.get(f"/admin/income/customer/{customer_id}/change/")
    assert word in change.content.decode()


def test_a_customers_page_shows_their_subscriptions_inline(
    admin_client: Client, subscription: BillingSubscription
) -> None:
    page = admin_client.get(f"/admin/income/customer/{subscription.customer_id}/change/")
    html = page.content.decode()
    assert 'value="Gold yearly"' in html
    assert 'value="sub_1"' in html
    assert f"/admin/income/billingsubscription/{subscription.pk}/change/" in html


def test_a_subscriptions_page_shows_its_pauses_inline(
    admin_client: Client, subscription: BillingSubscription
) -> None:
    page = admin_client.get(f"/admin/income/billingsubscription/{subscription.pk}/change/")
    html = page.content.decode()
    assert 'name="pauses-TOTAL_FORMS" value="1"' in html
    assert 'value="2025-07-01"' in html


def _listed(client: Client, query: str) -> set[str]:
    """Which of the two customers' ids the customer list shows for ``query``."""
    html = client.get(f"/admin/income/customer/{query}").content.decode()
    return {external_id for external_id in ("cus_alice1", "cus_bob7") if external_id in html}


def test_the_customer_list_is_searched_by_id_and_name_and_filtered_by_source(
    admin_client: Client, alice: User, bob: User, subscription: BillingSubscription
) -> None:
    bobs = _customer(bob, source_name="Bobs SaaS", external_id="cus_bob7", name="Grace")
    assert _listed(admin_client, "") == {"cus_alice1", "cus_bob7"}  # every user's rows
    assert _listed(admin_client, "?q=cus_bob") == {"cus_bob7"}
    assert _listed(admin_client, "?q=Ada") == {"cus_alice1"}
    assert _listed(admin_client, f"?source__id__exact={bobs.source_id}") == {"cus_bob7"}


def test_the_source_filter_offers_the_sources_that_have_customers(
    admin_client: Client, bob: User, subscription: BillingSubscription
) -> None:
    """Only those: every user's sources would make a list without end."""
    bobs = _customer(bob, source_name="Bobs SaaS", external_id="cus_bob7", name="Grace")
    empty = SourceFactory.create(owner=bob, name="Empty", category=category("membership"))
    html = admin_client.get("/admin/income/customer/").content.decode()
    assert f"?source__id__exact={subscription.customer.source_id}" in html
    assert f"?source__id__exact={bobs.source_id}" in html
    assert f"?source__id__exact={empty.pk}" not in html


def test_an_admin_edit_of_a_subscriptions_pauses_marks_the_owners_figures_stale(
    admin_client: Client, alice: User, subscription: BillingSubscription
) -> None:
    pause = subscription.pauses.get()
    Profile.objects.filter(user=alice).update(data_changed_at=None)
    response = admin_client.post(
        f"/admin/income/billingsubscription/{subscription.pk}/change/",
        {
            "customer": subscription.customer_id,
            "external_id": "sub_1",
            "plan": "Gold yearly",
            "amount": "120.00",
            "currency": "EUR",
            "interval": "year",
            "interval_count": "1",
            "quantity": "1",
            "percent_off": "0",
            "amount_off": "0.00",
            "started": "2025-01-15",
            "pauses-TOTAL_FORMS": "1",
            "pauses-INITIAL_FORMS": "1",
            "pauses-MIN_NUM_FORMS": "0",
            "pauses-MAX_NUM_FORMS": "1000",
            "pauses-0-id": pause.pk,
            "pauses-0-subscription": subscription.pk,
            "pauses-0-starts": "2025-07-01",
            "pauses-0-ends": "2025-10-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SubscriptionPause.objects.get(pk=pause.pk).ends == date(2025, 10, 1)
    assert Profile.objects.get(user=alice).data_changed_at is not None
