"""The profile's forms: base currency, tax and display settings, and the language switch."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from finance import calculator
from income.models import Profile

HUNDRED = Decimal(100)
PERCENT_PLACES = calculator.RATE_DECIMAL_PLACES - 2


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    """The settings page. Theme and date style may be left out of a post (a form from
    before they existed, a script): then they keep their value."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("theme", "date_style"):
            self.fields[name].required = False
        # Not Django's raw "---------" as the empty choice (issue 18).
        tax_profile = cast(forms.ModelChoiceField, self.fields["default_tax_profile"])  # type: ignore[type-arg]
        tax_profile.empty_label = _("No default tax profile")

    def clean_theme(self) -> str:
        return str(self.cleaned_data.get("theme") or self.instance.theme)

    def clean_date_style(self) -> str:
        return str(self.cleaned_data.get("date_style") or self.instance.date_style)

    class Meta:
        model = Profile
        fields = (
            "base_currency",
            "language",
            "monthly_expenses",
            "hourly_value",
            "home_country",
            "default_tax_profile",
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
