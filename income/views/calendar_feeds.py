"""The private calendar feed (issue 24): the settings page that makes, renews and turns
off a person's address, and the address itself, which calendar apps fetch without a
log-in (the token in it is the credential)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from income import selectors, services
from income.calendar_feed import (
    FEED_FUTURE_MONTHS,
    FEED_PAST_MONTHS,
    calendar_feed_ics,
    feed_address,
    site_url,
    webcal_address,
)

#: How long a calendar app (or a proxy of its own) may keep one answer: a new address
#: or a revoked one reaches an app that cached the feed within this time at the latest.
FEED_MAX_AGE_SECONDS = 3600


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_feed_page(request: HttpRequest) -> HttpResponse:
    """The feed's address with a copy field and a ``webcal://`` link; a POST makes it
    (``create``), gives it a new address (``rotate``) or turns it off (``revoke``)."""
    user = cast(User, request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            services.calendar_feed_create(owner=user)
            messages.success(request, _("Your calendar address is ready: add it to your app."))
        elif action == "rotate":
            services.calendar_feed_rotate(owner=user)
            messages.success(request, _("A new address was made; the old one no longer works."))
        elif action == "revoke":
            services.calendar_feed_revoke(owner=user)
            messages.success(request, _("The calendar feed is off; its address no longer works."))
        else:
            messages.error(request, _("Unknown action; nothing was changed."))
        return redirect("calendar_feed")
    feed = selectors.calendar_feed_of(owner=user)
    address = (
        feed_address(site_url=site_url(request), token=feed.token) if feed is not None else None
    )
    context = {
        "feed": feed,
        "address": address,
        "webcal": webcal_address(address) if address else None,
        "past_months": FEED_PAST_MONTHS,
        "future_months": FEED_FUTURE_MONTHS,
    }
    return render(request, "income/calendar_feed.html", context)


@require_safe
def calendar_feed_ics_view(request: HttpRequest, token: str) -> HttpResponse:
    """The feed for whoever holds the address: no log-in, no session, GET and HEAD.

    An unknown, renewed or revoked token is the site's ordinary 404, the same whether
    the account exists or not. ``private``: a shared cache must not keep one person's
    payouts; the page's own privacy headers add ``no-store`` for a signed-in browser.
    """
    feed = selectors.calendar_feed_by_token(token=token)
    if feed is None:
        raise Http404
    now = timezone.now()
    body = calendar_feed_ics(
        owner=feed.owner,
        today=timezone.localdate(now),
        now=now,
        site_url=site_url(request),
    )
    services.calendar_feed_mark_read(feed=feed, now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = f"private, max-age={FEED_MAX_AGE_SECONDS}"
    response["Content-Disposition"] = 'inline; filename="ertrag.ics"'
    # A secret address: kept out of search engines should it ever be linked somewhere.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
