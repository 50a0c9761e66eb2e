"""The user's profile: base currency, tax, language and display preferences."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES
from income.models.fields import CURRENCY_CHOICES, money_field
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
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.base_currency}, {self.language})"
