"""Tax facts as admin content, by year (issue 22, item 1): the rows, their ranges, the
seed of 2023–2026 and the engine's ``TaxYearFacts`` read from them."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict

from finance.errors import DomainError
from finance.tax import facts as tax
from finance.tax.facts import KNOWN_FACTS, FundType, TaxYearFacts
from income.models import CHURCH_TAX_CHOICES, FilingStatus, Profile, TaxYear, TreatyRate
from income.tax_facts import tax_year_facts

pytestmark = pytest.mark.django_db

SEED = importlib.import_module("income.migrations.0018_seed_tax_years")


def _values(**changes: Any) -> dict[str, Any]:
    """The facts of 2026 as a new row's fields, for another year, with ``changes``."""
    values = model_to_dict(TaxYear.objects.get(year=2026), exclude=["id"])
    return {**values, "year": 2030, **changes}


# ----------------------------------------------------------------------------- the seed


def test_the_seed_holds_the_years_of_known_facts() -> None:
    assert list(TaxYear.objects.values_list("year", flat=True)) == [2026, 2025, 2024, 2023]
    assert set(KNOWN_FACTS) == {2023, 2024, 2025, 2026}


@pytest.mark.parametrize("year", sorted(KNOWN_FACTS))
def test_the_seed_equals_known_facts_in_every_field(year: int) -> None:
    facts = tax_year_facts(year=year)
    known = KNOWN_FACTS[year]
    for field in dataclasses.fields(TaxYearFacts):
        assert getattr(facts, field.name) == getattr(known, field.name), (year, field.name)
    assert facts == known


def test_the_seed_writes_its_values_itself() -> None:
    """A migration must not change when the code does: nothing imported from the app."""
    source = inspect.getsource(SEED)
    assert "import finance" not in source
    assert "from finance" not in source
    assert "from income" not in source


def test_the_seed_runs_again_and_backwards() -> None:
    TaxYear.objects.filter(year=2026).update(basiszins=Decimal("0.01"))
    SEED.forwards(apps, None)
    assert TaxYear.objects.count() == 4
    assert TreatyRate.objects.count() == 4 * 15
    assert TaxYear.objects.get(year=2026).basiszins == Decimal("0.032000")
    TaxYear.objects.create(**_values(year=2027))
    SEED.backwards(apps, None)
    assert list(TaxYear.objects.values_list("year", flat=True)) == [2027]
    assert TreatyRate.objects.count() == 0
    SEED.forwards(apps, None)
    assert tax_year_facts(year=2024) == KNOWN_FACTS[2024]


# ----------------------------------------------------------------------------- the selector


def test_the_facts_feed_the_engine() -> None:
    facts = tax_year_facts(year=2025)
    assert facts.saver_allowance(tax.FilingStatus.JOINT) == Decimal("2000.00")
    assert facts.exemption(FundType.EQUITY) == Decimal("0.30")
    assert facts.exemption(FundType.OTHER) == 0
    assert facts.treaty_rate("us") == Decimal("0.15")
    assert facts.treaty_rate("BR") is None
    assert facts.church_tax_rates == frozenset({Decimal("0.08"), Decimal("0.09")})
    with pytest.raises(TypeError):
        facts.treaty_rates["US"] = Decimal(0)  # type: ignore[index]


def test_an_admins_edit_reaches_the_engine() -> None:
    year = TaxYear.objects.get(year=2026)
    year.basiszins = Decimal("0.0318")
    year.save()
    year.treaty_rates.filter(country="CH").delete()
    TreatyRate.objects.create(tax_year=year, country="BR", rate=Decimal("0.10"))
    facts = tax_year_facts(year=2026)
    assert facts.basiszins == Decimal("0.0318")
    assert facts.treaty_rate("CH") is None
    assert facts.treaty_rate("BR") == Decimal("0.10")
    assert tax_year_facts(year=2025).treaty_rate("CH") == Decimal("0.15")


def test_a_year_without_facts_is_a_domain_error_that_says_what_to_do() -> None:
    with pytest.raises(DomainError) as raised:
        tax_year_facts(year=2027)
    assert raised.value.field_errors == {
        "year": ["No tax facts for 2027 yet: an administrator adds them in the admin."]
    }


def test_the_facts_take_two_queries(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):
        tax_year_facts(year=2024)


# ----------------------------------------------------------------------------- ranges


def test_a_valid_year_passes_validation() -> None:
    TaxYear(**_values()).full_clean()
    TaxYear(**_values(basiszins=Decimal("-0.0045"))).full_clean()  # 2021's


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("year", 2017),
        ("year", 2101),
        ("saver_allowance_single", Decimal("-1.00")),
        ("kleinunternehmer_current_year_limit", Decimal("-0.01")),
        ("basiszins", Decimal("1.5")),
        ("basiszins", Decimal("-1.5")),
        ("capital_gains_tax_rate", Decimal("1.01")),
        ("solidarity_rate", Decimal("-0.01")),
        ("church_tax_rate", Decimal("1.2")),
        ("partial_exemption_foreign_real_estate", Decimal("1.000001")),
    ],
)
def test_a_value_out_of_range_is_refused_by_validation_and_by_the_database(
    field: str, value: Any
) -> None:
    with pytest.raises(ValidationError) as raised:
        TaxYear(**_values(**{field: value})).full_clean()
    assert field in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        TaxYear.objects.create(**_values(**{field: value}))


def test_a_year_has_facts_once() -> None:
    with pytest.raises(ValidationError) as raised:
        TaxYear(**_values(year=2026)).full_clean()
    assert "year" in raised.value.message_dict


def test_a_treaty_rate_is_one_per_country_and_year_in_range() -> None:
    year = TaxYear.objects.get(year=2026)
    with pytest.raises(ValidationError):
        TreatyRate(tax_year=year, country="US", rate=Decimal("0.10")).full_clean()
    for country, rate in (("us", "0.15"), ("U1", "0.15"), ("BR", "1.5")):
        with pytest.raises(ValidationError):
            TreatyRate(tax_year=year, country=country, rate=Decimal(rate)).full_clean()
        with pytest.raises(IntegrityError), transaction.atomic():
            TreatyRate.objects.create(tax_year=year, country=country, rate=Decimal(rate))
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatyRate.objects.create(tax_year=year, country="US", rate=Decimal("0.10"))
    TreatyRate(tax_year=year, country="BR", rate=Decimal("0.15")).full_clean()


def test_the_rows_read_as_their_year_and_country() -> None:
    year = TaxYear.objects.get(year=2026)
    assert str(year) == "2026"
    assert str(year.treaty_rates.get(country="US")) == "US 0.150000"


# ----------------------------------------------------------------------------- the profile


def test_the_profiles_filing_status_is_the_engines() -> None:
    assert set(FilingStatus.values) == {status.value for status in tax.FilingStatus}


def test_a_new_profile_is_single_without_church_tax_or_marginal_rate(alice: Any) -> None:
    profile = Profile.objects.get(user=alice)
    assert profile.filing_status == FilingStatus.SINGLE
    assert profile.church_tax_rate == Decimal(0)
    assert profile.marginal_tax_rate is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("filing_status", "married"),
        ("church_tax_rate", Decimal("0.05")),
        ("marginal_tax_rate", Decimal("0.51")),
        ("marginal_tax_rate", Decimal("-0.01")),
    ],
)
def test_the_profiles_tax_settings_are_constrained(alice: Any, field: str, value: Any) -> None:
    profile = Profile.objects.get(user=alice)
    setattr(profile, field, value)
    with pytest.raises(ValidationError) as raised:
        profile.full_clean()
    assert field in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Profile.objects.filter(pk=profile.pk).update(**{field: value})


@pytest.mark.parametrize("year", sorted(KNOWN_FACTS))
def test_the_profiles_church_tax_rates_are_the_ones_the_engine_takes(year: int) -> None:
    """``finance.tax.capital`` takes 0 or one of the year's rates: the profile offers those."""
    offered = {rate for rate, _label in CHURCH_TAX_CHOICES}
    assert offered == tax_year_facts(year=year).church_tax_rates | {Decimal(0)}
