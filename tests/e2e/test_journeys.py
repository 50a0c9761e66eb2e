"""The six journeys of a person using Ertrag, end to end in Chromium against a live server.

Where PostgreSQL is configured, a real ``celery -A config worker`` takes every task the
live server sends (recomputes, imports, mail); on the embedded SQLite database a worker
process cannot reach pytest's in-memory test database, so there the tasks run in the
live server's thread, except in the import journey, which needs the worker and skips.
Screenshots go to ``test-artifacts/journey-*.png``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone, translation

from income import reporting, services
from income.demo import demo_create
from income.formatting import format_money
from income.models import IncomeCategory, IncomeSource, Payment, Profile
from reports.models import ReportSnapshot
from reports.services import report_recompute
from scenarios import services as scenario_services
from scenarios.models import Scenario
from tests.e2e.conftest import CHROMIUM_FLAGS, screenshot
from tests.e2e.language import assert_german, english_on
from tests.e2e.steps import (
    fill_seed_example,
    german_csv,
    log_in,
    upload_and_preview,
    wait_for_charts,
)
from tests.factories import PASSWORD, UserFactory
from tests.integration.workers import WorkerProcess
from tests.services import require_chromium as browser_executable

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_content"),
]

IMPORT_ROWS = 3_000
GERMAN_MONEY = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d{2}\u00a0€$")


@pytest.fixture
def worker(start_worker_if_possible: Callable[[], WorkerProcess | None]) -> WorkerProcess | None:
    return start_worker_if_possible()


@pytest.fixture
def start_worker_if_possible(request: pytest.FixtureRequest) -> Iterator[Callable[[], Any]]:
    """A real worker on PostgreSQL; on SQLite the tasks run eagerly in the live server."""
    if connection.vendor != "postgresql":
        yield lambda: None
        return
    yield request.getfixturevalue("start_worker")


def wait_until(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.25)


def money_en(amount: Decimal) -> str:
    with translation.override("en"):
        return format_money(amount, "EUR")


def snapshot_is_current(user: User) -> bool:
    """The worker has written this month's report from the data as it is now."""
    today = timezone.localdate()
    snapshot = ReportSnapshot.objects.filter(owner=user, month=today.replace(day=1)).first()
    live = reporting.overview(owner=user, as_of=today)
    return snapshot is not None and snapshot.passive_net_ttm == live.passive_net_ttm


def chart_series(page: Any) -> list[str]:
    """The dataset labels of every chart on the page, as Chart.js holds them."""
    labels: list[str] = page.evaluate(
        "() => [...document.querySelectorAll('canvas[data-chart-source]')]"
        ".flatMap(c => Chart.getChart(c).data.datasets.map(d => d.label))"
    )
    return labels


# ----------------------------------------------------------------------------- 1


def test_a_visitor_calculates_signs_up_and_finds_the_result_saved_as_a_scenario(
    page: Any, live_server: Any, worker: WorkerProcess | None
) -> None:
    page.goto(f"{live_server.url}/calculator/")
    fill_seed_example(page)
    page.click("button[type=submit]:has-text('Calculate')")
    assert page.inner_text("[data-testid=net-income]") == "€6,345.61"
    wait_for_charts(page)
    screenshot(page, "journey-1-calculator")

    page.click("[data-testid=save-as-scenario] button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/signup/"))
    assert "Create an account to keep this result" in page.inner_text(".messages")
    page.fill("#id_username", "neugier")
    page.fill("#id_email", "neugier@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    screenshot(page, "journey-1-signup")
    page.click("main form button[type=submit]")

    # Issue 20: every sign-up ends on "check your mail" (a taken address must look the
    # same); with optional verification the password logs in at once, and the log-in
    # goes on to save the waiting result.
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    screenshot(page, "journey-1-check-your-mail")
    page.click("[data-testid=login-after-signup]")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "neugier")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")

    page.wait_for_url(re.compile(r"/scenarios/\d+/$"))
    user = User.objects.get(username="neugier")
    scenario = Scenario.objects.get(owner=user)
    assert page.url.endswith(f"/scenarios/{scenario.pk}/")
    assert scenario.starting_capital == Decimal("10000.00")
    assert scenario.annual_return == Decimal("0.05")
    assert scenario.horizon_years == 10
    assert "was saved as the scenario" in page.inner_text(".messages")
    assert page.inner_text("h1") == scenario.name
    wait_for_charts(page)
    screenshot(page, "journey-1-scenario-saved")

    page.goto(f"{live_server.url}/scenarios/")
    assert page.locator("[data-testid=scenario-table] tbody tr").count() == 1


# ----------------------------------------------------------------------------- 2


def add_source(page: Any, base_url: str, *, fields: dict[str, str], category: str) -> int:
    page.goto(f"{base_url}/sources/new/")
    pk = IncomeCategory.objects.get(slug=category).pk
    page.select_option("#id_category", str(pk))
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    page.click("form.source-form button[type=submit]")
    page.wait_for_url(re.compile(r"/sources/\d+/$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def record_payment(page: Any, *, source: int, day: date, gross: str, tax: str = "") -> None:
    """The quick add above the payment list; htmx puts the row on top and says so."""
    status = page.locator("#quick-add-status")
    before = status.inner_text()
    page.select_option("#id_source", str(source))
    page.fill("#id_date", day.isoformat())
    page.fill("#id_gross", gross)
    page.fill("#id_tax_withheld", tax)
    page.click("#quick-add-fields button[type=submit]")
    page.wait_for_function(
        "before => { const s = document.querySelector('#quick-add-status');"
        " return s && s.innerText !== before && s.innerText.includes('recorded'); }",
        arg=before,
    )


def test_a_new_user_records_sources_payments_and_an_import_and_the_dashboard_follows(
    page: Any, live_server: Any, start_worker: Callable[[], WorkerProcess]
) -> None:
    today = timezone.localdate()
    user = UserFactory.create(username="ines")
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator(".empty-state").is_visible()
    screenshot(page, "journey-2-dashboard-empty")

    etf = add_source(
        page,
        live_server.url,
        category="etf-dividends",
        fields={
            "name": "Welt-ETF",
            "start_date": "2023-01-01",
            "invested_capital": "20000",
            "expected_yield": "2",
        },
    )
    screenshot(page, "journey-2-dividend-source")
    club = add_source(
        page,
        live_server.url,
        category="membership",
        fields={
            "name": "Members Club",
            "start_date": "2024-06-01",
            "price_per_subscriber": "9",
            "current_subscribers": "120",
            "new_subscribers_per_month": "10",
            "monthly_churn_rate": "3",
            "maintenance_hours_per_month": "6",
        },
    )
    page.click("a:has-text('Add month')")
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    page.fill("#id_month", last_month.strftime("%Y-%m"))
    page.fill("#id_subscribers_start", "120")
    page.fill("#id_new_subscribers", "10")
    page.fill("#id_churned_subscribers", "4")
    page.fill("#id_mrr_new", "90")
    page.fill("#id_mrr_churned", "36")
    page.fill("#id_revenue", "1134")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/sources/{club}/")
    assert page.inner_text("[data-testid=subscribers]") == "126"
    screenshot(page, "journey-2-subscription-source")

    page.goto(f"{live_server.url}/payments/")
    record_payment(page, source=etf, day=today - timedelta(days=20), gross="150.00", tax="39.56")
    record_payment(page, source=club, day=today - timedelta(days=15), gross="1080.00")
    assert page.locator("#payment-rows tr.payment-row").count() == 2
    screenshot(page, "journey-2-payments")

    # The import: queued while no worker runs, then the worker's progress, then the result.
    upload_and_preview(
        page,
        live_server.url,
        etf,
        german_csv(IMPORT_ROWS, first=today - timedelta(days=330), days=300),
    )
    screenshot(page, "journey-2-import-preview")
    page.click("[data-testid=import-button]")
    page.locator("[data-testid=import-progress][data-status=queued]").wait_for()
    assert page.locator("#import-progress-bar").is_visible()
    screenshot(page, "journey-2-import-queued")
    start_worker()
    page.wait_for_selector("[data-testid=import-created]", timeout=120_000)
    assert page.inner_text("[data-testid=import-created]") == "3,000 payments imported."
    screenshot(page, "journey-2-import-done")
    page.click("[data-testid=import-see-payments]")
    page.wait_for_url(f"{live_server.url}/payments/")
    assert "3,002 payments in EUR" in page.inner_text("main")
    assert Payment.objects.filter(source__owner=user).count() == IMPORT_ROWS + 2

    # The worker recomputes after the import; the dashboard then shows every payment.
    wait_until(lambda: snapshot_is_current(user), timeout=120, what="the recompute")
    expected = reporting.overview(owner=user, as_of=today).passive_net_ttm
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("[data-testid=stale-notice]").count() == 0
    assert page.inner_text("[data-testid=passive-net-ttm]") == money_en(expected)
    assert expected > Decimal("1080.00") + Decimal("110.44")  # more than the two by hand
    wait_for_charts(page)
    assert {"ETF dividends", "Membership community"} <= set(chart_series(page))
    screenshot(page, "journey-2-dashboard-after-import")


# ----------------------------------------------------------------------------- 3


def fill_scenario(page: Any, *, name: str, capital: str, monthly: str, target: str) -> None:
    page.fill("#id_name", name)
    page.fill("#id_starting_capital", capital)
    page.fill("#id_monthly_contribution", monthly)
    page.fill("#id_annual_return", "6")
    page.fill("#id_horizon_years", "25")
    page.fill("#id_target_monthly_income", target)


def test_a_user_plans_two_scenarios_compares_them_and_stress_tests_the_sources(
    page: Any, live_server: Any, worker: WorkerProcess | None
) -> None:
    demo = demo_create(username="planer", password=PASSWORD, today=timezone.localdate())
    log_in(page, live_server.url, demo.user.username)

    made = []
    for name, capital, monthly in (
        ("Sparplan klein", "10000", "300"),
        ("Sparplan groß", "25000", "800"),
    ):
        page.goto(f"{live_server.url}/scenarios/new/")
        fill_scenario(page, name=name, capital=capital, monthly=monthly, target="2000")
        page.click("main form button[type=submit]:not([formaction])")
        page.wait_for_url(re.compile(r"/scenarios/\d+/$"))
        wait_for_charts(page)
        made.append(Scenario.objects.get(owner=demo.user, name=name))
        screenshot(page, f"journey-3-scenario-{len(made)}")
    small, large = made

    page.goto(f"{live_server.url}/scenarios/")
    page.check(f"#pick-{small.pk}")
    page.check(f"#pick-{large.pk}")
    page.click("[data-testid=compare-button]")
    page.wait_for_selector("[data-testid=compare-table]")
    final_small = page.inner_text(f"[data-testid=compare-final-{small.pk}]")
    final_large = page.inner_text(f"[data-testid=compare-final-{large.pk}]")
    as_number = lambda text: Decimal(text.replace("€", "").replace(",", ""))  # noqa: E731
    assert as_number(final_large) > as_number(final_small) > 0
    wait_for_charts(page)
    screenshot(page, "journey-3-compare")

    page.goto(f"{live_server.url}/scenarios/stress-test/")
    page.fill("#id_dividend_cut", "50")
    page.fill("#id_churn_spike", "20")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=net-after]")
    before = as_number(page.inner_text("[data-testid=net-before]"))
    after = as_number(page.inner_text("[data-testid=net-after]"))
    assert 0 < after < before
    assert page.locator("[data-testid=stress-sources] tbody tr").count() >= 1
    screenshot(page, "journey-3-stress-test")


# ----------------------------------------------------------------------------- 4


@pytest.fixture
def german_browser_page(browser: Any) -> Iterator[Any]:
    """A German's Chromium: its own date pickers show TT.MM.JJJJ, whatever the page says
    (they follow the browser's language, not the page's)."""
    german = browser.browser_type.launch(
        executable_path=browser_executable(),
        args=[*CHROMIUM_FLAGS, "--lang=de-DE"],
        env={**os.environ, "LANG": "de_DE.UTF-8", "LANGUAGE": "de"},
    )
    context = german.new_context(
        viewport={"width": 1280, "height": 900}, reduced_motion="reduce", locale="de-DE"
    )
    yield context.new_page()
    context.close()
    german.close()


def test_a_user_switches_to_german_and_every_page_is_german(
    german_browser_page: Any, live_server: Any, worker: WorkerProcess | None
) -> None:
    page = german_browser_page
    today = timezone.localdate()
    demo = demo_create(username="greta", password=PASSWORD, today=today)
    user = demo.user
    report_recompute(owner=user, today=today, force=True)
    source = IncomeSource.objects.filter(owner=user, category__slug="membership").first()
    assert source is not None
    payment = Payment.objects.filter(source__owner=user).order_by("-date").first()
    assert payment is not None
    scenario = scenario_services.scenario_create(
        owner=user,
        name="Rente mit 55",
        starting_capital=Decimal("50000.00"),
        volatility=Decimal("0.15"),
    )
    other = scenario_services.scenario_create(
        owner=user, name="Sparplan", monthly_contribution=Decimal("500.00")
    )
    own_names = tuple(IncomeSource.objects.filter(owner=user).values_list("name", flat=True))
    own_names += tuple(Scenario.objects.filter(owner=user).values_list("name", flat=True))

    log_in(page, live_server.url, user.username)
    assert page.get_attribute("html", "lang") == "en"
    # The check below finds English where there is English, so its silence means German.
    assert len(english_on(page, allowed=own_names)) > 10
    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")
    assert Profile.objects.get(user=user).language == "de"

    page.goto(f"{live_server.url}/dashboard/")
    wait_for_charts(page)
    assert GERMAN_MONEY.match(page.inner_text("[data-testid=passive-net-ttm]"))
    assert_german(page, allowed=own_names)
    screenshot(page, "journey-4-dashboard-de")

    page.goto(f"{live_server.url}/payments/")
    first_date = page.inner_text("#payment-rows tr.payment-row >> nth=0 >> th")
    assert first_date == payment.date.strftime("%d.%m.%Y"), first_date
    assert_german(page, allowed=own_names)
    screenshot(page, "journey-4-payments-de")

    pages = {
        "sources": "/sources/",
        "source": f"/sources/{source.pk}/",
        "source-new": "/sources/new/",
        "calendar": "/calendar/",
        "import": "/imports/new/",
        "reports": "/reports/",
        "scenarios": "/scenarios/",
        "scenario": f"/scenarios/{scenario.pk}/",
        "scenario-new": "/scenarios/new/",
        "compare": f"/scenarios/compare/?ids={scenario.pk}&ids={other.pk}",
        "stress-test": "/scenarios/stress-test/?dividend_cut=30&churn_spike=10",
        "settings": "/settings/",
        "your-data": "/settings/data/",
        "help": "/help/",
        "help-article": "/help/passive-is-not-without-work/",
        "calculator": "/calculator/?initial_investment=10000&annual_return=5"
        "&investment_period=10&tax_rate=15&additional_income=1000",
        "not-found": "/sources/999999999/",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        if page.locator("canvas[data-chart-source]").count():
            wait_for_charts(page)
        assert_german(page, allowed=own_names)
        screenshot(page, f"journey-4-{name}-de")
    assert page.inner_text("[data-testid=not-found]").startswith("Seite nicht gefunden")

    # The import, from the preview to the result (on the worker, where there is one).
    upload_and_preview(
        page, live_server.url, source.pk, german_csv(3, first=today - timedelta(days=40))
    )
    assert_german(page, allowed=(*own_names, "umsaetze.csv"))
    screenshot(page, "journey-4-import-preview-de")
    page.click("[data-testid=import-button]")
    page.wait_for_selector("[data-testid=import-created]", timeout=120_000)
    assert page.inner_text("[data-testid=import-created]") == "3 Zahlungen importiert."
    assert_german(page, allowed=(*own_names, "umsaetze.csv"))
    screenshot(page, "journey-4-import-result-de")

    # The choice is the profile's: a new session comes back in German.
    page.context.clear_cookies()
    log_in(page, live_server.url, user.username)
    assert page.get_attribute("html", "lang") == "de"

    # Logged out, the visitor's pages stay German too.
    page.click("form[action$='/logout/'] button[type=submit]")
    for name, path in {"signup": "/accounts/signup/", "login": "/accounts/login/"}.items():
        page.goto(f"{live_server.url}{path}")
        assert_german(page)
        screenshot(page, f"journey-4-{name}-de")


# ----------------------------------------------------------------------------- 5


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_user_cannot_open_another_users_source_by_its_address(
    page: Any, live_server: Any, worker: WorkerProcess | None, language: str
) -> None:
    alice = UserFactory.create(username="alice")
    secret = services.source_create(
        owner=alice,
        name="Alices geheimes Depot",
        category=IncomeCategory.objects.get(slug="etf-dividends"),
        currency="EUR",
        start_date=date(2024, 1, 1),
    )
    bob = UserFactory.create(username="bob", language=language)
    log_in(page, live_server.url, bob.username)

    for path in (f"/sources/{secret.pk}/", f"/sources/{secret.pk}/edit/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404
        assert page.locator("[data-testid=not-found]").is_visible()
        assert "Alices" not in page.content()
    heading = {"en": "Page not found", "de": "Seite nicht gefunden"}[language]
    assert page.inner_text("h1") == heading
    assert page.get_attribute("html", "lang") == language
    screenshot(page, f"journey-5-not-found-{language}")
    # Bob's own navigation still works from the error page.
    page.click("[data-testid=not-found] a[role=button] >> nth=0")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert IncomeSource.objects.get(pk=secret.pk).name == "Alices geheimes Depot"


# ----------------------------------------------------------------------------- 6


def test_an_admin_edits_a_categorys_help_text_and_the_user_sees_it(
    browser: Any, page: Any, live_server: Any, worker: WorkerProcess | None
) -> None:
    User.objects.create_superuser("chefin", "chefin@example.com", PASSWORD)
    user = UserFactory.create(username="nutzer")
    category = IncomeCategory.objects.get(slug="membership")
    new_en = "A paid community: count members, MRR and churn every month."
    new_de = "Eine bezahlte Community: Mitglieder, MRR und Churn jeden Monat zählen."

    log_in(page, live_server.url, "chefin")
    page.goto(f"{live_server.url}/admin/income/incomecategory/{category.pk}/change/")
    page.fill("#id_help_en", new_en)
    page.fill("#id_help_de", new_de)
    screenshot(page, "journey-6-admin-edit")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    screenshot(
        page,
        "journey-6-admin-saved",
        allow_clipped="Django's own admin: its change list scrolls inside a box of its own",
    )

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    member = context.new_page()
    log_in(member, live_server.url, user.username)
    member.goto(f"{live_server.url}/sources/new/")
    member.select_option("#id_category", str(category.pk))
    help_text = member.locator(f".category-help [data-help-for='{category.pk}']")
    assert help_text.is_visible()
    assert help_text.inner_text() == new_en
    screenshot(member, "journey-6-user-sees-help-en")
    member.click("form.language-switch button[value=de]")
    member.wait_for_function("() => document.documentElement.lang === 'de'")
    member.select_option("#id_category", str(category.pk))
    assert help_text.inner_text() == new_de
    screenshot(member, "journey-6-user-sees-help-de")
    context.close()
