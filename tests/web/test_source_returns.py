"""A source's page by its kind (issue #17.6, #17.12): the value of a capital or rental
source with its total return and income yield, no ROI or payback for active work, and a
subscription's MRR, subscribers and received revenue per month."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from finance.schedule import add_months, month_start
from income import services
from income.models import AssetValue, IncomeSource
from tests.factories import PaymentFactory, PeriodFactory, SourceFactory, category

D = Decimal


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


def figure(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">(.*?)</(span|td|p)>', html, re.S)
    assert match, f"{testid} not on the page"
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


THIS_MONTH = month_start(timezone.localdate())
VALUE_DAY = THIS_MONTH - timedelta(days=1)  # the last day of the month before


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    """60,000 upfront; 2,800 of dividends (no tax) in the last twelve months, a quarter
    apart; worth 63,000 on the last day of the month before."""
    source = SourceFactory.create(
        owner=alice, name="World ETF", category=category("etf-dividends"),
        start_date=add_months(THIS_MONTH, -11), upfront_investment=D("60000"),
    )  # fmt: skip
    for back in (9, 6, 3, 0):
        PaymentFactory.create(source=source, date=add_months(THIS_MONTH, -back), gross=D(700))
    services.asset_value_create(
        owner=alice, source=source, date=VALUE_DAY, value=D("63000.00"), note="Depot"
    )
    return source


def page(client: Client, source: IncomeSource) -> str:
    response = client.get(reverse("source_detail", args=[source.pk]))
    assert response.status_code == 200
    return response.content.decode()


# ----------------------------------------------------------------------------- capital


def test_a_capital_source_shows_total_return_and_income_yield_instead_of_a_cash_roi(
    alice_client: Client, etf: IncomeSource
) -> None:
    html = page(alice_client, etf)
    # 2,800 + 63,000 − 60,000 = 5,800; 5,800 / 60,000 = 9.67 %
    assert figure(html, "total-return") == "€5,800.00"
    assert figure(html, "total-return-ratio") == "9.67% of the money put in"
    assert figure(html, "latest-value") == "€63,000.00"
    assert figure(html, "money-put-in") == "€60,000.00"
    # the income of the last twelve months on the value: 2,800 / 63,000 = 4.44 %
    assert figure(html, "income-yield") == "4.44%"
    assert figure(html, "income-yield-base") == "on the latest value"
    assert 'data-testid="cash-roi"' not in html
    assert 'data-testid="full-roi"' not in html
    assert "Income payback" in html
    assert "Depot" in html  # the recorded value's note, in the list
    assert reverse("asset_value_create", args=[etf.pk]) in html
    value = AssetValue.objects.get()
    assert reverse("asset_value_edit", args=[value.pk]) in html
    assert reverse("asset_value_delete", args=[value.pk]) in html


def test_without_a_value_the_page_asks_for_one_and_says_the_yield_is_on_the_upfront_money(
    alice_client: Client, alice: User
) -> None:
    flat = SourceFactory.create(
        owner=alice, category=category("rent"), start_date=THIS_MONTH,
        upfront_investment=D("36000"),
    )  # fmt: skip
    PaymentFactory.create(source=flat, date=THIS_MONTH, gross=D("750.00"))
    html = page(alice_client, flat)
    assert figure(html, "total-return") == "record a value to see it"
    # 750 / 36,000 = 2.08 %
    assert figure(html, "income-yield") == "2.08%"
    assert figure(html, "income-yield-base") == "on the upfront money: no value recorded yet"
    assert "No value recorded yet." in html


def test_the_value_section_is_in_german(alice_client: Client, etf: IncomeSource) -> None:
    alice_client.cookies["ertrag_language"] = "de"
    html = page(alice_client, etf)
    assert figure(html, "total-return") == "5.800,00\u00a0€"
    assert figure(html, "latest-value") == "63.000,00\u00a0€"


def test_htmx_records_a_value_and_answers_with_the_section_and_new_figures(
    alice_client: Client, alice: User, etf: IncomeSource
) -> None:
    response = alice_client.post(
        reverse("asset_value_create", args=[etf.pk]),
        {"date": timezone.localdate().isoformat(), "value": "66000", "note": "Later"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<section") or 'id="asset-value"' in html
    assert "<html" not in html  # a fragment, not a page
    # 2,800 + 66,000 − 60,000 = 8,800
    assert figure(html, "total-return") == "€8,800.00"
    assert "recorded." in figure(html, "value-status")
    assert AssetValue.objects.filter(source=etf).count() == 2


def test_htmx_shows_the_errors_in_the_section_and_records_nothing(
    alice_client: Client, etf: IncomeSource
) -> None:
    response = alice_client.post(
        reverse("asset_value_create", args=[etf.pk]),
        {"date": VALUE_DAY.isoformat(), "value": "1"},  # that day has a value already
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A value is already recorded for this day." in html
    assert AssetValue.objects.filter(source=etf).count() == 1


def test_without_javascript_a_value_is_recorded_and_the_page_shown_again(
    alice_client: Client, etf: IncomeSource
) -> None:
    url = reverse("asset_value_create", args=[etf.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, {"date": "2025-06-30", "value": "61000"})  # earlier
    assert response.status_code == 302
    assert response["Location"] == reverse("source_detail", args=[etf.pk])
    bad = alice_client.post(url, {"date": "", "value": "-5"})
    assert bad.status_code == 400
    assert AssetValue.objects.filter(source=etf).count() == 2


def test_a_value_of_a_source_that_takes_none_is_refused_on_the_form(
    alice_client: Client, alice: User
) -> None:
    ebook = SourceFactory.create(owner=alice, category=category("licences"))
    response = alice_client.post(
        reverse("asset_value_create", args=[ebook.pk]), {"date": "2025-06-30", "value": "1"}
    )
    assert response.status_code == 400
    assert "capital and rental sources only" in response.content.decode()
    assert not AssetValue.objects.exists()


def test_a_value_is_edited_and_deleted(alice_client: Client, etf: IncomeSource) -> None:
    value = AssetValue.objects.get()
    edit = reverse("asset_value_edit", args=[value.pk])
    assert alice_client.get(edit).status_code == 200
    response = alice_client.post(edit, {"date": VALUE_DAY.isoformat(), "value": "64000"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.value == D("64000.00")
    delete = reverse("asset_value_delete", args=[value.pk])
    assert "64,000.00" in alice_client.get(delete).content.decode()
    assert alice_client.post(delete).status_code == 302
    assert not AssetValue.objects.exists()


def test_bob_cannot_record_a_value_on_alices_source(
    client: Client, bob: User, etf: IncomeSource
) -> None:
    client.force_login(bob)
    url = reverse("asset_value_create", args=[etf.pk])
    assert client.post(url, {"date": "2025-06-30", "value": "1"}).status_code == 404
    assert AssetValue.objects.count() == 1


# ----------------------------------------------------------------------------- by kind


def test_an_active_source_shows_no_roi_and_no_payback(alice_client: Client, alice: User) -> None:
    work = SourceFactory.create(
        owner=alice, category=category("freelance"), upfront_investment=D("500")
    )
    PaymentFactory.create(source=work, gross=D("4000.00"))
    html = page(alice_client, work)
    for testid in ("cash-roi", "full-roi", "payback", "full-payback", "total-return"):
        assert f'data-testid="{testid}"' not in html, testid
    assert "no return on investment and no payback" in figure(html, "return-note")
    assert reverse("asset_value_create", args=[work.pk]) not in html


def test_a_spent_source_keeps_its_cash_roi_and_payback(alice_client: Client, alice: User) -> None:
    ebook = SourceFactory.create(
        owner=alice, category=category("licences"), upfront_investment=D("600"),
        start_date=date(2025, 1, 1),
    )  # fmt: skip
    PaymentFactory.create(source=ebook, date=date(2025, 2, 15), gross=D("900.00"))
    html = page(alice_client, ebook)
    assert figure(html, "cash-roi") == "50.0%"  # (900 − 600) / 600
    assert 'data-testid="payback"' in html
    assert "Income payback" not in html
    assert 'id="asset-value"' not in html


def test_the_delete_page_counts_the_recorded_values(
    alice_client: Client, etf: IncomeSource
) -> None:
    html = alice_client.get(reverse("source_delete", args=[etf.pk])).content.decode()
    assert "1 recorded value" in html


# ----------------------------------------------------------------------------- subscriptions


@pytest.fixture
def club(alice: User) -> IncomeSource:
    """Two recorded months at 15 a member; the members' payments arrive on the 28th."""
    source = SourceFactory.create(
        owner=alice, name="Club", category=category("membership"),
        price_per_subscriber=D("15"), start_date=date(2025, 1, 1),
    )  # fmt: skip
    PeriodFactory.create(source=source, month=date(2025, 1, 1), subscribers_start=0,
                         new_subscribers=10)  # fmt: skip
    PeriodFactory.create(source=source, month=date(2025, 2, 1), subscribers_start=10,
                         new_subscribers=4, churned_subscribers=1, revenue=D("200.00"))  # fmt: skip
    PaymentFactory.create(source=source, date=date(2025, 1, 28), gross=D("150.00"), fees=D("5"))
    PaymentFactory.create(source=source, date=date(2025, 2, 10), gross=D("30.00"))
    PaymentFactory.create(source=source, date=date(2025, 2, 28), gross=D("165.00"))
    return source


def test_the_months_table_shows_mrr_and_the_gross_received_in_each_month(
    alice_client: Client, club: IncomeSource
) -> None:
    html = page(alice_client, club)
    table = html[html.index('data-testid="period-table"') :]
    mrr = re.findall(r'data-testid="period-mrr">(.*?)</td>', table)
    received = re.findall(r'data-testid="period-received">(.*?)</td>', table)
    # newest first. February: the recorded revenue 200.00 is its MRR; received 30 + 165 =
    # 195.00. January: 10 members × 15 = 150.00; received 150.00 (gross, before the fee)
    assert mrr == ["€200.00", "€150.00"]
    assert received == ["€195.00", "€150.00"]
    assert "Received (gross)" in table
    assert "Revenue</th>" not in table


def test_the_subscription_chart_has_mrr_and_subscribers_on_their_own_axis(
    alice_client: Client, club: IncomeSource
) -> None:
    html = page(alice_client, club)
    match = re.search(
        r'<script id="source-subscription-chart" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    assert match
    chart = json.loads(match.group(1))
    assert chart["type"] == "bar"
    assert chart["currency"] == "EUR"
    mrr, subscribers = chart["datasets"]
    assert (mrr["label"], mrr["data"]) == ("MRR", ["150.00", "200.00"])  # oldest first
    assert subscribers == {"label": "Subscribers", "data": [10, 13], "unit": "count"}
    assert 'data-chart-source="source-subscription-chart"' in html
