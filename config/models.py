"""What the project package itself keeps in the database: the lease of the one beat."""

from __future__ import annotations

from django.db import models


class BeatLease(models.Model):
    """Which ``celery beat`` process may send the periodic tasks, and until when.

    One row per schedule (``name``). The holder renews ``expires_at`` at every tick of
    its scheduler (``config.beat``); another beat takes the row only once it has
    expired, so a second beat sends nothing while the first runs.
    """

    name = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or 'nobody'} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
