"""Monthly report snapshots, the recompute jobs that write them, and digest sent-markers.

The reports app builds on income and scenarios (the independence month comes from the
sources' projection), so it sits above both: ``config → reports → scenarios → income``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from finance import figures
from income.models import money_field
from jobs.leases import job_stalled


def ratio_field(verbose_name: StrOrPromise) -> models.DecimalField:  # type: ignore[type-arg]
    """A ratio with four places (0.1234 is 12.34 %), as ``finance.figures`` rounds."""
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=4, null=True, blank=True)


class RowJSONField(models.JSONField):
    """A JSONField that ``bulk_create`` writes as plain ``VALUES`` on PostgreSQL.

    Django 5.2 sends the rows of a bulk insert as one array per column (``UNNEST``), and
    psycopg escapes a JSON document inside an array literal character by character: for
    the per-source figures of a report that took most of a sweep's upsert. A field with
    a ``get_placeholder`` opts its insert out of ``UNNEST``.
    """

    def get_placeholder(self, value: object, compiler: object, connection: object) -> str:
        return "%s"


class ReportSnapshot(models.Model):
    """One user's §3 figures for one month, in their base currency (PRODUCT.md §2).

    Every month from the first payment to the current one has a row; a recompute
    upserts them on (owner, month), so running it twice or on two workers at once
    leaves one row per month. The monthly figures (``passive_net`` … ``expense_coverage``)
    are recomputed whenever the data changes, so history follows late-booked payments;
    a month is rewritten only when its figures change, so its ``fingerprint`` and
    ``computed_at`` say when and from what they were last written. The current month is
    written by every recompute: its pair says when the reports were last computed.
    The point-in-time figures (``sources``, ``concentration``, ``independence_month``)
    describe the month while it was the current one and are frozen when it is closed.
    """

    # No index of its own: ``report_one_per_owner_month`` (owner, month) serves every
    # lookup by owner, and a third index made each rewritten month cost a quarter more
    # (the sweep after new expenses rewrites every month of every user).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="report_snapshots",
        db_index=False,
    )
    month = models.DateField(_("month"))
    currency = models.CharField(_("currency"), max_length=3)
    passive_gross = money_field(_("passive gross"))
    passive_net = money_field(_("passive net"))
    active_net = money_field(_("active net"))
    passive_gross_ttm = money_field(_("passive gross, 12 months"))
    passive_net_ttm = money_field(_("passive net, 12 months"))
    total_net_ttm = money_field(_("all net income, 12 months"))
    passive_share = ratio_field(_("passive share"))
    expense_coverage = ratio_field(_("expenses covered"))
    monthly_expenses = money_field(_("monthly expenses"))
    independence_month = models.DateField(_("independence month"), null=True, blank=True)
    # ``scenarios.selectors.IndependenceQuestion.key`` of ``independence_month``.
    independence_key = models.CharField(
        _("independence inputs fingerprint"), max_length=64, blank=True, default=""
    )
    # ``reports.snapshots.history_key`` of the months before this one, on the current
    # month: while it is unchanged, a recompute need not compute or read those months.
    history_key = models.CharField(
        _("fingerprint of the months before"), max_length=64, blank=True, default=""
    )
    by_category = RowJSONField(_("passive net by category"), default=dict, blank=True)
    sources = RowJSONField(_("figures per source"), default=list, blank=True)
    concentration = RowJSONField(_("concentration"), default=dict, blank=True)
    missing_rates = RowJSONField(_("currencies without a rate"), default=list, blank=True)
    fingerprint = models.CharField(_("inputs fingerprint"), max_length=64)
    computed_at = models.DateTimeField(_("computed"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ("owner_id", "-month")
        constraints = [
            models.UniqueConstraint(fields=("owner", "month"), name="report_one_per_owner_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="report_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.month:%Y-%m}"

    @property
    def passive_net_monthly_average(self) -> Decimal:
        """An average month of the twelve up to this one (on the chart's scale)."""
        return figures.monthly_average(self.passive_net_ttm)


class ReportHistory(models.Model):
    """A user's payments before the trailing twelve months, as the monthly sums per
    source that the figures read of them (``income.report_inputs.EarlierMonths``).

    A recompute of the current month needs every month's sums (a payback walks them
    all), but only the last twelve months' payments change day to day. While the
    database's fingerprint of the payments before ``until`` is ``payments_digest`` and
    the rates and currency are those of ``key``, a recompute loads the payments from
    ``until`` on and starts from these sums, which are what the older payments add up
    to. Anything else (another month, a changed payment, a forced recompute) loads every
    payment and writes this row anew. Kept on PostgreSQL, which makes the fingerprint.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_history",
        verbose_name=_("owner"),
    )
    until = models.DateField(_("payments before"))
    payments_digest = models.CharField(_("fingerprint of those payments"), max_length=100)
    key = models.CharField(_("fingerprint of the sums"), max_length=64)
    months = RowJSONField(_("monthly sums per source"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        verbose_name = _("report history")
        verbose_name_plural = _("report histories")

    def __str__(self) -> str:
        return f"{self.owner} {self.until:%Y-%m}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Computing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobReason(models.TextChoices):
    CHANGE = "change", _("Data changed")
    REQUEST = "request", _("Requested")
    SWEEP = "sweep", _("Nightly sweep")
    CLOSE = "close", _("Month-end close")
    ADMIN = "admin", _("Requested by an admin")


class RecomputeJob(models.Model):
    """One recompute of one user's reports: what asked for it, and how it went.

    The job is the unit the page and the API follow (``reports/recompute/`` answers its
    id). At most one queued change-job exists per user (a partial unique constraint):
    that is the debounce, so a burst of changes is computed once. Likewise at most one
    requested job is queued or running per user, so requests cannot flood the queue.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="recompute_jobs",
    )
    reason = models.CharField(_("reason"), max_length=10, choices=JobReason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    force = models.BooleanField(_("even if unchanged"), default=False)
    months_written = models.PositiveIntegerField(_("months written"), default=0)
    skipped = models.BooleanField(_("nothing had changed"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The lease (issue 25): the worker process running the job ("host:pid") and when it
    # last said it is alive; on a queued job, when its message was last sent. A holder
    # that stops beating loses the job to the watchdog (``reports.jobs.jobs_watchdog``).
    holder = models.CharField(_("held by"), max_length=200, blank=True, default="")
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("recompute job")
        verbose_name_plural = _("recompute jobs")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=("owner",),
                condition=Q(status="queued", reason="change"),
                name="recompute_one_queued_change_per_owner",
            ),
            # One pending recompute a user asked for: a second click, or a client in a
            # loop, gets the one already waiting or running (reports.jobs.recompute_request).
            models.UniqueConstraint(
                fields=("owner",),
                condition=Q(status__in=("queued", "running"), reason="request"),
                name="recompute_one_pending_request_per_owner",
            ),
        ]
        indexes = [
            models.Index(fields=("owner", "-created_at"), name="recompute_owner_recent"),
            # What the minutely watchdog reads: the few unfinished jobs, not the month kept.
            models.Index(
                fields=("status",),
                condition=Q(status__in=("queued", "running")),
                name="recompute_unfinished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.get_reason_display()} ({self.get_status_display()})"

    def stalled(self, *, now: datetime, lease: timedelta) -> bool:
        """Running, but its holder has not beaten within ``lease``: it is waiting for the
        watchdog to hand it to another worker, whatever its last percentage said (one
        rule for every leased job: ``jobs.leases.job_stalled``)."""
        return job_stalled(self, now=now, lease=lease)


class DigestDelivery(models.Model):
    """The sent-marker of one user's weekly digest: claimed by inserting it, once per week.

    The unique (owner, week) row is created before the mail is handed on; a second run
    of the weekly task (or a second beat by mistake) fails to create it and sends
    nothing.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
    )
    week = models.DateField(_("week (Monday)"))
    language = models.CharField(_("language"), max_length=8)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ("-week", "owner_id")
        constraints = [
            models.UniqueConstraint(fields=("owner", "week"), name="digest_once_per_owner_week")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.week:%G-W%V}"
