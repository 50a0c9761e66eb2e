"""Import data: an uploaded statement and how far its import got."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from income.models import IncomeSource


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


class PaymentImport(models.Model):
    """An uploaded CSV file of payments, kept until it is imported (or rejected).

    The file is stored in the row, so a preview, a changed column mapping and the final
    import all read the same bytes, and deleting the user deletes the upload too. The
    model began in ``income`` and keeps its table there (``db_table``), so the move to
    this app changed no row.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payment_imports"
    )
    source = models.ForeignKey(
        IncomeSource,
        verbose_name=_("default source"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imports",
    )
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("rows already there"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        db_table = "income_paymentimport"
        verbose_name = _("payment import")
        verbose_name_plural = _("payment imports")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
