"""The user's profile: base currency, tax, language and display preferences."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES
from finance.tax import facts as tax_facts
from income.models.fields import CURRENCY_CHOICES, money_field, rate_field
from income.models.reference import TaxProfile


class Theme(models.TextChoices):
    """Light or dark pages; "system" follows the device (``prefers-color-scheme``)."""

    SYSTEM = "system", _("As the device is set")
    LIGHT = "light", _("Light")
    DARK = "dark", _("Dark")


class DateStyle(models.TextChoices):
    """How a day is written (income/date_style.py); "system" is the language's own."""

    SYSTEM = "system", _("As the language writes it (5 Dec 2026 / 05.12.2026)")
    DMY = "dmy", _("Day, month, year in digits (05/12/2026 / 05.12.2026)")
    ISO = "iso", _("ISO 8601 (2026-12-05)")


class FilingStatus(models.TextChoices):
    """Single or jointly assessed: the values of ``finance.tax.facts.FilingStatus``."""

    SINGLE = tax_facts.FilingStatus.SINGLE.value, _("Single")
    JOINT = tax_facts.FilingStatus.JOINT.value, _("Jointly assessed (married or civil partners)")


NO_CHURCH_TAX = Decimal("0.00")
#: Church tax as the rate the engine takes (``finance.tax.capital``: 0 or one of the
#: year's ``church_tax_rates``), not a code: 8 % in Bavaria and Baden-Württemberg, 9 %
#: in the other states (``TaxYear.church_tax_rate_reduced`` and ``church_tax_rate``).
CHURCH_TAX_CHOICES = [
    (NO_CHURCH_TAX, _("No church tax")),
    (Decimal("0.08"), _("8 % (Bavaria, Baden-Württemberg)")),
    (Decimal("0.09"), _("9 % (the other states)")),
]
#: The highest marginal rate a person may state: the top income-tax rate of 45 % with the
#: solidarity surcharge is 47.475 %, with 9 % church tax (deductible) about 49.5 %.
MARGINAL_TAX_RATE_HIGH = Decimal("0.5")


class Profile(models.Model):
    """Per-user preferences; created together with the user by ``user_register``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    base_currency = models.CharField(
        _("base currency"),
        max_length=3,
        choices=CURRENCY_CHOICES,
        default=BASE_CURRENCY_DEFAULT,
        help_text=_("All figures are shown in this currency."),
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    monthly_expenses = money_field(
        _("monthly expenses"),
        help_text=_("What you spend a month; passive income covering it means independence."),
    )
    hourly_value = money_field(
        _("value of one hour"),
        help_text=_("What an hour of your time is worth; used to value the hours a source takes."),
    )
    home_country = models.CharField(
        _("home country"),
        max_length=2,
        blank=True,
        validators=[
            RegexValidator(r"^[A-Za-z]{2}$", _("Enter a two-letter country code, e.g. DE."))
        ],
        help_text=_(
            "ISO code, e.g. DE. Income from sources in other countries counts as foreign "
            "exposure in the concentration view."
        ),
    )
    default_tax_profile = models.ForeignKey(
        TaxProfile,
        verbose_name=_("default tax profile"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    filing_status = models.CharField(
        _("filing status"),
        max_length=8,
        choices=FilingStatus.choices,
        default=FilingStatus.SINGLE,
        help_text=_("Jointly assessed couples have twice the saver's allowance."),
    )
    church_tax_rate = models.DecimalField(
        _("church tax"),
        max_digits=3,
        decimal_places=2,
        choices=CHURCH_TAX_CHOICES,
        default=NO_CHURCH_TAX,
        help_text=_("Church tax on capital income, as a share of the capital gains tax."),
    )
    marginal_tax_rate = rate_field(
        _("marginal tax rate"),
        high=MARGINAL_TAX_RATE_HIGH,
        null=True,
        blank=True,
        help_text=_(
            "An estimate of your personal marginal income-tax rate, applied to rent and "
            "business income; empty when not set."
        ),
    )
    weekly_digest = models.BooleanField(
        _("weekly e-mail digest"),
        default=False,
        help_text=_(
            "Once a week: what came in, what is overdue, sources behind plan, and how your "
            "independence month moved."
        ),
    )
    theme = models.CharField(
        _("appearance"),
        max_length=8,
        choices=Theme.choices,
        default=Theme.SYSTEM,
        help_text=_("Light or dark pages; by default as the device is set."),
    )
    date_style = models.CharField(
        _("date style"),
        max_length=8,
        choices=DateStyle.choices,
        default=DateStyle.SYSTEM,
        help_text=_("How dates are written on pages, in CSV exports and in the digest."),
    )
    data_changed_at = models.DateTimeField(
        _("figures changed"),
        null=True,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("When data behind this user's reports last changed."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(base_currency__in=CURRENCY_CODES),
                name="profile_base_currency_known",
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="profile_language_known",
            ),
            models.CheckConstraint(
                condition=Q(monthly_expenses__gte=0, hourly_value__gte=0),
                name="profile_amounts_non_negative",
            ),
            models.CheckConstraint(condition=Q(theme__in=Theme.values), name="profile_theme_known"),
            models.CheckConstraint(
                condition=Q(date_style__in=DateStyle.values), name="profile_date_style_known"
            ),
            models.CheckConstraint(
                condition=Q(filing_status__in=FilingStatus.values),
                name="profile_filing_status_known",
            ),
            models.CheckConstraint(
                condition=Q(church_tax_rate__in=[rate for rate, _label in CHURCH_TAX_CHOICES]),
                name="profile_church_tax_rate_known",
            ),
            models.CheckConstraint(
                condition=Q(marginal_tax_rate__isnull=True)
                | Q(marginal_tax_rate__gte=0, marginal_tax_rate__lte=MARGINAL_TAX_RATE_HIGH),
                name="profile_marginal_tax_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.base_currency}, {self.language})"
