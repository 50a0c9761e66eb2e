"""Issue 24's household journey in a browser: an invited partner sees exactly the shared
sources.

alice has three sources. In the browser she makes a household, invites bob's address
and shares two of them, one to view and one to edit. The invitation's link is read
from the mail the live server sent (Django's test mailbox: the tests' Celery is eager,
so the mail is sent as the invitation commits). bob, in a browser of his own, opens
the link, signs in, joins; his household page and the household dashboard list exactly
the two shared sources, and the third one's page is a 404 for him. On the one he may
edit he records a payment, and alice finds it on her own page of that source.

The owner's household page is photographed in English and German on a desk, and on a
phone (``test-artifacts/household-<who>-<width>-<language>.png``); axe checks the pages
(as ``test_accessibility`` does).
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from finance.schedule import month_start
from income.models import IncomeSource, Payment
from scenarios.services import scenario_run
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.e2e.test_accessibility import axe_violations, describe
from tests.factories import (
    PASSWORD,
    PaymentFactory,
    ScenarioFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

JOIN_LINK = re.compile(r"https?://\S+/household/join/[A-Za-z0-9_-]+/")


@pytest.fixture
def alice_and_bob(
    shipped_content: None, settings: Any, live_server: Any
) -> tuple[User, User, dict[str, IncomeSource]]:
    """alice with three sources paid last month; bob with an account of his own."""
    settings.SITE_URL = live_server.url  # the invitation's link leads to this server
    alice = UserFactory.create(username="alice", email="alice@example.com")
    bob = UserFactory.create(username="bob", email="bob@example.com")
    last_month = month_start(timezone.localdate()) - timedelta(days=20)
    sources = {}
    for name, gross in (("World ETF", "120.00"), ("Flat rent", "850.00"), ("Secret bonds", "40")):
        sources[name] = SourceFactory.create(
            owner=alice, name=name, start_date=last_month - timedelta(days=400)
        )
        PaymentFactory.create(source=sources[name], date=last_month, gross=Decimal(gross))
    return alice, bob, sources


def _context(browser: Any, width: int = 1280, **options: Any) -> Any:
    return browser.new_context(
        viewport={"width": width, "height": 900}, reduced_motion="reduce", **options
    )


def _errors_of(page: Any) -> list[str]:
    """The page's console errors and refused scripts or styles, as they happen."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


def _names(page: Any, selector: str) -> list[str]:
    return sorted(page.locator(f"{selector} th[scope=row] a").all_inner_texts(), key=str.lower)


def test_an_invited_partner_sees_exactly_the_shared_sources(
    browser: Any, live_server: Any, alice_and_bob: tuple[User, User, dict[str, IncomeSource]]
) -> None:
    _alice, _bob, sources = alice_and_bob
    etf, flat, bonds = sources["World ETF"], sources["Flat rent"], sources["Secret bonds"]
    base = live_server.url

    # alice makes the household, invites bob and shares two of her three sources
    alice_context = _context(browser)
    alice_page = alice_context.new_page()
    alice_errors = _errors_of(alice_page)
    log_in(alice_page, base, "alice")
    alice_page.goto(f"{base}/settings/")
    alice_page.click("[data-testid=household-page]")
    alice_page.fill("#id_name", "Sonnenweg 5")
    alice_page.click("[data-testid=household-create] button[type=submit]")
    alice_page.wait_for_selector("[data-testid=household-name]")
    assert alice_page.inner_text("[data-testid=household-name]") == "Sonnenweg 5"

    alice_page.fill("#id_email", "bob@example.com")
    alice_page.click("[data-testid=household-invite] button[type=submit]")
    alice_page.wait_for_selector("[data-testid=household-invitation]")
    (invitation,) = [m for m in mail.outbox if m.to == ["bob@example.com"]]
    links = JOIN_LINK.findall(str(invitation.body))
    assert len(links) == 1, invitation.body
    link = links[0]
    assert link.startswith(f"{base}/household/join/")

    alice_page.select_option(f"#id_share-source-{etf.pk}", "view")
    alice_page.select_option(f"#id_share-source-{flat.pk}", "edit")
    assert alice_page.input_value(f"#id_share-source-{bonds.pk}") == ""
    alice_page.click("[data-testid=household-shares] button[type=submit]")
    alice_page.wait_for_selector(".message-success")
    assert alice_page.input_value(f"#id_share-source-{flat.pk}") == "edit"

    # bob opens the link, signs in and joins
    bob_context = _context(browser)
    bob_page = bob_context.new_page()
    bob_errors = _errors_of(bob_page)
    bob_page.goto(link)
    bob_page.wait_for_url(re.compile(r"/accounts/login/"))
    bob_page.fill("#id_username", "bob")
    bob_page.fill("#id_password", PASSWORD)
    bob_page.click("main button[type=submit]")
    bob_page.wait_for_url(link)
    assert "alice invites you to the household “Sonnenweg 5”" in bob_page.inner_text(
        "[data-testid=invitation-from]"
    )
    bob_page.click("[data-testid=household-join]")
    bob_page.wait_for_url(f"{base}/household/")
    assert bob_page.locator("[data-testid=household-member]").count() == 2

    # exactly the two shared sources, on his household page and the household dashboard
    assert _names(bob_page, "[data-testid=shared-with-me]") == ["Flat rent", "World ETF"]
    assert "Secret bonds" not in bob_page.inner_text("main")
    screenshot(bob_page, "household-member-1280-en")
    bob_page.click("[data-testid=household-dashboard-link]")
    bob_page.wait_for_url(f"{base}/household/dashboard/")
    assert _names(bob_page, "[data-testid=household-sources]") == ["Flat rent", "World ETF"]
    assert "Secret bonds" not in bob_page.inner_text("main")
    totals = bob_page.inner_text("[data-testid=household-total]")
    assert "970.00" in totals, totals  # 120 + 850, each net of nothing withheld
    screenshot(bob_page, "household-dashboard-1280-en")
    response = bob_page.goto(f"{base}/household/sources/{bonds.pk}/")
    assert response is not None
    assert response.status == 404
    response = bob_page.goto(f"{base}/sources/{flat.pk}/")  # alice's own page stays hers
    assert response is not None
    assert response.status == 404
    bob_errors.clear()  # the browser reports the two 404s it was sent to find

    # on the one he may edit, bob records a payment: it is alice's
    bob_page.goto(f"{base}/household/dashboard/")
    bob_page.click("[data-testid=household-sources] a:text('Flat rent')")
    bob_page.wait_for_url(f"{base}/household/sources/{flat.pk}/")
    bob_page.fill("#id_date", timezone.localdate().isoformat())
    bob_page.fill("#id_gross", "875.00")
    bob_page.fill("#id_note", "Rent, recorded by bob")
    bob_page.click("[data-testid=shared-payment-add] button[type=submit]")
    bob_page.wait_for_selector(".message-success")
    assert "Rent, recorded by bob" in bob_page.inner_text("[data-testid=shared-payments]")
    screenshot(bob_page, "household-source-1280-en")
    payment = Payment.objects.get(note="Rent, recorded by bob")
    assert payment.source_id == flat.pk
    assert payment.source.owner.username == "alice"
    # the view-only source offers no form
    bob_page.goto(f"{base}/household/sources/{etf.pk}/")
    assert bob_page.locator("[data-testid=shared-payment-add]").count() == 0

    alice_page.goto(f"{base}/sources/{flat.pk}/")
    assert "Rent, recorded by bob" in alice_page.inner_text("[data-testid=payment-table]")

    # the owner's household page, in English and German, on a desk and a phone
    alice_page.goto(f"{base}/household/")
    assert alice_page.locator("[data-testid=household-member]").count() == 2
    screenshot(alice_page, "household-owner-1280-en")
    alice_page.click("form.language-switch button[value=de]")
    alice_page.wait_for_function("() => document.documentElement.lang === 'de'")
    screenshot(alice_page, "household-owner-1280-de")
    phone = _context(browser, 375)
    phone_page = phone.new_page()
    phone_errors = _errors_of(phone_page)
    log_in(phone_page, base, "alice")
    for language in ("en", "de"):
        if phone_page.get_attribute("html", "lang") != language:
            phone_page.click(f"form.language-switch button[value={language}]")
            phone_page.wait_for_function(f"() => document.documentElement.lang === '{language}'")
        phone_page.goto(f"{base}/household/")
        screenshot(phone_page, f"household-owner-375-{language}")
        phone_page.goto(f"{base}/household/dashboard/")
        screenshot(phone_page, f"household-dashboard-375-{language}")
    assert not alice_errors + bob_errors + phone_errors
    for context in (alice_context, bob_context, phone):
        context.close()


def test_the_household_pages_have_no_serious_accessibility_violations(
    browser: Any, live_server: Any, alice_and_bob: tuple[User, User, dict[str, IncomeSource]]
) -> None:
    from households import services

    alice, bob, sources = alice_and_bob
    household = services.household_create(owner=alice, name="Sonnenweg 5")
    sent = services.invitation_send(household=household, by=alice, email=bob.email)
    services.invitation_accept(token=sent.url.rstrip("/").rsplit("/", 1)[1], user=bob)
    services.source_share(source=sources["Flat rent"], by=alice, role="edit")
    services.invitation_send(household=household, by=alice, email="carol@example.com")
    plan = ScenarioFactory.create(
        owner=alice, name="Early retirement", target_monthly_income=Decimal("1500"),
        sources=[sources["Flat rent"], sources["Secret bonds"]],
    )  # fmt: skip
    scenario_run(scenario=plan, today=timezone.localdate())
    services.scenario_share(scenario=plan, by=alice, role="edit")
    # axe is injected as a script of its own, which the content security policy refuses
    context = _context(browser, bypass_csp=True)
    page = context.new_page()
    found: list[str] = []
    for who, paths in (
        ("alice", ["/household/", "/household/dashboard/"]),
        (
            "bob",
            [
                "/household/",
                f"/household/sources/{sources['Flat rent'].pk}/",
                f"/household/scenarios/{plan.pk}/",
            ],
        ),
    ):
        log_in(page, live_server.url, who)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            found += describe(f"{who} {path}", axe_violations(page))
        if who == "alice":
            page.context.clear_cookies()
    screenshot(page, "household-scenario-1280-en")  # bob's view of the shared scenario
    page.goto(f"{live_server.url}/household/")
    screenshot(page, "household-member-with-scenario-1280-en")
    context.close()
    assert not found, "axe found:\n" + "\n".join(found)
