"""The log-in form: allauth's, with the field name we had before it."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm


class LoginForm(AllauthLoginForm):  # type: ignore[misc]
    """allauth's log-in form with its ``login`` field posted as ``username``.

    Every client of the old log-in (bookmarked forms, password managers, scripts, tests)
    posts ``username``; django-axes counts failures by that name too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"] = self.fields.pop("login")
        self.order_fields(["username", "password"])

    def clean(self) -> dict[str, Any]:
        if "username" in self.cleaned_data:
            self.cleaned_data["login"] = self.cleaned_data["username"].strip()
        return super().clean()  # type: ignore[no-any-return]
