"""Reference data every user reads: categories, tax profiles, help articles and exchange rates."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from income.models.fields import (
    CURRENCY_CHOICES,
    ZERO,
    Localized,
    in_active_language,
    money_field,
    rate_field,
)


class CalculationModel(models.TextChoices):
    CAPITAL = "capital", _("Capital (dividends, interest)")
    RENTAL = "rental", _("Rental property")
    SUBSCRIPTION = "subscription", _("Subscription (MRR, churn)")
    FLAT = "flat", _("Flat monthly amount")


class TaxTreatment(models.TextChoices):
    """Where a category's income goes in a German return (the yearly tax report)."""

    DIVIDEND = "dividend", _("Capital income: dividends")
    INTEREST = "interest", _("Capital income: interest")
    OTHER_CAPITAL = "other_capital", _("Capital income: other")
    RENT = "rent", _("Rent (Anlage V)")
    BUSINESS = "business", _("Business or creator income")
    EMPLOYMENT = "employment", _("Employment (not in the report)")
    NONE = "none", _("Not taxed here (not in the report)")


class IncomeCategory(Localized):
    """A kind of income (admin content), shipped by a data migration from the seed."""

    slug = models.SlugField(_("slug"), unique=True)
    is_passive = models.BooleanField(_("passive"), default=True)
    model = models.CharField(
        _("calculation model"), max_length=16, choices=CalculationModel.choices
    )
    tax_treatment = models.CharField(
        _("tax treatment"),
        max_length=16,
        choices=TaxTreatment.choices,
        default=TaxTreatment.NONE,
        help_text=_("Where this income goes in the yearly tax report."),
    )
    help_en = models.TextField(_("help text (English)"), blank=True)
    help_de = models.TextField(_("help text (German)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("income category")
        verbose_name_plural = _("income categories")
        ordering = ("-is_passive", "sort_order", "slug")

    @property
    def help_text(self) -> str:
        return in_active_language(self.help_en, self.help_de)


class TaxProfile(Localized):
    """A tax rule (admin content): rate, yearly allowance and partial exemption."""

    slug = models.SlugField(_("slug"), unique=True)
    rate = rate_field(_("tax rate"), default=ZERO)
    yearly_allowance = money_field(_("yearly allowance"))
    partial_exemption = rate_field(
        _("partial exemption"),
        default=ZERO,
        help_text=_("Share of the income that is tax-free, e.g. 0.3 for equity funds."),
    )
    is_flat_rate = models.BooleanField(
        _("user's own rate"),
        default=False,
        help_text=_("The source states its own rate; this profile only names the rule."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tax profile")
        verbose_name_plural = _("tax profiles")
        ordering = ("sort_order", "slug")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lte=1), name="taxprofile_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(partial_exemption__gte=0, partial_exemption__lte=1),
                name="taxprofile_exemption_range",
            ),
            models.CheckConstraint(
                condition=Q(yearly_allowance__gte=0), name="taxprofile_allowance_min"
            ),
        ]


class HelpArticle(models.Model):
    """A help or glossary article (admin content), in English and German.

    The body is plain text, not HTML: paragraphs are separated by blank lines and
    lines starting with "- " are list items. Nothing an admin types is trusted as
    markup; ``income.templatetags.help.help_body`` escapes before it structures.
    """

    slug = models.SlugField(_("slug"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_de = models.CharField(_("title (German)"), max_length=200)
    summary_en = models.CharField(_("summary (English)"), max_length=300)
    summary_de = models.CharField(_("summary (German)"), max_length=300)
    body_en = models.TextField(
        _("text (English)"),
        help_text=_(
            "Plain text. Separate paragraphs by a blank line; start a line with "
            '"- " for a list item.'
        ),
    )
    body_de = models.TextField(
        _("text (German)"),
        help_text=_(
            "Plain text. Separate paragraphs by a blank line; start a line with "
            '"- " for a list item.'
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(
        _("published"), default=True, help_text=_("Unpublished articles are not shown.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("help article")
        verbose_name_plural = _("help articles")
        ordering = ("sort_order", "slug")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_active_language(self.title_en, self.title_de)

    @property
    def summary(self) -> str:
        return in_active_language(self.summary_en, self.summary_de)

    @property
    def body(self) -> str:
        return in_active_language(self.body_en, self.body_de)


class ExchangeRate(models.Model):
    """ECB convention: units of ``currency`` for one euro on ``date``."""

    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(
        _("rate per EUR"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ("-date", "currency")
        constraints = [
            models.UniqueConstraint(fields=("currency", "date"), name="exchangerate_unique_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchangerate_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.currency} {self.rate}"


class RateFetchStatus(models.TextChoices):
    OK = "ok", _("Fetched")
    FAILED = "failed", _("Failed")


class RateFetch(models.Model):
    """One fetch of the ECB's reference rates (issue 24): what was asked, what came, and
    whose figures were recomputed; the latest says in ``/health/`` and the admin whether
    rates arrive on their own."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    url = models.CharField(_("address"), max_length=500)
    status = models.CharField(_("status"), max_length=8, choices=RateFetchStatus.choices)
    rates = models.PositiveIntegerField(_("rates in the file"), default=0)
    new_rates = models.PositiveIntegerField(_("rates new or changed"), default=0)
    users_recomputed = models.PositiveIntegerField(_("users recomputed"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("exchange rate fetch")
        verbose_name_plural = _("exchange rate fetches")
        ordering = ("-started_at", "-pk")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
