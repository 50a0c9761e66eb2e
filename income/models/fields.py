"""The column shapes every income table shares: money, rates, and texts kept in two languages."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from finance.currencies import CURRENCY_CODES

CURRENCY_CHOICES = [(code, code) for code in CURRENCY_CODES]
ZERO = Decimal(0)
ONE = Decimal(1)


def money_field(
    verbose_name: StrOrPromise,
    *,
    required: bool = False,
    signed: bool = False,
    **kwargs: object,
) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount: ``DecimalField(max_digits=15, decimal_places=2)`` (PRODUCT.md §7).

    Optional amounts default to zero; a ``required`` one has no default at all. A ``signed``
    amount may be negative (a payment's reversal); its range is a model check constraint.
    """
    if not required:
        kwargs.setdefault("default", ZERO)
    kwargs.setdefault("validators", [] if signed else [MinValueValidator(ZERO)])
    return models.DecimalField(verbose_name, max_digits=15, decimal_places=2, **kwargs)  # type: ignore[arg-type]


def rate_field(
    verbose_name: StrOrPromise, *, low: Decimal = ZERO, high: Decimal = ONE, **kwargs: object
) -> models.DecimalField:  # type: ignore[type-arg]
    """A fraction such as 0.26375 with six decimal places, from ``low`` to ``high``."""
    kwargs.setdefault("validators", [MinValueValidator(low), MaxValueValidator(high)])
    return models.DecimalField(verbose_name, max_digits=10, decimal_places=6, **kwargs)  # type: ignore[arg-type]


def in_active_language(english: str, german: str) -> str:
    """The German text while German is active, else the English one (admin content)."""
    return german if (get_language() or "en").startswith("de") else english


class Localized(models.Model):
    """Admin content written in English and German; shown in the active language."""

    name_en = models.CharField(_("name (English)"), max_length=100)
    name_de = models.CharField(_("name (German)"), max_length=100)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_active_language(self.name_en, self.name_de)
