"""The tax facts of a year: what the German rules fix by year, in one frozen record.

PRODUCT.md §9 makes these admin content ("Tax facts per year are admin content": the
model ``income.models.TaxYear``); ``KNOWN_FACTS`` holds the years 2023–2026 its seed
migration copied, and the tests of the engine read.
Every engine function takes the ``TaxYearFacts`` of its year and reads nothing else, so
the database, a test or a projection can hand in any year's facts.

Sources of ``KNOWN_FACTS``:

- saver's allowance (Sparer-Pauschbetrag) 1,000 € single, 2,000 € joint: §20 (9) EStG as
  amended by the Jahressteuergesetz 2022, from 2023;
- capital-gains tax 25 % (§32d (1) EStG, §43a (1) no. 1 EStG); solidarity surcharge
  5.5 % of it (§4 SolZG); church tax 8 % (Bavaria, Baden-Württemberg) or 9 % (the other
  Länder), by the Länder's church-tax laws;
- Basiszins for the Vorabpauschale (§18 (4) InvStG, published by the BMF each January):
  2023 2.55 % (BMF letter of 31 January 2023), 2024 2.29 % (5 January 2024), 2025 2.53 %
  (10 January 2025), 2026 3.20 % (the Bundesbank's value of 2 January 2026, published
  by the BMF in January 2026; checked against the BVI's notice of 14 January 2026);
- partial exemption (Teilfreistellung) for private investors: §20 (1)–(3) InvStG, equity
  fund 30 %, mixed fund 15 %, real-estate fund 60 %, foreign real-estate fund 80 %;
- treaty withholding rates: the portfolio-dividend rate of Germany's double-taxation
  treaties (Art. 10 of each), 15 % for the countries listed; interest is usually free of
  withholding under the treaties and is not listed separately here;
- Kleinunternehmer (§19 UStG): from 2025 (Jahressteuergesetz 2024) a net turnover of at
  most 25,000 € in the previous year and at most 100,000 € in the current year, the
  status ending with the sale that crosses 100,000 €; in 2023 and 2024 the limits were
  22,000 € (previous year, turnover including VAT) and 50,000 € (current year, a
  forecast made at the start of the year rather than a limit that ends the status when
  crossed): ``kleinunternehmer_current_limit_ends_status`` tells the two rules apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class FundType(StrEnum):
    """The fund types of §20 InvStG, each with its own partial exemption."""

    EQUITY = "equity"
    MIXED = "mixed"
    REAL_ESTATE = "real_estate"
    FOREIGN_REAL_ESTATE = "foreign_real_estate"
    OTHER = "other"


class FilingStatus(StrEnum):
    """Single or jointly assessed (Zusammenveranlagung): the latter doubles the allowance."""

    SINGLE = "single"
    JOINT = "joint"


@dataclass(frozen=True)
class TaxYearFacts:
    """What the German rules fix for one calendar year (rates as fractions: 0.25 = 25 %)."""

    year: int
    saver_allowance_single: Decimal
    saver_allowance_joint: Decimal
    basiszins: Decimal
    capital_gains_tax_rate: Decimal
    solidarity_rate: Decimal
    church_tax_rates: frozenset[Decimal]
    # Left out of the hash (not of equality): a mapping has none, and facts may key a cache.
    partial_exemption: Mapping[FundType, Decimal] = field(hash=False)
    treaty_rates: Mapping[str, Decimal] = field(hash=False)
    kleinunternehmer_previous_year_limit: Decimal
    kleinunternehmer_current_year_limit: Decimal
    kleinunternehmer_current_limit_ends_status: bool

    def saver_allowance(self, filing_status: FilingStatus) -> Decimal:
        """The saver's allowance of ``filing_status`` (§20 (9) EStG)."""
        if filing_status is FilingStatus.JOINT:
            return self.saver_allowance_joint
        return self.saver_allowance_single

    def joint_allowance_share(self, *, partner_income: Decimal) -> Decimal:
        """One spouse's part of a jointly assessed couple's allowance, when each keeps
        their own books: half of the joint allowance, and what the partner's half does
        not use because their capital income is lower (§20 (9) sentence 3 EStG: "sind
        die Kapitalerträge eines Ehegatten niedriger als 1 000 Euro, so ist der
        anteilige Sparer-Pauschbetrag insoweit … bei dem anderen Ehegatten abzuziehen").

        ``partner_income`` is the partner's capital income of the year after partial
        exemptions, before the allowance; a loss uses nothing. With 1,500 € of one's
        own and 300 € of the partner's, one's share is 1,000 + 700 = 1,700 € and the
        partner's 1,000 €: together they use 1,800 €, all of both incomes.
        """
        half = self.saver_allowance_joint / 2
        return half + max(half - max(partner_income, Decimal(0)), Decimal(0))

    def exemption(self, fund_type: FundType) -> Decimal:
        """The partial exemption of ``fund_type`` (§20 InvStG); a type not listed has none."""
        return self.partial_exemption.get(fund_type, Decimal(0))

    def treaty_rate(self, country: str) -> Decimal | None:
        """The treaty withholding rate of ``country`` (ISO 3166 alpha-2); None without one."""
        return self.treaty_rates.get(country.upper())


_PARTIAL_EXEMPTION: Mapping[FundType, Decimal] = MappingProxyType(
    {
        FundType.EQUITY: Decimal("0.30"),
        FundType.MIXED: Decimal("0.15"),
        FundType.REAL_ESTATE: Decimal("0.60"),
        FundType.FOREIGN_REAL_ESTATE: Decimal("0.80"),
        FundType.OTHER: Decimal(0),
    }
)

# Portfolio dividends under Germany's treaties (Art. 10); what a country withholds above
# this is reclaimable there, not creditable here.
_TREATY_RATES: Mapping[str, Decimal] = MappingProxyType(
    {
        country: Decimal("0.15")
        for country in (
            "AT",
            "CA",
            "CH",
            "DK",
            "ES",
            "FI",
            "FR",
            "GB",
            "IE",
            "IT",
            "JP",
            "NL",
            "NO",
            "SE",
            "US",
        )
    }
)

_BASISZINS = {
    2023: Decimal("0.0255"),
    2024: Decimal("0.0229"),
    2025: Decimal("0.0253"),
    2026: Decimal("0.0320"),
}


def _facts(year: int) -> TaxYearFacts:
    from_2025 = year >= 2025
    return TaxYearFacts(
        year=year,
        saver_allowance_single=Decimal(1000),
        saver_allowance_joint=Decimal(2000),
        basiszins=_BASISZINS[year],
        capital_gains_tax_rate=Decimal("0.25"),
        solidarity_rate=Decimal("0.055"),
        church_tax_rates=frozenset({Decimal("0.08"), Decimal("0.09")}),
        partial_exemption=_PARTIAL_EXEMPTION,
        treaty_rates=_TREATY_RATES,
        kleinunternehmer_previous_year_limit=Decimal(25_000 if from_2025 else 22_000),
        kleinunternehmer_current_year_limit=Decimal(100_000 if from_2025 else 50_000),
        kleinunternehmer_current_limit_ends_status=from_2025,
    )


KNOWN_FACTS: Mapping[int, TaxYearFacts] = MappingProxyType(
    {year: _facts(year) for year in sorted(_BASISZINS)}
)
