"""The dashboard's figures part is cached, and never shown for what it was not made from.

Its key names the owner, the snapshot and every month's time, the language, the display
preferences, the profile's currency and country, the categories and the templates: a
recompute, a language switch, a preference or a category changed is a new key.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from finance.schedule import add_months, month_start
from income import services
from income.models import IncomeCategory
from reports import dashboard as dashboard_module
from reports.dashboard import DashboardHead
from reports.services import report_month_close, report_recompute
from reports.views import dashboard as dashboard_view
from tests.factories import PaymentFactory, SourceFactory, category


@pytest.fixture
def today() -> date:
    return timezone.localdate()


def _with_income(owner: User, today: date, gross: str) -> User:
    etf = SourceFactory.create(
        owner=owner, name="ETF", category=category("etf-dividends"), start_date=date(2020, 1, 1)
    )
    PaymentFactory.create(source=etf, date=today, gross=Decimal(gross))
    PaymentFactory.create(source=etf, date=add_months(month_start(today), -1), gross=Decimal("100"))
    report_recompute(owner=owner, today=today)
    return owner


@pytest.fixture
def alice_with_income(alice: User, today: date) -> User:
    return _with_income(alice, today, "1234.50")


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The owners whose figures part was rendered rather than taken from the cache."""
    rendered: list[int] = []
    original = dashboard_module.dashboard_data

    def counting(*, owner: User, head: DashboardHead | None = None) -> object:
        rendered.append(owner.pk)
        return original(owner=owner, head=head)

    monkeypatch.setattr(dashboard_view, "dashboard_data", counting)  # as the view calls it
    return rendered


def _html(client: Client, user: User) -> str:
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def _months_table(html: str) -> str:
    found = re.search(r'data-testid="months-table">.*?</table>', html, re.S)
    assert found is not None
    return found.group(0)


def _passive_net_ttm(html: str) -> str:
    found = re.search(r'data-testid="passive-net-ttm">([^<]*)<', html)
    assert found is not None
    return found.group(1)


def test_the_figures_are_rendered_once_and_then_read_from_the_cache(
    client: Client, alice_with_income: User, renders: list[int]
) -> None:
    first = _html(client, alice_with_income)
    second = _html(client, alice_with_income)
    assert renders == [alice_with_income.pk]
    assert _passive_net_ttm(first) == _passive_net_ttm(second) == "€1,334.50"


def test_a_recompute_is_never_served_the_figures_cached_before(
    client: Client, alice_with_income: User, today: date, renders: list[int]
) -> None:
    assert _passive_net_ttm(_html(client, alice_with_income)) == "€1,334.50"
    etf = alice_with_income.income_sources.get()
    PaymentFactory.create(source=etf, date=today, gross=Decimal("1000.00"))
    report_recompute(owner=alice_with_income, today=today)
    assert _passive_net_ttm(_html(client, alice_with_income)) == "€2,334.50"
    assert len(renders) == 2


def test_a_rewritten_past_month_is_never_served_the_figures_cached_before(
    client: Client, alice_with_income: User, today: date
) -> None:
    # Closing last month rewrites the months before this one, not this one's snapshot:
    # the key holds every month's time, not only the latest snapshot's.
    assert "€100.00" in _months_table(_html(client, alice_with_income))
    last_month = add_months(month_start(today), -1)
    etf = alice_with_income.income_sources.get()
    PaymentFactory.create(source=etf, date=last_month.replace(day=20), gross=Decimal("50.00"))
    latest_before = alice_with_income.report_snapshots.order_by("-month").values_list(
        "pk", "computed_at"
    )[0]
    assert report_month_close(owner=alice_with_income, month=last_month)
    latest_after = alice_with_income.report_snapshots.order_by("-month").values_list(
        "pk", "computed_at"
    )[0]
    assert latest_after == latest_before  # the latest snapshot itself is unchanged
    assert "€150.00" in _months_table(_html(client, alice_with_income))


def test_a_language_switch_is_never_served_the_other_language(
    client: Client, alice_with_income: User
) -> None:
    assert _passive_net_ttm(_html(client, alice_with_income)) == "€1,334.50"
    client.cookies["ertrag_language"] = "de"
    html = _html(client, alice_with_income)
    assert _passive_net_ttm(html) == "1.334,50\u00a0€"
    assert "Wie passiv ist es wirklich?" in html
    client.cookies["ertrag_language"] = "en"
    assert _passive_net_ttm(_html(client, alice_with_income)) == "€1,334.50"


def test_a_date_style_saved_is_never_served_the_dates_of_the_old_one(
    client: Client, alice_with_income: User, today: date
) -> None:
    def to_date(html: str) -> str:
        found = re.search(r"to date \(([^)]*)\)", html)  # in the figures part
        assert found is not None
        return found.group(1)

    assert to_date(_html(client, alice_with_income)) != today.isoformat()
    services.profile_update(user=alice_with_income, date_style="iso")
    assert to_date(_html(client, alice_with_income)) == today.isoformat()
    services.profile_update(user=alice_with_income, date_style="dmy")
    assert to_date(_html(client, alice_with_income)) == today.strftime("%d/%m/%Y")


def test_a_category_changed_is_never_served_the_figures_of_the_old_one(
    client: Client, alice_with_income: User
) -> None:
    # The ranking lists the sources of passive categories, as the categories say now.
    etf = alice_with_income.income_sources.get()
    link = f'href="/sources/{etf.pk}/"'
    assert link in _html(client, alice_with_income)
    IncomeCategory.objects.filter(slug="etf-dividends").update(is_passive=False)
    assert link not in _html(client, alice_with_income)


def test_a_home_country_set_is_never_served_the_hint_to_set_it(
    client: Client, alice_with_income: User
) -> None:
    assert 'data-testid="home-country-hint"' in _html(client, alice_with_income)
    services.profile_update(user=alice_with_income, home_country="DE")
    assert 'data-testid="home-country-hint"' not in _html(client, alice_with_income)


def test_one_users_figures_are_never_served_to_another(
    client: Client, alice_with_income: User, bob: User, today: date, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Even were everything else in the key the same, the owner tells the two apart.
    monkeypatch.setattr(dashboard_module.DashboardHead, "figures_version", lambda self: "same")
    _with_income(bob, today, "99.00")
    assert _passive_net_ttm(_html(client, alice_with_income)) == "€1,334.50"
    assert _passive_net_ttm(_html(client, bob)) == "€199.00"
    assert _passive_net_ttm(_html(client, alice_with_income)) == "€1,334.50"


def test_what_depends_on_the_request_stays_outside_the_cached_part(
    client: Client, alice_with_income: User
) -> None:
    first, second = _html(client, alice_with_income), _html(client, alice_with_income)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.findall(first)
    assert token.findall(first) != token.findall(second)  # masked anew for every response
    profile = alice_with_income.profile  # a change the recompute has not included yet
    profile.data_changed_at = timezone.now()
    profile.save(update_fields=["data_changed_at"])
    assert 'data-testid="stale-notice"' in _html(client, alice_with_income)
