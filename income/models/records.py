"""What happens to a source: payments, subscription periods, effort logs, asset values."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES
from finance.money import payment_net
from income.models.fields import CURRENCY_CHOICES, ZERO, money_field
from income.models.reference import CalculationModel
from income.models.sources import (
    FOREIGN_TAX_AMOUNTS,
    RECEIPT_AMOUNTS,
    REVERSAL_AMOUNTS,
    IncomeSource,
)


class Payment(models.Model):
    """Money received from a source. Net = gross − tax withheld − fees.

    A refund, chargeback or reversal is a payment with a negative gross, booked on its own
    date, so it reduces income in its month: every figure sums payments and agrees. The
    withholding tax goes back with it (gross ≤ tax withheld ≤ 0); its fees are what the
    platform charged (positive) or returned (negative, no more than the amount reversed).
    """

    source = models.ForeignKey(
        IncomeSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="payments"
    )
    date = models.DateField(_("date"))
    gross = money_field(
        _("gross"),
        required=True,
        signed=True,
        help_text=_("Negative for a refund, chargeback or reversal."),
    )
    tax_withheld = money_field(_("tax withheld"), signed=True)
    foreign_tax = money_field(
        _("of which foreign tax"),
        signed=True,
        db_default=ZERO,
        help_text=_(
            "The part of the tax withheld that the source country took (e.g. 15 % US "
            "withholding); the rest was withheld by a German bank."
        ),
    )
    fees = money_field(_("fees"), signed=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, default=BASE_CURRENCY_DEFAULT
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # NULL, not "", when absent: the unique constraints below only hold for real ids.
    external_id = models.CharField(_("external id"), max_length=100, null=True, blank=True)  # noqa: DJ001
    row_hash = models.CharField(  # noqa: DJ001
        _("row hash"), max_length=64, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("-date", "-pk")
        indexes = [models.Index(fields=("source", "date"), name="payment_source_date")]
        constraints = [
            models.UniqueConstraint(
                fields=("source", "external_id"),
                condition=Q(external_id__isnull=False),
                name="payment_unique_external_id",
            ),
            models.UniqueConstraint(
                fields=("source", "row_hash"),
                condition=Q(row_hash__isnull=False),
                name="payment_unique_row_hash",
            ),
            # A receipt: nothing negative, and the deductions fit in the gross.
            models.CheckConstraint(
                condition=Q(gross__lt=0)
                | Q(tax_withheld__gte=0, fees__gte=0, gross__gte=F("tax_withheld") + F("fees")),
                name="payment_receipt_amounts",
                violation_error_message=RECEIPT_AMOUNTS,
            ),
            # A reversal: the tax goes back with it, a returned fee is no more than the gross.
            models.CheckConstraint(
                condition=Q(gross__gte=0)
                | Q(
                    tax_withheld__lte=0,
                    tax_withheld__gte=F("gross"),
                    fees__gte=F("gross"),
                    gross__lte=F("tax_withheld") + F("fees"),
                ),
                name="payment_reversal_amounts",
                violation_error_message=REVERSAL_AMOUNTS,
            ),
            # The foreign part of the tax withheld lies between zero and the whole of it.
            models.CheckConstraint(
                condition=Q(foreign_tax__gte=0, foreign_tax__lte=F("tax_withheld"))
                | Q(foreign_tax__lte=0, foreign_tax__gte=F("tax_withheld")),
                name="payment_foreign_tax_within_tax",
                violation_error_message=FOREIGN_TAX_AMOUNTS,
            ),
            models.CheckConstraint(
                condition=Q(currency__in=CURRENCY_CODES), name="payment_currency_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.gross} {self.currency}"

    @property
    def net(self) -> Decimal:
        return payment_net(gross=self.gross, tax_withheld=self.tax_withheld, fees=self.fees)

    @property
    def german_tax(self) -> Decimal:
        """What a German bank withheld: the tax withheld less its foreign part."""
        return Decimal(self.tax_withheld - self.foreign_tax)

    @property
    def is_reversal(self) -> bool:
        """A refund, chargeback or reversal: money that went back (a negative gross)."""
        return self.gross is not None and self.gross < 0


class SubscriptionPeriod(models.Model):
    """One month of a subscription source, with MRR movements as SaaS-metrics tools define them."""

    source = models.ForeignKey(
        IncomeSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="periods"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    subscribers_start = models.PositiveIntegerField(_("subscribers at start"), default=0)
    new_subscribers = models.PositiveIntegerField(_("new"), default=0)
    churned_subscribers = models.PositiveIntegerField(_("churned"), default=0)
    reactivated_subscribers = models.PositiveIntegerField(_("reactivated"), default=0)
    mrr_new = money_field(_("new MRR"))
    mrr_expansion = money_field(_("expansion MRR"))
    mrr_contraction = money_field(_("contraction MRR"))
    mrr_churned = money_field(_("churned MRR"))
    mrr_reactivation = money_field(_("reactivation MRR"))
    revenue = money_field(
        _("recorded revenue"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Revenue of the month if known; otherwise MRR = subscribers × price."),
    )

    class Meta:
        verbose_name = _("subscription period")
        verbose_name_plural = _("subscription periods")
        ordering = ("-month",)
        constraints = [
            models.UniqueConstraint(fields=("source", "month"), name="period_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="period_month_first_day"),
            models.CheckConstraint(
                condition=Q(churned_subscribers__lte=F("subscribers_start")),
                name="period_churn_within_start",
            ),
            models.CheckConstraint(
                condition=Q(
                    mrr_new__gte=0,
                    mrr_expansion__gte=0,
                    mrr_contraction__gte=0,
                    mrr_churned__gte=0,
                    mrr_reactivation__gte=0,
                )
                & (Q(revenue__isnull=True) | Q(revenue__gte=0)),
                name="period_amounts_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m}"

    @property
    def subscribers_end(self) -> int:
        return (
            self.subscribers_start
            + self.new_subscribers
            + self.reactivated_subscribers
            - self.churned_subscribers
        )


class EffortLog(models.Model):
    """Hours actually spent on a source in a month (the plan is maintenance hours per month)."""

    source = models.ForeignKey(
        IncomeSource, verbose_name=_("source"), on_delete=models.CASCADE, related_name="effort_logs"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hours = models.DecimalField(
        _("hours"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(744))],
        help_text=_("At most 744, the hours of a month."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("effort log")
        verbose_name_plural = _("effort logs")
        ordering = ("-month",)
        constraints = [
            models.UniqueConstraint(fields=("source", "month"), name="effort_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="effort_month_first_day"),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=744), name="effort_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%Y-%m}: {self.hours} h"


#: The calculation models whose upfront money buys an asset that is still owned (§3):
#: their return counts the asset's value, and only they take recorded values.
ASSET_MODELS = frozenset({CalculationModel.CAPITAL, CalculationModel.RENTAL})


class AssetValue(models.Model):
    """What the asset of a capital or rental source was worth on a day, as its owner says.

    The upfront money of such a source bought something that is still owned (PRODUCT.md
    §3), so its return counts the asset's latest recorded value: total return = income to
    date + that value − money put in, and the income yield divides by it. In the source's
    currency; one value per day.
    """

    source = models.ForeignKey(
        IncomeSource,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="asset_values",
    )
    date = models.DateField(_("date"), help_text=_("The day the asset had this value."))
    value = money_field(
        _("value"),
        required=True,
        help_text=_(
            "What the asset was worth on that day, in the source's currency: the holding's "
            "market value, or for a property bought with a loan its value less the loan "
            "still owed."
        ),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("asset value")
        verbose_name_plural = _("asset values")
        ordering = ("-date", "-pk")
        constraints = [
            models.UniqueConstraint(fields=("source", "date"), name="assetvalue_unique_date"),
            models.CheckConstraint(condition=Q(value__gte=0), name="assetvalue_value_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.date}: {self.value}"
