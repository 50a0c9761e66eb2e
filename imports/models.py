"""Import data: an uploaded statement and how far its import got."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from imports.parsing.billing.presets import BILLING_PRESETS
from income.models import IncomeSource
from jobs.leases import LeasedJob


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


#: What an upload is: a statement of payments, or a billing export's subscriptions.
IMPORT_KINDS = (("payments", "payments"), ("billing", "billing"))


class PaymentImport(LeasedJob):
    """An uploaded CSV file of payments, kept until it is imported (or rejected).

    The file is stored in the row, so a preview, a changed column mapping and the final
    import all read the same bytes, and deleting the user deletes the upload too. The
    model began in ``income`` and keeps its table there (``db_table``), so the move to
    this app changed no row. While a worker imports it, the worker holds a lease on it
    (``jobs.leases``): a worker that dies loses it to the next within minutes.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="payment_imports",
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
    #: The layout chosen in the mapping step (``imports.parsing.options.Options`` as
    #: JSON); empty while the file is read as detected.
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    #: The preset the file was read with, or "" (a saved mapping, or guessed columns).
    preset = models.CharField(_("preset"), max_length=40, blank=True)
    #: Source value of the file → {"source": id} or {"category": slug}: where its rows go.
    sources = models.JSONField(_("sources of the rows"), default=dict, blank=True)
    partial = models.BooleanField(
        _("import the good rows"),
        default=False,
        help_text=_("Import the rows without errors and list the others, instead of none."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    duplicate_rows = models.PositiveIntegerField(_("rows already there"), default=0)
    #: A billing export's subscriptions that were there and took the file's changes.
    updated_rows = models.PositiveIntegerField(_("rows updated"), default=0)
    skipped_rows = models.PositiveIntegerField(_("rows skipped"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rows rejected"), default=0)
    created_sources = models.PositiveIntegerField(_("sources created"), default=0)
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
        indexes = [
            # What the minutely watchdog reads: the few unfinished imports.
            models.Index(
                fields=("status",),
                condition=Q(status__in=("queued", "running")),
                name="payment_import_unfinished",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_billing(self) -> bool:
        """Whether the file is a billing export (``imports.billing``), not a statement:
        its preset, recognised at the upload, says so."""
        return self.preset in BILLING_PRESETS

    @property
    def kind(self) -> str:
        """ "billing" for a billing export's subscriptions, else "payments"."""
        return "billing" if self.is_billing else "payments"


class ImportMapping(models.Model):
    """A person's own mapping for files with one header: the next such file needs no step."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="import_mappings",
    )
    name = models.CharField(_("name"), max_length=120)
    #: ``imports.parsing.statement.signature`` of the header row it was made for.
    signature = models.CharField(_("header signature"), max_length=64)
    header = models.JSONField(_("header"), default=list, blank=True)
    options = models.JSONField(_("mapping"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("saved import mapping")
        verbose_name_plural = _("saved import mappings")
        ordering = ("name", "pk")
        constraints = [
            models.UniqueConstraint(fields=("owner", "signature"), name="import_mapping_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SourceAlias(models.Model):
    """A value of a statement's source column (an ISIN, a product, a payer) that names one of
    its owner's sources: remembered, so the next statement's rows go there by themselves."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="source_aliases",
    )
    #: Case-folded, spaces collapsed (``imports.sources.alias_key``).
    value = models.CharField(_("value in the file"), max_length=255)
    source = models.ForeignKey(
        IncomeSource,
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("source alias")
        verbose_name_plural = _("source aliases")
        ordering = ("value",)
        constraints = [
            models.UniqueConstraint(fields=("owner", "value"), name="source_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value} → {self.source}"
