"""The two forms of the "Your data" page: an export to bring back, and the deletion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

MAX_IMPORT_BYTES = 50 * 2**20


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_("The zip from “Download all your data”, or the ertrag.json inside it."),
    )

    def clean_file(self) -> bytes:
        file = self.cleaned_data["file"]
        if file.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return bytes(file.read())


class DeleteForm(forms.Form):
    """Deleting needs the password again: a forgotten open session is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that everything is deleted and cannot be brought back.")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password
