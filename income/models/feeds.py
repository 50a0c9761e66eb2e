"""The private calendar feed (issue 24): one secret address per user that calendar apps
subscribe to, for the income calendar's expected and received payouts."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Bytes of randomness in a feed's token: 256 bits, written as 43 URL-safe characters.
FEED_TOKEN_BYTES = 32
#: Room for the 43 characters and for a longer token should ``FEED_TOKEN_BYTES`` grow.
FEED_TOKEN_MAX_LENGTH = 64


def feed_token() -> str:
    """A new random token for a feed's address (``secrets``: unguessable, not ``random``)."""
    return secrets.token_urlsafe(FEED_TOKEN_BYTES)


class CalendarFeed(models.Model):
    """A user's calendar feed: the token in its address is the only credential a calendar
    app sends, so it is random and unique, and a new one replaces it at once.

    The token is kept as it is, not hashed (as API tokens are): the settings page shows
    the address again whenever the person adds the calendar on another device, as the
    secret addresses of other calendar services do. Revoking deletes the row.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(
        _("token"), max_length=FEED_TOKEN_MAX_LENGTH, unique=True, default=feed_token
    )
    created_at = models.DateTimeField(
        _("address made"),
        default=timezone.now,
        help_text=_("When the current address was made; a new address starts again."),
    )
    last_read_at = models.DateTimeField(
        _("last read"),
        null=True,
        blank=True,
        help_text=_("When a calendar app last fetched the feed (to the hour)."),
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.owner} ({self.created_at:%Y-%m-%d})"
