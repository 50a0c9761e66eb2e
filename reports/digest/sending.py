"""Sending the weekly digest, at most once per user and week, and opting out of it.

The once is the unique (owner, week) ``DigestDelivery``: whoever inserts it sends, and
the mail is handed on with ``transaction.on_commit`` in the same transaction, so the
marker and the mail go together. A second run, a second beat or a retry of the task
fails to insert it and sends nothing. A mail that the server then refuses for good is
lost for that week (at most once, never twice).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from income.date_style import SYSTEM, date_style_override
from income.services.users import email_send, profile_get_or_create, profile_update
from income.tasks import TRANSIENT_ERRORS
from reports.digest.week import Digest, digest_for, digest_recipients, digest_week, unsubscribe_url
from reports.models import DigestDelivery

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


def digest_render(*, digest: Digest, language: str, date_style: str = SYSTEM) -> RenderedDigest:
    """Subject, plain text and HTML of ``digest`` in ``language`` (numbers and dates too),
    its days in the reader's ``date_style`` as on their pages."""
    with translation.override(language), date_style_override(date_style):
        context = {
            "digest": digest,
            "unsubscribe_url": unsubscribe_url(user=digest.owner),
            "site_url": settings.SITE_URL,
            "dashboard_url": f"{settings.SITE_URL}{reverse('dashboard')}",
            "calendar_url": f"{settings.SITE_URL}{reverse('income_calendar')}",
            "scenarios_url": f"{settings.SITE_URL}{reverse('scenario_list')}",
            "settings_url": f"{settings.SITE_URL}{reverse('settings')}",
        }
        subject = render_to_string("reports/email/digest_subject.txt", context)
        return RenderedDigest(
            subject="".join(subject.splitlines()).strip(),
            text=render_to_string("reports/email/digest.txt", context),
            html=render_to_string("reports/email/digest.html", context),
        )


def digest_send(*, owner: User, today: date) -> bool:
    """Send ``owner`` the digest of the week before ``today``'s week; False if not sent.

    Not sent to a user who did not opt in, is inactive or has no address, nor when this
    week's marker exists. The digest is computed and rendered before the marker is
    claimed, so the write transaction holding the marker stays short (SQLite locks the
    whole database while it is open); the insert is still the one thing that decides,
    and the mail leaves only when the transaction that inserted it commits.
    """
    profile = profile_get_or_create(user=owner)
    if not (owner.is_active and owner.email and profile.weekly_digest):
        return False
    week = digest_week(today).start
    if DigestDelivery.objects.filter(owner=owner, week=week).exists():
        return False  # the common case of a second run, without computing anything
    language = profile.language
    rendered = digest_render(
        digest=digest_for(owner=owner, today=today),
        language=language,
        date_style=profile.date_style,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(owner=owner, week=week, language=language)
        except IntegrityError:
            return False  # another run claimed this week first
        email_send(
            subject=rendered.subject, body=rendered.text, to=[owner.email], html_body=rendered.html
        )
    return True


def digest_send_weekly(*, today: date) -> int:
    """Send this week's digest to every user who opted in; returns how many were sent.

    One user's broken data does not keep the others' digests back: it is logged with its
    traceback and the loop goes on. A transient error (database or broker away) stops
    the run so the task retries it; those already sent are skipped by their markers.
    """
    sent = 0
    for owner in digest_recipients().iterator():
        try:
            if digest_send(owner=owner, today=today):
                sent += 1
        except TRANSIENT_ERRORS:
            raise
        except Exception:
            logger.exception("digest_send_weekly: the digest of user %s failed", owner.pk)
    logger.info("digest_send_weekly: %d digests for the week of %s", sent, digest_week(today).start)
    return sent


def digest_unsubscribe(*, user: User) -> None:
    """Switch the weekly digest off (the opt-out link; the settings page does the same)."""
    profile_update(user=user, weekly_digest=False)
