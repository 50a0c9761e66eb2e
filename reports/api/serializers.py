"""Report API serializers: render stored snapshots and jobs, parse the list's month range.

Amounts are strings with two decimals and ratios strings with four (PRODUCT.md §5), as
the dashboard API writes them; every field is listed.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import ModelSerializer, Serializer
from income.api.fields import FigureField
from income.api.serializers.base import BuiltFieldsOnce
from income.api.serializers.figures import ShareSerializer
from income.definitions import definition, described
from income.models import CURRENCY_CHOICES
from jobs.leases import jobs_lease
from reports.dashboard import (
    Categories,
    stored_by_category,
    stored_concentration,
    stored_sources,
)
from reports.models import RecomputeJob, ReportSnapshot


def _money(**kwargs: Any) -> serializers.DecimalField:
    return FigureField(decimal_places=2, read_only=True, **kwargs)


def _ratio(**kwargs: Any) -> serializers.DecimalField:
    return FigureField(decimal_places=4, read_only=True, allow_null=True, **kwargs)


#: A month as ``?from=``/``?to=`` take it, and as the schema writes it: four ASCII digits of
#: a year from 0001 (a date has no year 0), a dash, two digits of a month 01-12; or empty,
#: as a blank form field sends it, which does not filter.
MONTH_PATTERN = (
    r"^(?:(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
    r"-(?:0[1-9]|1[0-2]))?$"
)


class MonthField(serializers.DateField):
    """The first day of a ``YYYY-MM`` month, read exactly as ``MONTH_PATTERN`` writes it.

    ``strptime("%Y-%m")`` alone also takes ``2025-1`` and non-ASCII digits, which the
    schema's pattern refuses, and the pattern alone took ``0000-00``, which no date is
    (issue 20): the pattern is checked first, so the two agree.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m"], format="%Y-%m", **kwargs)

    def to_internal_value(self, value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(MONTH_PATTERN, value):
            self.fail("invalid", format="YYYY-MM")
        return super().to_internal_value(value)


class ReportRangeSerializer(Serializer):  # type: ignore[type-arg]
    """``?from=YYYY-MM&to=YYYY-MM`` of the list; both optional, both months included.

    The fields are named in ``get_fields`` because ``from`` is a Python keyword.
    """

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        return {
            "from": MonthField(required=False, help_text=_("First month, e.g. 2025-01.")),
            "to": MonthField(required=False, help_text=_("Last month, e.g. 2025-12.")),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "from" in attrs and "to" in attrs and attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": [_("Must not be before “from”.")]})
        return attrs


class CategoryNetSerializer(Serializer):  # type: ignore[type-arg]
    """One category's passive net of the month: `code` identifies it, `label` shows it,
    as a part of the concentration does."""

    code = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The category's slug, which no language changes (category of a source). Null "
            "only for a category renamed or removed since the month was stored."
        ),
    )
    # The metaclass takes declared fields off the class: ``Field.label`` stays intact.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text=_("The category's name to show, in the answer's language.")
    )
    passive_net = FigureField(decimal_places=2)


_CATEGORY_NET = CategoryNetSerializer()


class ReportSnapshotSerializer(BuiltFieldsOnce, ModelSerializer):  # type: ignore[type-arg]
    """One month of the caller's reports, in the currency given beside it.

    Its fields, a source's and a share's are built once (``BuiltFieldsOnce``, module
    instances): building them per answer cost more than the month itself (issue 21).
    """

    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, read_only=True)
    passive_gross = _money()
    passive_net = _money()
    active_net = _money()
    passive_gross_ttm = _money(help_text=_("Trailing twelve months up to this month."))
    passive_net_ttm = _money(help_text=definition("passive_net_ttm"))
    total_net_ttm = _money(help_text=_("All net income, passive and active, 12 months."))
    passive_share = _ratio(help_text=definition("passive_share"))
    expense_coverage = _ratio(help_text=definition("expense_coverage"))
    independence_month = serializers.DateField(
        read_only=True, allow_null=True, help_text=definition("independence_month")
    )
    monthly_expenses = _money()
    by_category = serializers.SerializerMethodField(
        help_text=_(
            "Passive net of the month by category, ordered by code: each with its stable "
            "code (the slug) and its label in the answer's language."
        )
    )
    closed = serializers.SerializerMethodField(help_text=_("Frozen at the month's end."))

    class Meta:
        model = ReportSnapshot
        fields: tuple[str, ...] = (
            "month",
            "currency",
            "passive_gross",
            "passive_net",
            "active_net",
            "passive_gross_ttm",
            "passive_net_ttm",
            "total_net_ttm",
            "passive_share",
            "expense_coverage",
            "monthly_expenses",
            "independence_month",
            "by_category",
            "closed",
            "closed_at",
            "computed_at",
        )
        read_only_fields = fields

    def get_closed(self, snapshot: ReportSnapshot) -> bool:
        return snapshot.closed_at is not None

    @cached_property
    def _categories(self) -> Categories:
        # Queried at most once per answer, a list's too, and only if a stored row needs
        # it: a category's of a source, a month's by_category stored before issue 20.
        return Categories()

    @extend_schema_field(CategoryNetSerializer(many=True))
    def get_by_category(self, snapshot: ReportSnapshot) -> list[dict[str, Any]]:
        parts = stored_by_category(snapshot.by_category or {}, categories=self._categories)
        return [dict(_CATEGORY_NET.to_representation(part)) for part in parts]


class SnapshotSourceSerializer(BuiltFieldsOnce, Serializer):  # type: ignore[type-arg]
    """One source's figures as stored with the month.

    The current month stores the full figures to date (as ``/dashboard/`` has them);
    a month first written after it had passed stores only that month's gross, net and
    twelve months. Fields a stored row lacks are left out of the answer.
    """

    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField(
        help_text=_("The category's slug; category_id is its id, as a source's category.")
    )
    category_id = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The category's id, as in /api/v1/categories/; null only if the category was "
            "removed since."
        ),
    )
    gross = FigureField(decimal_places=2, required=False)
    net = FigureField(decimal_places=2, required=False)
    net_ttm = FigureField(decimal_places=2)
    gross_to_date = FigureField(decimal_places=2, required=False)
    net_to_date = FigureField(decimal_places=2, required=False, help_text=definition("net_to_date"))
    costs_to_date = FigureField(decimal_places=2, required=False)
    hours_to_date = FigureField(decimal_places=2, required=False)
    effective_hourly_rate = FigureField(
        decimal_places=2,
        allow_null=True,
        required=False,
        help_text=definition("effective_hourly_rate"),
    )
    cash_roi = FigureField(
        decimal_places=4, allow_null=True, required=False, help_text=definition("cash_roi")
    )
    full_roi = FigureField(
        decimal_places=4, allow_null=True, required=False, help_text=definition("full_roi")
    )
    payback_month = serializers.DateField(
        allow_null=True, required=False, help_text=definition("payback")
    )
    payback_projected = serializers.BooleanField(allow_null=True, required=False)
    return_basis = serializers.CharField(
        required=False,
        help_text=_(
            '"cash" (cash ROI, payback), "asset" (capital and rental: income yield, total '
            'return, income payback) or "none" (active sources: no ROI, no payback).'
        ),
    )
    money_put_in = FigureField(
        decimal_places=2, allow_null=True, required=False, help_text=definition("money_put_in")
    )
    asset_value = FigureField(decimal_places=2, allow_null=True, required=False)
    asset_value_date = serializers.DateField(allow_null=True, required=False)
    total_return = FigureField(
        decimal_places=2, allow_null=True, required=False, help_text=definition("total_return")
    )
    total_return_ratio = FigureField(decimal_places=4, allow_null=True, required=False)
    income_yield = FigureField(
        decimal_places=4, allow_null=True, required=False, help_text=definition("income_yield")
    )
    income_yield_base = serializers.CharField(allow_null=True, required=False)
    yield_on_cost = FigureField(
        decimal_places=4, allow_null=True, required=False, help_text=definition("yield_on_cost")
    )
    net_rental_yield = FigureField(
        decimal_places=4, allow_null=True, required=False, help_text=definition("net_rental_yield")
    )
    mrr = FigureField(
        decimal_places=2, allow_null=True, required=False, help_text=definition("mrr")
    )
    arr = FigureField(decimal_places=2, allow_null=True, required=False)
    churn_rate = FigureField(
        decimal_places=4, allow_null=True, required=False, help_text=definition("churn_rate")
    )
    arpu = FigureField(decimal_places=2, allow_null=True, required=False)
    ltv = FigureField(
        decimal_places=2,
        allow_null=True,
        required=False,
        help_text=described("ltv", _("Null at zero churn.")),
    )


class ReportDetailSerializer(ReportSnapshotSerializer):
    """A month with what was true of it while it was current: sources and concentration."""

    sources = serializers.SerializerMethodField()
    concentration = serializers.SerializerMethodField(
        help_text=_(
            "Share of passive net, 12 months, by source, category, currency, platform and "
            "country; each part with its stable code and its label."
        )
    )
    missing_rates = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Currencies whose payments are left out: no exchange rate."),
    )

    class Meta(ReportSnapshotSerializer.Meta):
        fields = (
            *ReportSnapshotSerializer.Meta.fields,
            "sources",
            "concentration",
            "missing_rates",
        )
        read_only_fields = fields

    @extend_schema_field(SnapshotSourceSerializer(many=True))
    def get_sources(self, snapshot: ReportSnapshot) -> list[dict[str, Any]]:
        rows = stored_sources(snapshot.sources or [], categories=self._categories)
        return [_SNAPSHOT_SOURCE.to_representation(row) for row in rows]

    @extend_schema_field(serializers.DictField(child=ShareSerializer(many=True)))
    def get_concentration(self, snapshot: ReportSnapshot) -> dict[str, list[dict[str, Any]]]:
        shares = stored_concentration(
            snapshot.concentration or {},
            sources=snapshot.sources or [],
            categories=self._categories,
        )
        return {
            key: [_SHARE.to_representation(item) for item in items] for key, items in shares.items()
        }


_SHARE = ShareSerializer()
_SNAPSHOT_SOURCE = SnapshotSourceSerializer()


class ProgressSerializer(Serializer):  # type: ignore[type-arg]
    phase = serializers.CharField(help_text=_("load, compute, project, write, done"))
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(help_text=_("0 to 100 over all phases."))


class RecomputeJobSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A recompute of the caller's reports; `progress` is null until a worker reports."""

    progress = serializers.SerializerMethodField()
    stalled = serializers.SerializerMethodField()

    class Meta:
        model = RecomputeJob
        fields = (
            "id",
            "status",
            "reason",
            "force",
            "months_written",
            "skipped",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "progress",
            "stalled",
        )
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, job: RecomputeJob) -> dict[str, Any] | None:
        if job.stalled(now=timezone.now(), lease=jobs_lease()):
            return None  # the last worker's figure is not moving any more
        progress = self.context.get("progress")
        return None if progress is None else dict(ProgressSerializer(progress).data)

    @extend_schema_field(serializers.BooleanField())
    def get_stalled(self, job: RecomputeJob) -> bool:
        """Running, but its worker stopped: waiting for another one (issue 25)."""
        return job.stalled(now=timezone.now(), lease=jobs_lease())
