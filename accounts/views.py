"""Account pages of our own: sign-up (allauth's, one account per name and address), and
the API tokens, by device, made here or at log-in, with a revoke button each."""

from __future__ import annotations

from typing import Any, cast

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.views import SignupView as AllauthSignupView
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms.api_token import ApiTokenCreateForm
from accounts.selectors import api_tokens_of
from accounts.services import api_token_issue, api_token_revoke, signup_hides_taken_addresses


class SignupView(AllauthSignupView):  # type: ignore[misc]
    """allauth's sign-up, where a new account and a taken address answer alike.

    With a taken address there is no account to log in, so, where that must not show
    (``signup_hides_taken_addresses``), a new account is not logged in either: both end
    on allauth's "we have sent you a mail" page, as with ``mandatory`` verification. With
    ``optional`` verification the new account may log in with its password at once; the
    link in the mail logs it in too (``ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION``) and leads on
    to where the sign-up was going (``next``). A name taken by a parallel sign-up since
    the form was checked is the form's error, as it is in sequence.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        self.user, response = form.try_save(self.request)
        if response is not None:
            return cast(HttpResponse, response)
        if form.errors:
            return cast(HttpResponse, self.form_invalid(form))
        verification = EmailVerificationMethod.MANDATORY if signup_hides_taken_addresses() else None
        try:
            return cast(
                HttpResponse,
                complete_signup(
                    self.request,
                    user=self.user,
                    email_verification=verification,
                    redirect_url=self.get_success_url(),
                    by_passkey=form.by_passkey,
                ),
            )
        except ImmediateHttpResponse as e:
            return cast(HttpResponse, e.response)


signup = SignupView.as_view()


@login_required
@reauthentication_required(allow_get=True)  # type: ignore[untyped-decorator]
def api_token_list(request: HttpRequest) -> HttpResponse:
    """The caller's tokens; a POST makes a new one, shown on this answer only.

    The way to a token for an account whose second factor the API cannot check (a
    passkey, and no authenticator app or recovery codes: ``/api/v1/auth/login/`` says
    so and sends the person here). The browser has checked the passkey; a token is a
    lasting key, so making one asks for a recent log-in (allauth's re-authentication,
    which takes the passkey as well).
    """
    user = cast(User, request.user)
    form = ApiTokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token, _expiry = api_token_issue(user=user, device=form.cleaned_data["device"])
        form = ApiTokenCreateForm()
    context = {"tokens": api_tokens_of(user=user), "form": form, "new_token": new_token}
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke_page(request: HttpRequest, key: str) -> HttpResponse:
    if not api_token_revoke(user=cast(User, request.user), token_key=key):
        raise Http404
    messages.success(request, _("The token was revoked; that device is signed out."))
    return redirect("api_token_list")
