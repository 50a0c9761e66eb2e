"""A data import on its way through a worker: the document, how far it got, how it ended."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobs.leases import LeasedJob


class DataImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class DataImport(LeasedJob):
    """One export being written back into an account by a worker (issue 19, finding 3).

    The document waits here for the worker and is emptied once the import has ended.
    ``created_sources`` and ``created_scenarios`` are the journal of what the import has
    written so far, kept in the same transaction as each batch: with it, a failed or
    interrupted import takes back exactly what it wrote (``portability.services.import_jobs``).
    The worker running it holds a lease on it (``jobs.leases``).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="data_imports",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DataImportStatus.choices,
        default=DataImportStatus.QUEUED,
    )
    # A JSON body parsed by the API's DecimalJSONParser holds Decimals: stored as their
    # text, the form the export itself writes amounts in.
    document = models.JSONField(_("document"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    counts = models.JSONField(_("rows imported"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    profile_before = models.JSONField(_("settings before"), default=dict, blank=True)
    created_sources = models.JSONField(_("sources written"), default=list, blank=True)
    created_scenarios = models.JSONField(_("scenarios written"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("data import")
        verbose_name_plural = _("data imports")
        ordering = ("-created_at", "-pk")
        constraints = [
            # One at a time per account: a second would see the first's rows half written.
            models.UniqueConstraint(
                fields=("owner",),
                condition=Q(status__in=("queued", "running")),
                name="data_import_one_pending_per_owner",
            )
        ]
        indexes = [
            # What the minutely watchdog reads: the few unfinished imports.
            models.Index(
                fields=("status",),
                condition=Q(status__in=("queued", "running")),
                name="data_import_unfinished",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.get_status_display()}"
