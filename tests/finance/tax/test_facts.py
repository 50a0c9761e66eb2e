"""The tax facts of 2023–2026 as the seed migration will copy them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finance.tax.facts import KNOWN_FACTS, FilingStatus, FundType

D = Decimal


def test_known_facts_cover_2023_to_2026_each_under_its_own_year() -> None:
    assert sorted(KNOWN_FACTS) == [2023, 2024, 2025, 2026]
    assert all(facts.year == year for year, facts in KNOWN_FACTS.items())


@pytest.mark.parametrize(
    ("year", "basiszins"),
    [(2023, D("0.0255")), (2024, D("0.0229")), (2025, D("0.0253")), (2026, D("0.0320"))],
)
def test_the_basiszins_is_the_one_the_bmf_published_for_the_year(
    year: int, basiszins: Decimal
) -> None:
    assert KNOWN_FACTS[year].basiszins == basiszins


def test_the_allowance_is_1000_single_and_2000_joint() -> None:
    facts = KNOWN_FACTS[2025]
    assert facts.saver_allowance(FilingStatus.SINGLE) == D(1000)
    assert facts.saver_allowance(FilingStatus.JOINT) == D(2000)


def test_the_flat_rates_are_25_percent_tax_and_5_5_percent_solidarity() -> None:
    facts = KNOWN_FACTS[2025]
    assert facts.capital_gains_tax_rate == D("0.25")
    assert facts.solidarity_rate == D("0.055")
    assert facts.church_tax_rates == {D("0.08"), D("0.09")}


def test_the_partial_exemption_depends_on_the_fund_type() -> None:
    facts = KNOWN_FACTS[2025]
    assert facts.exemption(FundType.EQUITY) == D("0.30")
    assert facts.exemption(FundType.MIXED) == D("0.15")
    assert facts.exemption(FundType.REAL_ESTATE) == D("0.60")
    assert facts.exemption(FundType.FOREIGN_REAL_ESTATE) == D("0.80")
    assert facts.exemption(FundType.OTHER) == D(0)


def test_the_treaty_rate_is_looked_up_by_country_code_and_none_without_treaty() -> None:
    facts = KNOWN_FACTS[2025]
    assert facts.treaty_rate("US") == D("0.15")
    assert facts.treaty_rate("ch") == D("0.15")
    assert facts.treaty_rate("XX") is None


def test_the_kleinunternehmer_limits_changed_in_2025() -> None:
    assert KNOWN_FACTS[2024].kleinunternehmer_previous_year_limit == D(22_000)
    assert KNOWN_FACTS[2024].kleinunternehmer_current_year_limit == D(50_000)
    assert not KNOWN_FACTS[2024].kleinunternehmer_current_limit_ends_status
    assert KNOWN_FACTS[2025].kleinunternehmer_previous_year_limit == D(25_000)
    assert KNOWN_FACTS[2025].kleinunternehmer_current_year_limit == D(100_000)
    assert KNOWN_FACTS[2025].kleinunternehmer_current_limit_ends_status


def test_the_facts_cannot_be_changed_in_place() -> None:
    facts = KNOWN_FACTS[2025]
    with pytest.raises(TypeError):
        facts.partial_exemption[FundType.EQUITY] = D(0)  # type: ignore[index]
    with pytest.raises(TypeError):
        KNOWN_FACTS[2027] = facts  # type: ignore[index]


def test_the_facts_of_a_year_can_key_a_cache() -> None:
    assert {KNOWN_FACTS[2025]: "2025"}[KNOWN_FACTS[2025]] == "2025"
