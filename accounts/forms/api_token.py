"""The form that makes an API token in the browser (``/accounts/tokens/``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenCreateForm(forms.Form):
    """A name for the device the new token is for, as the API's log-in asks."""

    device = forms.CharField(
        label=_("Device"),
        max_length=64,
        help_text=_("A name to recognise the token by, e.g. “Pixel 8” or “budget script”."),
    )
