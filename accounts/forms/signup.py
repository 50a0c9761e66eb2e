"""What allauth's sign-up form gains (``ACCOUNT_SIGNUP_FORM_CLASS``).

Its own module: allauth imports it while defining its forms, so it must not import them.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.services import signup_profile_create
from income.models import CURRENCY_CHOICES


class SignupProfileForm(forms.Form):
    """The profile's fields, asked at sign-up."""

    base_currency = forms.ChoiceField(
        label=_("Base currency"), choices=CURRENCY_CHOICES, initial="EUR"
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        signup_profile_create(
            user=user,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            base_currency=self.cleaned_data["base_currency"],
        )
