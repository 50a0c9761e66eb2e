"""A calculator result saved as a scenario shows the calculator's figures on every page
(PRODUCT.md §4 "Saved calculations"; issue 17, item 5: the scenario said 15,162.13)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from scenarios.models import Scenario
from tests.factories import ScenarioFactory
from tests.web.test_scenario_pages import SEED_CALCULATOR, figure, german, scenario_post

# The seed: 10,000 × 1.05^10 = 16,288.946… → 16,288.95; gross 16,288.95 − 10,000 = 6,288.95;
# after tax 6,288.95 × 0.85 = 5,345.6075 → 5,345.61, so the tax is 943.34;
# net 5,345.61 + 1,000 additional = 6,345.61.
SENTENCE = "This scenario reproduces the calculator"


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def save_from_the_calculator_page(client: Client) -> Any:
    """What the button does: post the calculator page's own hidden inputs."""
    html = client.get(reverse("calculator"), SEED_CALCULATOR).content.decode()
    form = html.split('data-testid="save-as-scenario"', 1)[1].split("</form>", 1)[0]
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert set(SEED_CALCULATOR) <= set(data)
    return client.post(reverse("scenario_from_calculator"), data, follow=True)


def saved(alice: User) -> Scenario:
    return Scenario.objects.get(owner=alice)


def test_save_as_scenario_shows_the_calculators_figures(alice_client: Client, alice: User) -> None:
    response = save_from_the_calculator_page(alice_client)
    assert response.redirect_chain[-1][0] == reverse("scenario_detail", args=[saved(alice).pk])
    html = response.content.decode()
    assert figure(html, "final-capital") == "€16,288.95"
    assert figure(html, "gross-income") == "€6,288.95"
    assert figure(html, "tax") == "€943.34"
    assert figure(html, "net-income") == "€6,345.61"
    assert SENTENCE in html
    assert "the tax is paid once at the end, on the whole gain" in html
    assert "The one-off additional income of €1,000.00 is added once to the net." in html
    assert "taxed once at the end" in html  # the page's summary line
    assert 'data-testid="year-table"' in html
    assert "scenario-capital" in html  # the capital chart's data
    assert "scenario-income" not in html  # no "monthly net income" of untaxed gains


def test_the_calculators_figures_in_german(alice_client: Client, alice: User) -> None:
    save_from_the_calculator_page(alice_client)
    html = german(alice_client).get(reverse("scenario_detail", args=[saved(alice).pk]))
    page = html.content.decode()
    assert figure(page, "final-capital") == "16.288,95\u00a0€"
    assert figure(page, "net-income") == "6.345,61\u00a0€"
    assert figure(page, "tax") == "943,34\u00a0€"


def test_the_year_table_pays_the_tax_in_the_last_year(alice_client: Client, alice: User) -> None:
    save_from_the_calculator_page(alice_client)
    html = alice_client.get(reverse("scenario_detail", args=[saved(alice).pk])).content.decode()
    table = html.split('data-testid="year-table"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)
    assert len(rows) == 10
    assert "€10,500.00" in rows[0]  # year 1: 10,000 × 1.05
    assert "€16,288.95" in rows[-1]
    assert "€943.34" in rows[-1]
    assert "the one-off additional income are in the last year" in table


def test_the_edit_form_shows_the_tax_timing_with_its_help(
    alice_client: Client, alice: User
) -> None:
    save_from_the_calculator_page(alice_client)
    html = alice_client.get(reverse("scenario_edit", args=[saved(alice).pk])).content.decode()
    assert '<option value="at_end" selected>' in html
    assert 'name="one_off_income" value="1,000.00"' in html
    assert "Once at the end: as the calculator computes it" in html


def test_a_saved_calculation_refuses_a_savings_plan_and_changes_nothing(
    alice_client: Client, alice: User
) -> None:
    save_from_the_calculator_page(alice_client)
    scenario = saved(alice)
    data = scenario_post(
        name=scenario.name,
        tax_rate="15",
        tax_timing="at_end",
        one_off_income="1000",
        monthly_contribution="100",
    )
    response = alice_client.post(reverse("scenario_edit", args=[scenario.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "A plan taxed once at the end has no monthly contribution" in html
    assert saved(alice).monthly_contribution == Decimal(0)


def test_the_preview_of_a_saved_calculation_shows_its_net(
    alice_client: Client, alice: User
) -> None:
    data = scenario_post(tax_rate="15", tax_timing="at_end", one_off_income="1000")
    html = alice_client.post(reverse("scenario_preview"), data).content.decode()
    assert figure(html, "preview-final-capital") == "€16,288.95"
    assert figure(html, "preview-net-income") == "€6,345.61"
    refused = alice_client.post(
        reverse("scenario_preview"), {**data, "compounding": "monthly"}
    ).content.decode()
    assert 'data-testid="preview-invalid"' in refused
    assert "compounds yearly, as the calculator does" in refused


def test_the_list_and_the_comparison_show_the_calculation(
    alice_client: Client, alice: User
) -> None:
    save_from_the_calculator_page(alice_client)
    calculation = saved(alice)
    yearly = ScenarioFactory.create(owner=alice, name="Yearly", horizon_years=10)
    html = alice_client.get(reverse("scenario_list")).content.decode()
    assert f'data-testid="saved-calculation-{calculation.pk}"' in html
    assert f'data-testid="saved-calculation-{yearly.pk}"' not in html
    compare = alice_client.get(
        reverse("scenario_compare"), {"ids": f"{calculation.pk},{yearly.pk}"}
    ).content.decode()
    assert figure(compare, f"compare-final-{calculation.pk}").startswith("€16,288.95")
    assert "before the tax of €943.34 due at the end" in compare
    assert figure(compare, f"compare-net-{calculation.pk}") == "€6,345.61"
    assert "once at the end" in compare
    assert "every year" in compare


def test_a_clone_keeps_the_tax_timing(alice_client: Client, alice: User) -> None:
    save_from_the_calculator_page(alice_client)
    alice_client.post(reverse("scenario_clone", args=[saved(alice).pk]))
    copy = Scenario.objects.get(owner=alice, name__endswith="(copy)")
    assert (copy.tax_timing, copy.one_off_income) == ("at_end", Decimal(1000))
    html = alice_client.get(reverse("scenario_detail", args=[copy.pk])).content.decode()
    assert figure(html, "net-income") == "€6,345.61"


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def test_the_admin_shows_and_guards_the_tax_timing(admin_client: Client, alice: User) -> None:
    scenario = ScenarioFactory.create(
        owner=alice,
        monthly_contribution=Decimal(0),
        tax_rate=Decimal("0.15"),
        tax_timing="at_end",
        one_off_income=Decimal(1000),
    )
    listing = admin_client.get("/admin/scenarios/scenario/?tax_timing__exact=at_end")
    assert listing.status_code == 200
    assert '<td class="field-tax_timing">Once at the end</td>' in listing.content.decode()
    url = f"/admin/scenarios/scenario/{scenario.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="tax_timing"' in page
    assert 'name="one_off_income"' in page
    form = {
        "owner": alice.pk,
        "name": scenario.name,
        "description": "",
        "starting_capital": "10000",
        "monthly_contribution": "100",
        "annual_return": "0.05",
        "compounding": "yearly",
        "tax_profile": "",
        "tax_rate": "0.15",
        "tax_timing": "at_end",
        "one_off_income": "1000",
        "inflation": "0.02",
        "additional_yearly_income": "0",
        "horizon_years": "20",
        "target_monthly_income": "0",
        "volatility": "",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 200  # the form again, with the error
    assert "has no monthly contribution" in response.content.decode()
    scenario.refresh_from_db()
    assert scenario.monthly_contribution == Decimal(0)
