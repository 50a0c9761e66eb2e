"""Saved projections. A scenario holds the inputs of a plan and its latest result."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from income.models import IncomeSource, TaxProfile, money_field, rate_field

ZERO = Decimal(0)


class Compounding(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    MONTHLY = "monthly", _("Monthly")


class TaxTiming(models.TextChoices):
    """When a scenario's tax is paid (``scenarios.projection.inputs.TAX_TIMINGS``)."""

    YEARLY = "yearly", _("Every year")
    AT_END = "at_end", _("Once at the end")
    FUND = "fund", _("As a German fund (Vorabpauschale while reinvesting)")


class Scenario(models.Model):
    """A named plan: capital, savings, return, tax, inflation, target — and linked sources."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="scenarios",
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    starting_capital = money_field(_("starting capital"))
    monthly_contribution = money_field(
        _("monthly contribution"),
        help_text=_("Your savings plan: added at the start of every month."),
    )
    annual_return = rate_field(
        _("annual return"), default=Decimal("0.05"), low=Decimal("-0.999999"), high=Decimal(10)
    )
    compounding = models.CharField(
        _("compounding"), max_length=8, choices=Compounding.choices, default=Compounding.YEARLY
    )
    payout = models.BooleanField(
        _("pay out income"),
        default=False,
        help_text=_("Paid out each month; otherwise the income is reinvested."),
    )
    tax_profile = models.ForeignKey(
        TaxProfile,
        verbose_name=_("tax profile"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scenarios",
    )
    tax_rate = rate_field(
        _("own tax rate"), null=True, blank=True, help_text=_("Overrides the tax profile's rate.")
    )
    tax_timing = models.CharField(
        _("tax timing"),
        max_length=8,
        choices=TaxTiming.choices,
        default=TaxTiming.YEARLY,
        help_text=_(
            "“yearly”: each plan year's income is taxed in that year, with the tax "
            "profile's allowance and partial exemption; reinvested, the tax is paid out of "
            "the capital. “at_end”: a saved calculation, computed exactly as the calculator "
            "does: the capital compounds yearly, untaxed, and the whole gain is taxed once "
            "at the end; such a plan has no monthly contribution, no payout, no additional "
            "yearly income and no allowance or partial exemption, and may have a one-off "
            "income."
        ),
    )
    one_off_income = money_field(
        _("one-off additional income"),
        help_text=_(
            "Only with the tax at the end: the calculator's additional income, added once "
            "to the net at the end, after tax."
        ),
    )
    inflation = rate_field(_("inflation"), default=Decimal("0.02"), low=Decimal("-0.5"))
    additional_yearly_income = money_field(_("additional yearly income"))
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon (years)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    target_monthly_income = money_field(
        _("target monthly passive income"), help_text=_("In today's money, after tax.")
    )
    volatility = rate_field(
        _("volatility"),
        null=True,
        blank=True,
        high=Decimal(2),
        help_text=_("Yearly volatility of the return, e.g. 0.15 for equities; empty for none."),
    )
    sources = models.ManyToManyField(
        IncomeSource, verbose_name=_("linked sources"), blank=True, related_name="scenarios"
    )
    result = models.JSONField(_("latest result"), default=dict, blank=True, editable=False)
    result_computed_at = models.DateTimeField(_("computed"), null=True, blank=True, editable=False)
    #: The Monte Carlo seed; None means the scenario's own id (``services.scenario_seed``).
    #: A clone keeps its original's, so two variants differ only by their inputs.
    monte_carlo_seed = models.PositiveBigIntegerField(
        _("random seed"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ("name", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(horizon_years__gte=1, horizon_years__lte=100),
                name="scenario_horizon_range",
            ),
            models.CheckConstraint(
                condition=Q(annual_return__gt=-1, annual_return__lte=10),
                name="scenario_return_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    starting_capital__gte=0,
                    monthly_contribution__gte=0,
                    additional_yearly_income__gte=0,
                    target_monthly_income__gte=0,
                ),
                name="scenario_amounts_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(tax_rate__isnull=True) | Q(tax_rate__gte=0, tax_rate__lte=1),
                name="scenario_tax_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(one_off_income__gte=0), name="scenario_one_off_income_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(tax_timing__in=TaxTiming.values), name="scenario_tax_timing_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name
