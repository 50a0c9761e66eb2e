"""Subscription months and logged hours: added, changed and deleted from a source's page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from income.models import EffortLog, IncomeSource, SubscriptionPeriod
from tests.factories import EffortLogFactory, PeriodFactory, SourceFactory, category


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def membership(alice: User) -> IncomeSource:
    return SourceFactory.create(
        owner=alice, name="Club", category=category("membership"), price_per_subscriber=Decimal(9)
    )


def period_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "month": "2025-03",
        "revenue": "",
        "subscribers_start": "100",
        "new_subscribers": "12",
        "churned_subscribers": "4",
        "reactivated_subscribers": "",
        "mrr_new": "108",
        "mrr_expansion": "",
        "mrr_contraction": "",
        "mrr_churned": "36",
        "mrr_reactivation": "",
    }
    data.update(overrides)
    return data


def detail(source: IncomeSource) -> str:
    return reverse("source_detail", args=[source.pk])


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize(
    "page",
    [
        "period_create",
        "period_edit",
        "period_delete",
        "effort_create",
        "effort_edit",
        "effort_delete",
    ],
)
def test_every_page_renders(
    alice_client: Client, membership: IncomeSource, language: str, page: str
) -> None:
    objects = {
        "period": PeriodFactory.create(source=membership),
        "effort": EffortLogFactory.create(source=membership),
    }
    pk = membership.pk if page.endswith("create") else objects[page.split("_")[0]].pk
    if language == "de":
        alice_client.cookies["ertrag_language"] = "de"
    response = alice_client.get(reverse(page, args=[pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert "Club" in html


# ----------------------------------------------------------------------------- periods


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_period_form_renders(
    alice_client: Client, membership: IncomeSource, language: str
) -> None:
    if language == "de":
        alice_client.cookies["ertrag_language"] = "de"
    response = alice_client.get(reverse("period_create", args=[membership.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert 'type="month"' in html


def test_a_period_is_added_for_the_months_first_day(
    alice_client: Client, membership: IncomeSource
) -> None:
    response = alice_client.post(reverse("period_create", args=[membership.pk]), period_post())
    assert response.status_code == 302
    assert response["Location"] == detail(membership)
    period = SubscriptionPeriod.objects.get()
    assert period.source == membership
    assert period.month == date(2025, 3, 1)
    assert (period.new_subscribers, period.reactivated_subscribers) == (12, 0)
    assert (period.mrr_new, period.mrr_expansion, period.revenue) == (Decimal(108), 0, None)


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("churned_subscribers", "101", "More subscribers cannot churn"),
        ("month", "March", "Enter a valid date"),
        ("mrr_new", "-1", ""),
    ],
)
def test_a_bad_period_shows_the_error_and_adds_nothing(
    alice_client: Client, membership: IncomeSource, field: str, value: str, error: str
) -> None:
    response = alice_client.post(
        reverse("period_create", args=[membership.pk]), period_post(**{field: value})
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert error in response.content.decode()
    assert SubscriptionPeriod.objects.count() == 0


def test_a_month_recorded_twice_is_refused(alice_client: Client, membership: IncomeSource) -> None:
    PeriodFactory.create(source=membership, month=date(2025, 3, 1))
    response = alice_client.post(reverse("period_create", args=[membership.pk]), period_post())
    assert response.status_code == 400
    assert "already recorded" in response.context["form"].errors["month"][0]
    assert SubscriptionPeriod.objects.count() == 1


def test_a_period_on_a_non_subscription_source_is_refused(
    alice_client: Client, alice: User
) -> None:
    etf = SourceFactory.create(owner=alice)
    response = alice_client.post(reverse("period_create", args=[etf.pk]), period_post())
    assert response.status_code == 400
    assert "subscription sources only" in " ".join(response.context["form"].non_field_errors())
    assert SubscriptionPeriod.objects.count() == 0


def test_a_period_is_edited(alice_client: Client, membership: IncomeSource) -> None:
    period = PeriodFactory.create(source=membership, month=date(2025, 1, 1))
    url = reverse("period_edit", args=[period.pk])
    assert 'value="2025-01"' in alice_client.get(url).content.decode()
    response = alice_client.post(url, period_post(month="2025-02", subscribers_start="80"))
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.month, period.subscribers_start) == (date(2025, 2, 1), 80)


def test_a_period_is_deleted_after_confirmation(
    alice_client: Client, membership: IncomeSource
) -> None:
    period = PeriodFactory.create(source=membership)
    url = reverse("period_delete", args=[period.pk])
    assert alice_client.get(url).status_code == 200
    assert SubscriptionPeriod.objects.count() == 1
    response = alice_client.post(url)
    assert response["Location"] == detail(membership)
    assert SubscriptionPeriod.objects.count() == 0


# ----------------------------------------------------------------------------- effort logs


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_effort_form_renders(
    alice_client: Client, membership: IncomeSource, language: str
) -> None:
    if language == "de":
        alice_client.cookies["ertrag_language"] = "de"
    response = alice_client.get(reverse("effort_create", args=[membership.pk]))
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_hours_are_logged_for_a_month(alice_client: Client, membership: IncomeSource) -> None:
    response = alice_client.post(
        reverse("effort_create", args=[membership.pk]),
        {"month": "2025-04", "hours": "6.5", "note": "support e-mails"},
    )
    assert response.status_code == 302
    log = EffortLog.objects.get()
    assert (log.source, log.month, log.hours, log.note) == (
        membership,
        date(2025, 4, 1),
        Decimal("6.5"),
        "support e-mails",
    )


def test_german_hours_are_read(alice_client: Client, membership: IncomeSource) -> None:
    alice_client.cookies["ertrag_language"] = "de"
    alice_client.post(
        reverse("effort_create", args=[membership.pk]), {"month": "2025-04", "hours": "2,25"}
    )
    assert EffortLog.objects.get().hours == Decimal("2.25")


@pytest.mark.parametrize(("hours", "month"), [("745", "2025-04"), ("-1", "2025-04"), ("2", "")])
def test_bad_hours_show_the_error_and_log_nothing(
    alice_client: Client, membership: IncomeSource, hours: str, month: str
) -> None:
    response = alice_client.post(
        reverse("effort_create", args=[membership.pk]), {"month": month, "hours": hours}
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert EffortLog.objects.count() == 0


def test_logged_hours_are_edited(alice_client: Client, membership: IncomeSource) -> None:
    log = EffortLogFactory.create(source=membership, month=date(2025, 1, 1))
    url = reverse("effort_edit", args=[log.pk])
    assert 'value="2025-01"' in alice_client.get(url).content.decode()
    response = alice_client.post(url, {"month": "2025-01", "hours": "8", "note": ""})
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.hours == Decimal(8)


def test_logged_hours_are_deleted_after_confirmation(
    alice_client: Client, membership: IncomeSource
) -> None:
    log = EffortLogFactory.create(source=membership)
    url = reverse("effort_delete", args=[log.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url)
    assert response["Location"] == detail(membership)
    assert EffortLog.objects.count() == 0


def test_records_of_another_users_source_are_404(
    alice_client: Client, bob: User, membership: IncomeSource
) -> None:
    bobs = SourceFactory.create(owner=bob, category=category("membership"))
    for name in ("period_create", "effort_create"):
        response = alice_client.post(reverse(name, args=[bobs.pk]), period_post(hours="1"))
        assert response.status_code == 404
    assert SubscriptionPeriod.objects.count() == 0
    assert EffortLog.objects.count() == 0
