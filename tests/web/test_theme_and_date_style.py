"""Dark mode and date style (issue 18, items 4 and 5): the settings, the pages, exports.

English dates are day first with the month in letters (5 Dec 2026), never the American
12/05/2026; a person may choose day-month-year digits or ISO instead.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from income import services
from income.models import Profile
from tests.factories import PaymentFactory, SourceFactory

DAY = date(2026, 12, 5)  # 5 December: in US order it would read 12 May


def _settings_form(profile: Profile, **changes: str) -> dict[str, object]:
    return {
        "base_currency": profile.base_currency,
        "language": profile.language,
        "monthly_expenses": str(profile.monthly_expenses),
        "hourly_value": str(profile.hourly_value),
        "default_tax_profile": profile.default_tax_profile_id or "",
        **changes,
    }


def _payments_page(client: Client, alice: User, *, language: str = "en") -> str:
    PaymentFactory.create(
        source=SourceFactory.create(owner=alice, name="Flat"), date=DAY, gross=Decimal("750")
    )
    client.force_login(alice)
    client.cookies["ertrag_language"] = language
    response = client.get("/payments/")
    assert response.status_code == 200
    return response.content.decode()


# ----------------------------------------------------------------------------- settings


def test_the_settings_form_saves_theme_and_date_style(client: Client, alice: User) -> None:
    client.force_login(alice)
    form = _settings_form(alice.profile, theme="dark", date_style="iso")
    assert client.post("/settings/", form).status_code == 302
    alice.profile.refresh_from_db()
    assert (alice.profile.theme, alice.profile.date_style) == ("dark", "iso")


def test_the_settings_page_offers_the_three_themes_and_date_styles(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    html = client.get("/settings/").content.decode()
    for value in ("system", "light", "dark"):
        assert f'<option value="{value}"' in html
    for value in ("dmy", "iso"):
        assert f'<option value="{value}"' in html
    assert "2026-12-05" in html  # the ISO choice shows what it looks like


def test_a_post_without_theme_or_date_style_keeps_them(client: Client, alice: User) -> None:
    services.profile_update(user=alice, theme="dark", date_style="dmy")
    client.force_login(alice)
    assert client.post("/settings/", _settings_form(alice.profile)).status_code == 302
    alice.profile.refresh_from_db()
    assert (alice.profile.theme, alice.profile.date_style) == ("dark", "dmy")


def test_an_unknown_theme_is_refused_and_changes_nothing(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post("/settings/", _settings_form(alice.profile, theme="sepia"))
    assert response.status_code == 200
    assert "theme" in response.context["form"].errors
    alice.profile.refresh_from_db()
    assert alice.profile.theme == "system"


# ----------------------------------------------------------------------------- theme


def test_without_a_choice_the_device_decides(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get("/dashboard/").content.decode()
    assert "data-theme=" not in html
    assert '<meta name="color-scheme" content="light dark">' in html


def test_an_anonymous_visitor_follows_the_device(client: Client, db: None) -> None:
    html = client.get("/calculator/").content.decode()
    assert "data-theme=" not in html
    assert '<meta name="color-scheme" content="light dark">' in html


def test_a_chosen_theme_is_on_every_page(client: Client, alice: User) -> None:
    services.profile_update(user=alice, theme="dark")
    client.force_login(alice)
    for url in ("/dashboard/", "/payments/", "/settings/", "/help/"):
        html = client.get(url).content.decode()
        assert '<html lang="en" data-theme="dark">' in html, url
        assert '<meta name="color-scheme" content="dark">' in html, url
    services.profile_update(user=alice, theme="light")
    assert 'data-theme="light"' in client.get("/dashboard/").content.decode()


def test_the_preferences_cost_no_query_and_follow_every_save(client: Client, alice: User) -> None:
    """They are kept in the cache, written by every save of the profile (settings, API,
    admin); a page reads them from there, however many dates it shows."""
    PaymentFactory.create(source=SourceFactory.create(owner=alice), date=DAY)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/payments/").content.decode()
    assert not [q for q in queries if '"date_style"' in q["sql"]]
    assert "5 Dec 2026" in html
    alice.profile.date_style = "iso"
    alice.profile.theme = "dark"
    alice.profile.save()  # as the admin saves it
    html = client.get("/payments/").content.decode()
    assert "2026-12-05" in html
    assert 'data-theme="dark"' in html


def test_a_lost_cache_entry_is_read_once_from_the_profile(client: Client, alice: User) -> None:
    services.profile_update(user=alice, theme="dark")
    cache.clear()
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        assert 'data-theme="dark"' in client.get("/payments/").content.decode()
    assert len([q for q in queries if '"date_style"' in q["sql"]]) == 1
    with CaptureQueriesContext(connection) as queries:
        assert 'data-theme="dark"' in client.get("/payments/").content.decode()
    assert not [q for q in queries if '"date_style"' in q["sql"]]


# ----------------------------------------------------------------------------- dates


def test_an_english_page_writes_the_day_first_with_the_month_in_letters(
    client: Client, alice: User
) -> None:
    html = _payments_page(client, alice)
    assert "5 Dec 2026" in html
    assert "12/05/2026" not in html  # Django's English: 5 December or 12 May?


def test_the_iso_style_writes_2026_12_05(client: Client, alice: User) -> None:
    services.profile_update(user=alice, date_style="iso")
    html = _payments_page(client, alice)
    assert "2026-12-05" in html
    assert "5 Dec 2026" not in html


def test_the_day_month_year_style_in_english_writes_05_12_2026(client: Client, alice: User) -> None:
    services.profile_update(user=alice, date_style="dmy")
    assert "05/12/2026" in _payments_page(client, alice)


def test_german_pages_keep_their_dates_by_default(client: Client, alice: User) -> None:
    html = _payments_page(client, alice, language="de")
    assert "05.12.2026" in html
    assert "5 Dec 2026" not in html


def test_the_iso_style_applies_in_german_too(client: Client, alice: User) -> None:
    services.profile_update(user=alice, date_style="iso")
    assert "2026-12-05" in _payments_page(client, alice, language="de")


# ----------------------------------------------------------------------------- exports


def _exported(client: Client, alice: User, *, language: str) -> str:
    PaymentFactory.create(
        source=SourceFactory.create(owner=alice, name="ETF"),
        date=date(2025, 1, 31),
        gross=Decimal("10.50"),
    )
    client.force_login(alice)
    client.cookies["ertrag_language"] = language
    return client.get("/exports/payments.csv").content.decode("utf-8-sig")


def test_the_export_writes_days_in_the_iso_style(client: Client, alice: User) -> None:
    services.profile_update(user=alice, date_style="iso")
    assert "2025-01-31;ETF;10,50;" in _exported(client, alice, language="de")


def test_the_export_writes_days_in_the_day_month_year_style(client: Client, alice: User) -> None:
    services.profile_update(user=alice, date_style="dmy")
    assert "31/01/2025,ETF,10.50," in _exported(client, alice, language="en")
