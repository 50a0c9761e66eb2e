"""The tax facts of a year as admin content (PRODUCT.md §9: "Tax facts per year are admin
content"): one ``TaxYear`` row per calendar year and its treaty withholding rates.

``income.tax_facts.tax_year_facts`` reads them into ``finance.tax.facts.TaxYearFacts``,
which the pure engine takes; the data migration seeds 2023–2026 from the values that
``finance.tax.facts.KNOWN_FACTS`` documents with their sources.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from income.models.fields import money_field, rate_field

#: The first year of the investment-tax rules the facts describe (InvStG 2018: partial
#: exemption by fund type and the Vorabpauschale); a year after 2100 is a typing error.
FIRST_TAX_YEAR = 2018
LAST_TAX_YEAR = 2100
#: The Basiszins may be negative (2021: −0.45 %, 2022: −0.05 %); the Vorabpauschale is
#: then zero, as ``finance.tax.funds`` computes it.
BASISZINS_LOW = Decimal(-1)
COUNTRY_CODE = r"^[A-Z]{2}$"

#: The fraction columns that must lie in 0..1.
_RATE_COLUMNS = (
    "capital_gains_tax_rate",
    "solidarity_rate",
    "church_tax_rate_reduced",
    "church_tax_rate",
    "partial_exemption_equity",
    "partial_exemption_mixed",
    "partial_exemption_real_estate",
    "partial_exemption_foreign_real_estate",
)
_AMOUNT_COLUMNS = (
    "saver_allowance_single",
    "saver_allowance_joint",
    "kleinunternehmer_previous_year_limit",
    "kleinunternehmer_current_year_limit",
)


def _in_unit_range(name: str) -> Q:
    return Q(**{f"{name}__gte": 0, f"{name}__lte": 1})


class TaxYear(models.Model):
    """What the German rules fix for one calendar year (rates as fractions: 0.25 = 25 %)."""

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(FIRST_TAX_YEAR), MaxValueValidator(LAST_TAX_YEAR)],
    )
    saver_allowance_single = money_field(
        _("saver's allowance (single)"),
        required=True,
        help_text=_("Sparer-Pauschbetrag, e.g. 1000.00."),
    )
    saver_allowance_joint = money_field(
        _("saver's allowance (joint)"),
        required=True,
        help_text=_("Sparer-Pauschbetrag of a jointly assessed couple, e.g. 2000.00."),
    )
    basiszins = rate_field(
        _("Basiszins"),
        low=BASISZINS_LOW,
        help_text=_(
            "The base rate of the Vorabpauschale, published by the Federal Ministry of "
            "Finance each January, e.g. 0.0255 for 2.55 %."
        ),
    )
    capital_gains_tax_rate = rate_field(
        _("capital gains tax rate"), help_text=_("Abgeltungsteuer, e.g. 0.25.")
    )
    solidarity_rate = rate_field(
        _("solidarity surcharge"),
        help_text=_("A share of the capital gains tax, e.g. 0.055."),
    )
    church_tax_rate_reduced = rate_field(
        _("church tax (Bavaria, Baden-Württemberg)"),
        help_text=_("A share of the capital gains tax, e.g. 0.08."),
    )
    church_tax_rate = rate_field(
        _("church tax (other states)"),
        help_text=_("A share of the capital gains tax, e.g. 0.09."),
    )
    partial_exemption_equity = rate_field(
        _("partial exemption, equity fund"), help_text=_("e.g. 0.30.")
    )
    partial_exemption_mixed = rate_field(
        _("partial exemption, mixed fund"), help_text=_("e.g. 0.15.")
    )
    partial_exemption_real_estate = rate_field(
        _("partial exemption, real-estate fund"), help_text=_("e.g. 0.60.")
    )
    partial_exemption_foreign_real_estate = rate_field(
        _("partial exemption, foreign real-estate fund"), help_text=_("e.g. 0.80.")
    )
    kleinunternehmer_previous_year_limit = money_field(
        _("small-business limit, previous year"),
        required=True,
        help_text=_("The previous year's turnover up to which §19 UStG applies, e.g. 25000.00."),
    )
    kleinunternehmer_current_year_limit = money_field(
        _("small-business limit, current year"),
        required=True,
        help_text=_("The current year's turnover limit, e.g. 100000.00."),
    )
    kleinunternehmer_current_limit_ends_status = models.BooleanField(
        _("crossing the current limit ends the status"),
        default=True,
        help_text=_(
            "From 2025 the sale that crosses the current year's limit ends the small-business "
            "status; before, the limit was a forecast made at the start of the year."
        ),
    )

    class Meta:
        verbose_name = _("tax year")
        verbose_name_plural = _("tax years")
        ordering = ("-year",)
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_TAX_YEAR, year__lte=LAST_TAX_YEAR),
                name="taxyear_year_range",
            ),
            models.CheckConstraint(
                condition=Q(basiszins__gte=BASISZINS_LOW, basiszins__lte=1),
                name="taxyear_basiszins_range",
            ),
            *(
                models.CheckConstraint(condition=_in_unit_range(name), name=f"taxyear_{name}_range")
                for name in _RATE_COLUMNS
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0}), name=f"taxyear_{name}_min"
                )
                for name in _AMOUNT_COLUMNS
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class TreatyRate(models.Model):
    """The withholding rate a double-taxation treaty allows on portfolio dividends from
    ``country`` (Art. 10): what is creditable here; the rest is reclaimable there."""

    tax_year = models.ForeignKey(
        TaxYear,
        verbose_name=_("tax year"),
        on_delete=models.CASCADE,
        related_name="treaty_rates",
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        validators=[
            RegexValidator(COUNTRY_CODE, _("Enter a two-letter country code in capitals, e.g. US."))
        ],
        help_text=_("ISO 3166 code, e.g. US."),
    )
    rate = rate_field(_("treaty rate"), help_text=_("e.g. 0.15 for 15 %."))

    class Meta:
        verbose_name = _("treaty withholding rate")
        verbose_name_plural = _("treaty withholding rates")
        ordering = ("tax_year", "country")
        constraints = [
            models.UniqueConstraint(
                fields=("tax_year", "country"), name="treatyrate_unique_country"
            ),
            models.CheckConstraint(
                condition=Q(country__regex=COUNTRY_CODE), name="treatyrate_country_code"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lte=1), name="treatyrate_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.rate}"
