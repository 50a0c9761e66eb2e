"""Account pages of our own: the API tokens, by device, with a revoke button each."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import api_tokens_of
from accounts.services import api_token_revoke


@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    tokens = api_tokens_of(user=cast(User, request.user))
    return render(request, "accounts/api_tokens.html", {"tokens": tokens})


@login_required
@require_POST
def api_token_revoke_page(request: HttpRequest, key: str) -> HttpResponse:
    if not api_token_revoke(user=cast(User, request.user), token_key=key):
        raise Http404
    messages.success(request, _("The token was revoked; that device is signed out."))
    return redirect("api_token_list")
