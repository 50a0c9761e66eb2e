"""Income data. Models hold data and constraints; rules live in ``services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from income.finance.currencies import BASE_CURRENCY_DEFAULT, CURRENCY_CODES

CURRENCY_CHOICES = [(code, code) for code in CURRENCY_CODES]


class Profile(models.Model):
    """Per-user preferences; created together with the user by ``user_register``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
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
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(base_currency__in=CURRENCY_CODES),
                name="profile_base_currency_known",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="profile_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.base_currency}, {self.language})"
