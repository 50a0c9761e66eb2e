"""What we keep beside allauth's and knox's tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenDevice(models.Model):
    """The name a client gave its API token ("Pixel 8", "budget script").

    knox stores a token hashed and nothing about where it lives; the name is what lets
    its owner recognise the token in the settings and revoke the one of a lost phone.
    Deleted with its token.
    """

    token = models.OneToOneField(
        "knox.AuthToken",
        verbose_name=_("token"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="device",
    )
    name = models.CharField(_("device"), max_length=64, blank=True)

    def __str__(self) -> str:
        return self.name
