"""What the German tax year needs beyond payments: costs by kind, a fund's units and prices
per year, and the allowance orders a person gave their banks (PRODUCT.md §9, issue 22)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES
from income.models.fields import CURRENCY_CHOICES, money_field
from income.models.sources import IncomeSource

#: The years a record may name: wide enough for any real holding, narrow enough that a
#: typo such as 20025 is an error rather than a year.
YEAR_LOW = 1990
YEAR_HIGH = 2100


class CostKind(models.TextChoices):
    """The kinds of cost Anlage V lists apart; a creator's costs are all "other" or any of
    them. The values are ``finance.tax.rent.CostKind``'s."""

    RUNNING = "running", _("Running costs (Nebenkosten, insurance, property tax)")
    MAINTENANCE = "maintenance", _("Maintenance and repairs")
    MANAGEMENT = "management", _("Management")
    LOAN_INTEREST = "loan_interest", _("Loan interest")
    OTHER = "other", _("Other costs")


class Cost(models.Model):
    """Money spent on a source on a day: a repair of the flat, the interest of its loan,
    the tools of an online course. Deductible against the source's income in its year.

    A refund of a cost is a negative amount, booked on its own date. In the source's
    currency unless another is given, converted at the rate of its date.
    """

    source = models.ForeignKey(
        IncomeSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="costs"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=CostKind.choices)
    amount = money_field(
        _("amount"), required=True, signed=True, help_text=_("Negative for a refund of a cost.")
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default=BASE_CURRENCY_DEFAULT
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cost")
        verbose_name_plural = _("costs")
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=("source", "date"), name="cost_source_date")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CostKind.values), name="cost_kind_known"),
            models.CheckConstraint(
                condition=Q(currency__in=CURRENCY_CODES), name="cost_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.currency}"


class FundYear(models.Model):
    """A fund holding's year, for the Vorabpauschale (§18 InvStG): the units held at the
    end of the year and the price per unit at its start and end, in the source's currency.

    ``start_price`` is the first price of the calendar year (for a fund launched during
    the year, its first price), ``end_price`` its last. ``bought_on`` is the day of
    purchase when the units were bought during this year, which reduces the
    Vorabpauschale by 1/12 for each full month before it; blank when held since an
    earlier year.
    """

    source = models.ForeignKey(
        IncomeSource,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="fund_years",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(YEAR_LOW), MaxValueValidator(YEAR_HIGH)]
    )
    # 15 digits, as every amount: the API's schema states the bound as a JSON number too,
    # and a float holds 15 digits exactly (18 would round its maximum up to 10^12).
    units = models.DecimalField(
        _("units at the end of the year"),
        max_digits=15,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(0))],
    )
    start_price = models.DecimalField(
        _("price per unit at the start of the year"),
        max_digits=15,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
    )
    end_price = models.DecimalField(
        _("price per unit at the end of the year"),
        max_digits=15,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0))],
    )
    bought_on = models.DateField(
        _("bought on"),
        null=True,
        blank=True,
        help_text=_("Only when the units were bought during this year."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("fund year")
        verbose_name_plural = _("fund years")
        ordering = ("-year",)
        constraints = [
            models.UniqueConstraint(fields=("source", "year"), name="fundyear_unique_year"),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_LOW, year__lte=YEAR_HIGH), name="fundyear_year_range"
            ),
            models.CheckConstraint(
                condition=Q(units__gte=0, start_price__gte=0, end_price__gte=0),
                name="fundyear_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(bought_on__isnull=True) | Q(bought_on__year=models.F("year")),
                name="fundyear_bought_in_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.year}: {self.units}"


class AllowanceOrder(models.Model):
    """A Freistellungsauftrag: the part of the saver's allowance a person gave one bank
    or broker for a year (§44a EStG). ``bank`` matches the sources' platform."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="allowance_orders",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(YEAR_LOW), MaxValueValidator(YEAR_HIGH)]
    )
    bank = models.CharField(
        _("bank or broker"),
        max_length=120,
        help_text=_("As the sources name it in their platform."),
    )
    amount = money_field(_("amount"), required=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("allowance order")
        verbose_name_plural = _("allowance orders")
        ordering = ("-year", "bank")
        constraints = [
            models.UniqueConstraint(
                fields=("owner", "year", "bank"), name="allowanceorder_unique_bank"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="allowanceorder_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=YEAR_LOW, year__lte=YEAR_HIGH),
                name="allowanceorder_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.bank}: {self.amount}"
