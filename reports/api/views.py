"""Report API views: validate, call one service or selector, serialize. Nothing else."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from income.progress import progress_read
from reports import jobs, selectors
from reports.api.serializers import (
    MONTH_PATTERN,
    RecomputeJobSerializer,
    ReportDetailSerializer,
    ReportRangeSerializer,
    ReportSnapshotSerializer,
)
from reports.models import RecomputeJob, ReportSnapshot


def _owner(request: Request) -> User:
    return cast(User, request.user)


def _job_data(job: RecomputeJob) -> dict[str, Any]:
    progress = progress_read(kind="recompute", job_id=job.pk)
    return dict(RecomputeJobSerializer(job, context={"progress": progress}).data)


MONTH_PARAMETERS = [
    OpenApiParameter(
        name, OpenApiTypes.STR, required=False, pattern=MONTH_PATTERN, description=description
    )
    for name, description in (
        ("from", "First month included, YYYY-MM."),
        ("to", "Last month included, YYYY-MM."),
    )
]


class ReportListView(generics.ListAPIView):  # type: ignore[type-arg]
    """The caller's months, newest first, optionally from one month to another."""

    serializer_class = ReportSnapshotSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ReportSnapshot]:
        # A month of the list has no per-source figures: ``latest/`` has them.
        return selectors.snapshot_list(owner=_owner(self.request)).defer(
            "sources", "concentration", "missing_rates"
        )

    @extend_schema(parameters=MONTH_PARAMETERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        months = ReportRangeSerializer(data=request.query_params)
        months.is_valid(raise_exception=True)
        snapshots = self.get_queryset()
        if "from" in months.validated_data:
            snapshots = snapshots.filter(month__gte=months.validated_data["from"])
        if "to" in months.validated_data:
            snapshots = snapshots.filter(month__lte=months.validated_data["to"])
        page = self.paginate_queryset(snapshots)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ReportLatestView(APIView):
    """The newest month with its sources and concentration."""

    @extend_schema(
        responses={
            200: ReportDetailSerializer,
            404: OpenApiResponse(description="No report computed yet"),
        }
    )
    def get(self, request: Request) -> Response:
        snapshot = selectors.snapshot_latest(owner=_owner(request))
        if snapshot is None:
            raise NotFound(
                _(
                    "No report yet. Reports are computed shortly after your first payment; "
                    "POST /api/v1/reports/recompute/ to compute them now."
                )
            )
        return Response(ReportDetailSerializer(snapshot).data)


class ReportRecomputeView(APIView):
    """Queue a recompute of every month of the caller; follow it at the job's URL.

    One at a time: while one of the caller's is queued or running, the answer is that
    job (200, same body and ``Location``) and nothing new is queued.
    """

    @extend_schema(
        request=None,
        responses={
            202: RecomputeJobSerializer,
            200: OpenApiResponse(
                RecomputeJobSerializer,
                description="A recompute of the caller's is already waiting or running: that one",
            ),
        },
    )
    def post(self, request: Request) -> Response:
        outcome = jobs.recompute_request(owner=_owner(request))
        job = outcome.job
        job.refresh_from_db()  # a worker that runs tasks eagerly may have finished it already
        return Response(
            _job_data(job),
            status=status.HTTP_202_ACCEPTED if outcome.created else status.HTTP_200_OK,
            headers={"Location": reverse("api-report-job", kwargs={"pk": job.pk})},
        )


class RecomputeJobView(APIView):
    """One of the caller's recompute jobs: its status and, while it runs, its progress."""

    @extend_schema(
        responses={
            200: RecomputeJobSerializer,
            404: OpenApiResponse(description="Not one of the caller's jobs"),
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(selectors.recompute_job_list(owner=_owner(request)), pk=pk)
        return Response(_job_data(job))
