"""GET /api/v1/scenarios/compare/ gives each scenario's difference to the first, the
figures of the compare page's "Difference to" column (issue 18, item 7)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.web.test_scenario_pages import figure, seed_scenario

URL = "/api/v1/scenarios/compare/"


def test_each_later_scenario_has_its_difference_to_the_first(
    alice: User, alice_api: APIClient
) -> None:
    steady = seed_scenario(alice, name="Steady")
    bolder = seed_scenario(alice, name="Bolder", annual_return=Decimal("0.07"))
    shorter = seed_scenario(alice, name="Shorter", horizon_years=8)
    body = alice_api.get(URL, {"ids": f"{steady.pk},{bolder.pk},{shorter.pk}"}).json()
    first, second, third = body["scenarios"]
    assert first["scenario"] == steady.pk
    assert first["difference"] is None
    # 10,000 × 1.07^10 = 19,671.51 against 10,000 × 1.05^10 = 16,288.95
    assert second["difference"] == {
        "starting_capital": "0.00", "monthly_contribution": "0.00",
        "annual_return": "0.020000", "horizon_years": 0,
        "final_capital": "3382.56",
        "real_final_capital": "3382.56",  # no inflation: today's money is the same
        "net_income": "3382.56",
        "monthly_net": second["difference"]["monthly_net"],
        "independence_months": None, "target_months": None,
    }  # fmt: skip
    # 10,000 × 1.05^8 = 14,774.55: −1,514.40 against the first, not the second
    assert third["difference"]["final_capital"] == "-1514.40"
    assert third["difference"]["horizon_years"] == -2


def test_the_api_and_the_page_show_the_same_difference(
    alice: User, alice_api: APIClient, client: Client
) -> None:
    steady = seed_scenario(alice, name="Steady", annual_return=Decimal("0.07"))
    cautious = seed_scenario(alice, name="Cautious", horizon_years=8, monthly_contribution=50)
    ids = f"{steady.pk},{cautious.pk}"
    difference = alice_api.get(URL, {"ids": ids}).json()["scenarios"][1]["difference"]
    client.force_login(alice)
    page = client.get(reverse("scenario_compare"), {"ids": ids}).content.decode()
    for name in ("final_capital", "net_income", "monthly_contribution"):
        shown = figure(page, f"compare-diff-{name}-{cautious.pk}")
        amount = Decimal(difference[name])
        assert shown == f"{'+' if amount > 0 else '−'}€{abs(amount):,.2f}", name


def test_one_scenario_alone_has_no_difference(alice: User, alice_api: APIClient) -> None:
    steady = seed_scenario(alice, name="Steady")
    [only] = alice_api.get(URL, {"ids": str(steady.pk)}).json()["scenarios"]
    assert only["difference"] is None
