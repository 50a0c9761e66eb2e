"""Income sources: what earns, how it is modelled and what it costs."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES
from income.models.fields import CURRENCY_CHOICES, ZERO, money_field, rate_field
from income.models.reference import IncomeCategory, TaxProfile


class SourceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class PayoutRhythm(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")


class FundType(models.TextChoices):
    """The fund types of §20 InvStG, each with its own partial exemption (``TaxYear``);
    blank on a source that is not a fund. The values are ``finance.tax.facts.FundType``'s."""

    EQUITY = "equity", _("Equity fund")
    MIXED = "mixed", _("Mixed fund")
    REAL_ESTATE = "real_estate", _("Real-estate fund")
    FOREIGN_REAL_ESTATE = "foreign_real_estate", _("Foreign real-estate fund")
    OTHER = "other", _("Other fund")


class IncomeSource(models.Model):
    """Something that pays its owner: an ETF, a flat, an e-book, a membership, a salary."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="income_sources",
    )
    name = models.CharField(_("name"), max_length=120)
    category = models.ForeignKey(
        IncomeCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="sources"
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default=BASE_CURRENCY_DEFAULT
    )
    status = models.CharField(
        _("status"), max_length=8, choices=SourceStatus.choices, default=SourceStatus.ACTIVE
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    tax_profile = models.ForeignKey(
        TaxProfile,
        verbose_name=_("tax profile"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
    )
    tax_rate = rate_field(
        _("own tax rate"),
        null=True,
        blank=True,
        help_text=_("Overrides the tax profile's rate, e.g. 0.15 for 15 %."),
    )
    # capital
    invested_capital = money_field(_("invested capital"))
    expected_yield = rate_field(
        _("expected annual yield"), default=ZERO, low=Decimal("-0.999999"), high=Decimal(10)
    )
    reinvest = models.BooleanField(_("reinvest payouts"), default=False)
    fund_type = models.CharField(
        _("fund type"),
        max_length=20,
        choices=FundType.choices,
        blank=True,
        help_text=_(
            "For an investment fund or ETF: it owes the Vorabpauschale, and its type "
            "decides the tax-free part of its income: an equity fund (at least 51 % "
            "shares) 30 %, a mixed fund (at least 25 %) 15 %, a real-estate fund 60 %, "
            "one investing abroad 80 %, any other fund none. Blank for shares, bonds and "
            "savings."
        ),
    )
    # rental
    purchase_price = money_field(_("purchase price"))
    monthly_rent = money_field(_("monthly rent"))
    vacancy_rate = rate_field(_("vacancy rate"), default=ZERO)
    management_fee_rate = rate_field(_("management fee rate"), default=ZERO)
    monthly_running_costs = money_field(_("monthly running costs"))
    acquired_on = models.DateField(
        _("acquired on"),
        null=True,
        blank=True,
        help_text=_("The day the property became yours; the start date when blank."),
    )
    building_share = rate_field(
        _("building share"),
        default=ZERO,
        help_text=_(
            "The part of the purchase price that is the building rather than the land, "
            "e.g. 0.75; only the building is depreciated."
        ),
    )
    completion_year = models.PositiveSmallIntegerField(
        _("year of completion"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2200)],
        help_text=_(
            "The year the building was completed: it sets the depreciation rate "
            "(2.5 % before 1925, 3 % from 2023, else 2 %)."
        ),
    )
    # subscription
    price_per_subscriber = money_field(_("price per subscriber and month"))
    current_subscribers = models.PositiveIntegerField(_("current subscribers"), default=0)
    new_subscribers_per_month = models.PositiveIntegerField(
        _("new subscribers per month"), default=0
    )
    monthly_churn_rate = rate_field(_("monthly churn rate"), default=ZERO)
    # flat
    expected_monthly_amount = money_field(_("expected monthly amount"))
    annual_growth_rate = rate_field(
        _("annual growth"), default=ZERO, low=Decimal("-0.999999"), high=Decimal(10)
    )
    # effort: "passive does not mean without work"
    upfront_investment = money_field(_("upfront money invested"))
    setup_hours = models.DecimalField(
        _("setup hours"),
        max_digits=8,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    maintenance_hours_per_month = models.DecimalField(
        _("maintenance hours per month"),
        max_digits=7,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(744))],
    )
    monthly_costs = money_field(_("monthly costs"), help_text=_("Hosting, tools, management."))
    # payouts and dependencies
    payout_rhythm = models.CharField(
        _("payout rhythm"),
        max_length=12,
        choices=PayoutRhythm.choices,
        default=PayoutRhythm.MONTHLY,
    )
    next_payout_date = models.DateField(_("next expected payout"), null=True, blank=True)
    platform = models.CharField(_("platform or payer"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code, e.g. DE.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("income source")
        verbose_name_plural = _("income sources")
        ordering = ("name", "pk")
        indexes = [models.Index(fields=("owner", "status"), name="source_owner_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="source_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(tax_rate__isnull=True) | Q(tax_rate__gte=0, tax_rate__lte=1),
                name="source_tax_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(expected_yield__gt=-1, expected_yield__lte=10),
                name="source_yield_range",
            ),
            models.CheckConstraint(
                condition=Q(annual_growth_rate__gt=-1, annual_growth_rate__lte=10),
                name="source_growth_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    vacancy_rate__gte=0,
                    vacancy_rate__lte=1,
                    management_fee_rate__gte=0,
                    management_fee_rate__lte=1,
                    monthly_churn_rate__gte=0,
                    monthly_churn_rate__lte=1,
                ),
                name="source_fractions_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    invested_capital__gte=0,
                    purchase_price__gte=0,
                    monthly_rent__gte=0,
                    monthly_running_costs__gte=0,
                    price_per_subscriber__gte=0,
                    expected_monthly_amount__gte=0,
                    upfront_investment__gte=0,
                    monthly_costs__gte=0,
                    setup_hours__gte=0,
                    maintenance_hours_per_month__gte=0,
                ),
                name="source_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(currency__in=CURRENCY_CODES), name="source_currency_known"
            ),
            models.CheckConstraint(
                condition=Q(fund_type="") | Q(fund_type__in=FundType.values),
                name="source_fund_type_known",
            ),
            models.CheckConstraint(
                condition=Q(building_share__gte=0, building_share__lte=1),
                name="source_building_share_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


RECEIPT_AMOUNTS = _(
    "Tax withheld and fees of a received payment cannot be negative or together exceed its gross."
)
FOREIGN_TAX_AMOUNTS = _(
    "The foreign tax is the part of the tax withheld that was withheld abroad: between "
    "zero and the tax withheld, with its sign."
)
REVERSAL_AMOUNTS = _(
    "The tax withheld of a reversal must be between the (negative) gross and zero, a "
    "returned fee may not exceed the amount reversed, and its net may not be positive."
)
