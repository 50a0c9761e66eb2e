"""The code asked after the password (``MFA_FORMS["authenticate"]``), under the lockout."""

from __future__ import annotations

from typing import Any

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.lockout import second_factor_failed, second_factor_locked

LOCKED_OUT = _("Too many failed log-ins. For your safety, logging in is paused for a while.")


class AuthenticateForm(AllauthAuthenticateForm):  # type: ignore[misc]
    def clean_code(self) -> Any:
        request = context.request
        if second_factor_locked(request=request, user=self.user):
            raise forms.ValidationError(LOCKED_OUT)
        try:
            return super().clean_code()
        except forms.ValidationError:
            second_factor_failed(request=request, user=self.user)
            raise
