"""The settings page takes the profile's tax settings (issue 22, item 1): filing status,
church tax and an estimated marginal rate, entered in percent."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client

from income import services
from income.models import Profile


def _settings_form(profile: Profile, **changes: str) -> dict[str, object]:
    return {
        "base_currency": profile.base_currency,
        "language": profile.language,
        "monthly_expenses": str(profile.monthly_expenses),
        "hourly_value": str(profile.hourly_value),
        "default_tax_profile": profile.default_tax_profile_id or "",
        **changes,
    }


def test_the_settings_form_saves_the_tax_settings(client: Client, alice: User) -> None:
    client.force_login(alice)
    form = _settings_form(
        alice.profile, filing_status="joint", church_tax_rate="0.09", marginal_tax_rate="42"
    )
    assert client.post("/settings/", form).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.filing_status == "joint"
    assert alice.profile.church_tax_rate == Decimal("0.09")
    assert alice.profile.marginal_tax_rate == Decimal("0.42")


def test_the_settings_page_offers_the_choices_and_shows_the_rate_in_percent(
    client: Client, alice: User
) -> None:
    services.profile_update(
        user=alice,
        filing_status="joint",
        church_tax_rate=Decimal("0.08"),
        marginal_tax_rate=Decimal("0.355"),
    )
    client.force_login(alice)
    html = client.get("/settings/").content.decode()
    assert '<option value="single">' in html
    assert '<option value="joint" selected>' in html
    assert '<option value="0.00">' in html
    assert '<option value="0.08" selected>' in html
    assert '<option value="0.09">' in html
    assert 'name="marginal_tax_rate" value="35.5"' in html
    assert "Bavaria, Baden-Württemberg" in html


def test_the_decimal_comma_is_taken_in_german(client: Client, alice: User) -> None:
    services.profile_update(user=alice, language="de")
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    form = _settings_form(alice.profile, language="de", marginal_tax_rate="41,5")
    assert client.post("/settings/", form).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.marginal_tax_rate == Decimal("0.415")


def test_a_post_without_the_tax_settings_keeps_them(client: Client, alice: User) -> None:
    services.profile_update(
        user=alice,
        filing_status="joint",
        church_tax_rate=Decimal("0.09"),
        marginal_tax_rate=Decimal("0.42"),
    )
    client.force_login(alice)
    assert client.post("/settings/", _settings_form(alice.profile)).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.filing_status == "joint"
    assert alice.profile.church_tax_rate == Decimal("0.09")
    assert alice.profile.marginal_tax_rate == Decimal("0.42")


def test_an_empty_marginal_rate_means_not_set(client: Client, alice: User) -> None:
    services.profile_update(user=alice, marginal_tax_rate=Decimal("0.42"))
    client.force_login(alice)
    form = _settings_form(alice.profile, marginal_tax_rate="")
    assert client.post("/settings/", form).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.marginal_tax_rate is None


def test_a_rate_above_50_percent_or_an_unknown_church_tax_is_refused(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    for field, value in (
        ("marginal_tax_rate", "60"),
        ("marginal_tax_rate", "-1"),
        ("church_tax_rate", "0.05"),
        ("filing_status", "married"),
    ):
        response = client.post("/settings/", _settings_form(alice.profile, **{field: value}))
        assert response.status_code == 200, (field, value)
        assert field in response.context["form"].errors, (field, value)
    alice.profile.refresh_from_db()
    assert (alice.profile.filing_status, alice.profile.church_tax_rate) == ("single", Decimal(0))
    assert alice.profile.marginal_tax_rate is None
