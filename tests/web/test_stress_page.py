"""The stress test page shows the long run (issue #17 item 10): a chart of the 36-month
path before and after, the months that matter, and the shocked result as a warning."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from finance.schedule import add_months, month_start
from income.formatting import format_month
from income.models import Profile
from tests.factories import SourceFactory, category
from tests.web.test_scenario_pages import figure, german


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def independent_alice(alice: User) -> User:
    """Expenses 900; a club in its steady state: 100 subscribers at 10, 1000.00 a month."""
    Profile.objects.filter(user=alice).update(monthly_expenses=Decimal(900))
    SourceFactory.create(
        owner=alice, name="Club", category=category("membership"), tax_rate=Decimal(0),
        price_per_subscriber=Decimal(10), current_subscribers=100, new_subscribers_per_month=5,
        monthly_churn_rate=Decimal("0.05"),
    )  # fmt: skip
    return alice


def chart_data(html: str) -> dict[str, object]:
    match = re.search(r'<script id="stress-path-data" type="application/json">(.*?)</script>', html)
    assert match, "no chart data on the page"
    return dict(json.loads(match.group(1)))


SPIKE = {"churn_spike": "5", "inflation": "0", "horizon_years": "30"}


def test_the_page_draws_the_path_before_and_after(
    alice_client: Client, independent_alice: User
) -> None:
    html = alice_client.get(reverse("scenario_stress"), SPIKE).content.decode()
    this_month = month_start(timezone.localdate())
    data = chart_data(html)
    assert 'data-chart-source="stress-path-data"' in html
    labels = data["labels"]
    assert isinstance(labels, list)
    assert len(labels) == 36
    assert labels[0] == format_month(this_month)
    datasets = data["datasets"]
    assert isinstance(datasets, list)
    assert [d["label"] for d in datasets] == [
        "Without the shocks", "With the shocks", "Expenses, grown with inflation",
    ]  # fmt: skip
    # Churn 0.10 after the spike: 950.00 in month 1, 511.26 in month 36 (50 + 50 × 0.9^36
    # subscribers at 10); before, 1000.00 throughout; expenses 900.00 without inflation.
    assert datasets[0]["data"] == ["1000.00"] * 36
    assert (datasets[1]["data"][0], datasets[1]["data"][35]) == ("950.00", "511.26")
    assert datasets[2]["data"] == ["900.00"] * 36
    assert "vendor/chart.umd.min.js" in html


def test_the_shocked_result_is_a_warning_with_the_month_it_ends_independence(
    alice_client: Client, independent_alice: User
) -> None:
    html = alice_client.get(reverse("scenario_stress"), SPIKE).content.decode()
    ends = format_month(add_months(month_start(timezone.localdate()), 2))
    last = format_month(add_months(month_start(timezone.localdate()), 35))
    assert 'data-testid="stress-warning"' in html
    assert "kpi-warning" in html
    assert figure(html, "independence-before") == "Independent now"
    assert figure(html, "independence-after") == f"The shocks end it in {ends}"
    assert f"The shocks end your independence in {ends}" in html
    # The long run in the headline: month 36 is 511.26, 488.74 less; 50.00 in month 1.
    assert figure(html, "net-after-long-run") == "€511.26"
    assert figure(html, "net-change-long-run") == "\u2212€488.74 a month"
    assert f"by {last} it costs €488.74 a month, against €50.00 this month" in html
    # The short table: months 1, 12, 24 and 36; the full one folded away.
    key = re.search(r'data-testid="stress-path-key".*?</table>', html, re.S)
    assert key
    assert key.group(0).count('<th scope="row"') == 4
    assert "€641.21" in key.group(0)  # month 12: 50 + 50 × 0.9^12 = 64.12… at 10
    assert "€539.88" in key.group(0)  # month 24
    assert 'data-testid="stress-path-all"' in html


def test_independence_that_survives_the_shocks_says_so(
    alice_client: Client, independent_alice: User
) -> None:
    Profile.objects.filter(user=independent_alice).update(monthly_expenses=Decimal(400))
    html = alice_client.get(reverse("scenario_stress"), SPIKE).content.decode()
    # After the spike the club tends to 500.00, above 400: still covered.
    assert figure(html, "independence-before") == "Independent now"
    assert figure(html, "independence-after") == "Still covered after the shocks"
    assert "The shocks end your independence" not in html
    assert 'data-testid="stress-warning"' in html  # the income still falls


def test_no_shock_is_no_warning(alice_client: Client, independent_alice: User) -> None:
    html = alice_client.get(reverse("scenario_stress"), {"inflation": "0"}).content.decode()
    assert 'data-testid="stress-warning"' not in html
    assert "kpi-warning" not in html
    assert figure(html, "independence-after") == "Still covered after the shocks"


def test_the_page_in_german(alice_client: Client, independent_alice: User) -> None:
    html = german(alice_client).get(reverse("scenario_stress"), SPIKE).content.decode()
    with translation.override("de"):
        first = format_month(month_start(timezone.localdate()))
    assert figure(html, "net-after-long-run") == "511,26\u00a0€"
    assert chart_data(html)["labels"][0] == first  # type: ignore[index]
