"""allauth's sign-up form with one account per address and per username, races included
(``ACCOUNT_FORMS["signup"]``).

A taken address makes no account and, where a mail can hide it
(``signup_hides_taken_addresses``), no error either: the person sees the "check your
mail" answer a new address gets, and the address's owner gets allauth's "account already
exists" mail. allauth itself does that only with mandatory verification; with
``optional`` it lets the address through and makes a second account.
"""

from __future__ import annotations

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.internal.flows.login import perform_login
from allauth.account.models import Login
from django.contrib.auth.models import AbstractBaseUser, User
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from accounts.services import email_taken, email_taken_error, signup_hides_taken_addresses


def check_your_mail_response(request: HttpRequest, *, email: str) -> HttpResponse:
    """allauth's answer to a sign-up with a taken address (the owner is mailed, the page
    says a mail was sent), given whatever the verification setting: allauth's own
    ``prevent_enumeration`` only works with ``mandatory``."""
    login = Login(
        user=None, email=email, signup=True, email_verification=EmailVerificationMethod.MANDATORY
    )
    return perform_login(request, login)  # type: ignore[no-any-return]


class SignupForm(AllauthSignupForm):  # type: ignore[misc]
    def validate_unique_email(self, value: str) -> str:
        if email_taken(email=value):
            if not signup_hides_taken_addresses():
                raise email_taken_error().error_dict["email"][0]
            self.account_already_exists = True
        return value

    def try_save(self, request: HttpRequest) -> tuple[AbstractBaseUser | None, HttpResponse | None]:
        """Save in a savepoint; a parallel sign-up that took the name or the address since
        the form was checked ends as the sequential case does, not in a 500: a taken name
        as the form's error (``SignupView.form_valid``), a taken address as "check your
        mail"."""
        email = str(self.cleaned_data.get("email") or "")
        if self.account_already_exists:
            return None, check_your_mail_response(request, email=email)
        try:
            with transaction.atomic():
                user = self.save(request)
        except IntegrityError:
            username = str(self.cleaned_data.get("username") or "")
            if User.objects.filter(username__iexact=username).exists():
                from allauth.account.adapter import get_adapter

                self.add_error("username", get_adapter().validation_error("username_taken"))
                return None, None
            if not email_taken(email=email):
                raise
            if not signup_hides_taken_addresses():
                self.add_error("email", email_taken_error().error_dict["email"][0])
                return None, None
            self.account_already_exists = True
            return None, check_your_mail_response(request, email=email)
        return user, None
