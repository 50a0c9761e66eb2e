"""The digest's opt-out link: no login, the signed token in the link names the user.

GET only asks (mail scanners and link previews follow links, and must not opt anyone
out); the POST of the confirmation page switches the digest off. The page speaks the
user's language, as the mail did, and names no e-mail address: whoever holds a
link learns nothing from it about whom it belongs to.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from income.services.users import profile_get_or_create
from reports.digest.sending import digest_unsubscribe as unsubscribe
from reports.digest.week import user_for_unsubscribe_token


@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_unsubscribe_token(token=token)
    if user is None:
        return render(request, "reports/digest_unsubscribe_invalid.html", status=400)
    profile = profile_get_or_create(user=user)
    with translation.override(profile.language):
        if request.method == "POST":
            unsubscribe(user=user)
            return render(request, "reports/digest_unsubscribed.html")
        return render(
            request,
            "reports/digest_unsubscribe.html",
            {"subscribed": profile.weekly_digest},
        )
