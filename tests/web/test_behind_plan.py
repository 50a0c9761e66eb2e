"""Sources behind their scenario's plan are flagged on the scenario and the dashboard."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from finance.schedule import add_months
from scenarios.models import Scenario
from tests.factories import PaymentFactory, ScenarioFactory, SourceFactory, category


@pytest.fixture
def lagging(alice: User) -> Scenario:
    """A blog planned at 400 a month that brought 400, then 100 for three months."""
    this_month = timezone.localdate().replace(day=1)
    blog = SourceFactory.create(
        owner=alice, name="Blog", category=category("affiliate"),
        expected_monthly_amount=Decimal("400"), start_date=add_months(this_month, -24),
    )  # fmt: skip
    scenario = ScenarioFactory.create(owner=alice, name="Blog plan", sources=[blog])
    Scenario.objects.filter(pk=scenario.pk).update(
        created_at=timezone.make_aware(datetime.combine(add_months(this_month, -4), time(12)))
    )
    for back, amount in ((4, "400"), (3, "100"), (2, "100"), (1, "100")):
        PaymentFactory.create(
            source=blog, date=add_months(this_month, -back).replace(day=10), gross=Decimal(amount)
        )
    return scenario


def test_the_dashboard_loads_the_behind_plan_notice(
    client: Client, alice: User, lagging: Scenario
) -> None:
    client.force_login(alice)
    assert 'hx-get="/scenarios/behind-plan/"' in client.get("/dashboard/").content.decode()
    html = client.get("/scenarios/behind-plan/").content.decode()
    assert 'data-testid="behind-plan"' in html
    assert "Blog plan" in html
    assert "€900.00 short in total" in html


def test_nothing_behind_answers_an_empty_notice(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.get("/scenarios/behind-plan/")
    assert (response.status_code, response.content) == (200, b"")


def test_the_scenario_shows_plan_vs_actual(client: Client, alice: User, lagging: Scenario) -> None:
    client.force_login(alice)
    html = client.get(f"/scenarios/{lagging.pk}/").content.decode()
    assert 'data-testid="plan-vs-actual"' in html
    assert "behind plan" in html
    client.cookies["ertrag_language"] = "de"
    assert client.get(f"/scenarios/{lagging.pk}/").status_code == 200


def test_another_users_notice_stays_private(client: Client, bob: User, lagging: Scenario) -> None:
    client.force_login(bob)
    assert client.get("/scenarios/behind-plan/").content == b""
