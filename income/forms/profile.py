"""The profile's forms: base currency, tax and display settings, and the language switch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from finance import calculator
from income.forms.base import as_percent, percent_field
from income.models import Profile
from income.models.profile import MARGINAL_TAX_RATE_HIGH

HUNDRED = Decimal(100)
PERCENT_PLACES = calculator.RATE_DECIMAL_PLACES - 2


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    """The settings page. Theme, date style and the tax settings may be left out of a
    post (a form from before they existed, a script): then they keep their value."""

    KEPT_WHEN_LEFT_OUT = ("theme", "date_style", "filing_status", "church_tax_rate")

    marginal_tax_rate = percent_field(
        _("Marginal tax rate (%)"),
        high=MARGINAL_TAX_RATE_HIGH * HUNDRED,
        initial=None,
        help_text=_(
            "An estimate of your personal marginal income-tax rate, for rent and business "
            "income, e.g. 42. Leave it empty if you do not know it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.KEPT_WHEN_LEFT_OUT:
            self.fields[name].required = False
        # Not Django's raw "---------" as the empty choice (issue 18).
        tax_profile = cast(forms.ModelChoiceField, self.fields["default_tax_profile"])  # type: ignore[type-arg]
        tax_profile.empty_label = _("No default tax profile")
        if "marginal_tax_rate" in self.initial:
            self.initial["marginal_tax_rate"] = as_percent(self.initial["marginal_tax_rate"])

    def _kept(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value in (None, "") else value

    def clean_theme(self) -> str:
        return str(self._kept("theme"))

    def clean_date_style(self) -> str:
        return str(self._kept("date_style"))

    def clean_filing_status(self) -> str:
        return str(self._kept("filing_status"))

    def clean_church_tax_rate(self) -> Decimal:
        return Decimal(self._kept("church_tax_rate"))

    def clean_marginal_tax_rate(self) -> Decimal | None:
        """Percent in, a fraction out; blank is "not set", a post without it keeps it."""
        if self.add_prefix("marginal_tax_rate") not in self.data:
            return cast(Decimal | None, self.instance.marginal_tax_rate)
        value: Decimal | None = self.cleaned_data.get("marginal_tax_rate")
        return None if value is None else value / HUNDRED

    class Meta:
        model = Profile
        fields = (
            "base_currency",
            "language",
            "monthly_expenses",
            "hourly_value",
            "home_country",
            "default_tax_profile",
            "filing_status",
            "church_tax_rate",
            "marginal_tax_rate",
            "weekly_digest",
            "theme",
            "date_style",
        )
        widgets = {
            "home_country": forms.TextInput(
                attrs={"maxlength": 2, "size": 2, "autocomplete": "country"}
            )
        }
        localized_fields = ("monthly_expenses", "hourly_value")
        labels = {"weekly_digest": _("Send me a weekly e-mail digest")}
        help_texts = {
            "weekly_digest": _(
                "Every Monday morning, to your account's e-mail address: last week's income, "
                "overdue payouts, sources behind plan and how your independence month moved. "
                "Every digest has a link to switch it off."
            )
        }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
