"""The compare page shows each scenario's difference to the first (issue 18)."""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.web.test_scenario_pages import figure, seed_scenario


def test_each_later_scenario_has_a_difference_to_the_first(client: Client, alice: User) -> None:
    steady = seed_scenario(alice, name="Steady")
    bolder = seed_scenario(alice, name="Bolder", annual_return=Decimal("0.07"))
    client.force_login(alice)
    html = client.get(reverse("scenario_compare"), {"ids": f"{steady.pk},{bolder.pk}"}).content
    page = html.decode()
    # one difference column, after the second scenario
    assert page.count('data-testid="compare-diff-heading"') == 1
    assert "Difference to Steady" in page
    # 10,000 × 1.07^10 = 19,671.51 against 10,000 × 1.05^10 = 16,288.95: +3,382.56
    assert figure(page, f"compare-final-{bolder.pk}") == "€19,671.51"
    assert figure(page, f"compare-diff-final_capital-{bolder.pk}") == "+€3,382.56"
    # 7 % − 5 % = 2 points; the same starting capital reads "same"
    assert figure(page, f"compare-diff-annual_return-{bolder.pk}") == "+2.00%"
    assert figure(page, f"compare-diff-starting_capital-{bolder.pk}") == "same"
    assert 'class="diff-better"' in page
    assert not re.search(rf'compare-diff-[a-z_]+-{steady.pk}"', page)


def test_the_difference_reads_in_german(client: Client, alice: User) -> None:
    steady = seed_scenario(alice, name="Steady", annual_return=Decimal("0.07"))
    cautious = seed_scenario(alice, name="Cautious", horizon_years=8)
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    page = client.get(
        reverse("scenario_compare"), {"ids": f"{steady.pk},{cautious.pk}"}
    ).content.decode()
    # 10,000 × 1.05^8 = 14,774.55 against 10,000 × 1.07^10 = 19,671.51: −4,896.96
    assert figure(page, f"compare-diff-final_capital-{cautious.pk}") == "−4.896,96\u00a0€"
    assert figure(page, f"compare-diff-horizon_years-{cautious.pk}") == "−2 Jahre"
