"""Import API views: validate, call one service or selector, serialize. Nothing else."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from config.api.parsers import BoundedMultiPartParser, BoundedUploadMixin
from imports import jobs, selectors, services
from imports.api.serializers import (
    ImportMappingSerializer,
    ImportPreviewRequestSerializer,
    ImportPreviewSerializer,
    PaymentImportCreateSerializer,
    PaymentImportSerializer,
    PresetSerializer,
    preview_data,
)
from imports.models import ImportMapping, PaymentImport
from imports.parsing.billing.presets import BILLING_PRESETS
from imports.parsing.presets import PRESETS
from income.api.views import OwnedViewSet


@extend_schema(
    description=(
        "Statement imports (PRODUCT.md §8). An upload is imported by a worker: poll the "
        "job until its status is done, rejected or failed. Known layouts (presets) need "
        "no mapping; preview a file to see how it is read before importing it."
    )
)
class PaymentImportViewSet(BoundedUploadMixin, OwnedViewSet):
    """Upload a statement to import, and follow the job; no edits, the file is not sent back.

    A file over ``IMPORT_MAX_BYTES`` is refused while it is read, with a 413, before
    anything is stored (``config.api.parsers``).
    """

    serializer_class = PaymentImportSerializer
    parser_classes = [BoundedMultiPartParser]
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ("status",)
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

    @property
    def max_upload_bytes(self) -> int:
        return int(settings.IMPORT_MAX_BYTES)

    def get_queryset(self) -> QuerySet[PaymentImport]:
        if getattr(self, "swagger_fake_view", False):  # the schema has no caller
            return PaymentImport.objects.none()
        return selectors.payment_import_list(owner=self.owner())

    @extend_schema(
        request={"multipart/form-data": PaymentImportCreateSerializer},
        responses={
            202: PaymentImportSerializer,
            400: OpenApiResponse(description="Field errors (file too large, not your source)"),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Store the file and queue its import; answers at once with the queued job.

        A billing platform's subscription or member export is recognised by its header
        (``kind`` billing): its customers go to ``source`` (a subscription source), else
        to the source of the platform's last import, else to a new one; ``mapping`` and
        ``sources`` do not apply to it.

        Reading stops one byte past the limit: enough for the service to refuse the
        file, without holding an oversized upload in memory. The upload, its mapping
        and the claim are one transaction, so a refused mapping leaves no upload
        behind, and the task is sent when it commits.
        """
        serializer = PaymentImportCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        file = data["file"]
        upload = jobs.payment_import_submit(
            owner=self.owner(),
            filename=file.name,
            content=file.read(settings.IMPORT_MAX_BYTES + 1),
            source=data.get("source"),
            mapping=data.get("mapping"),
            sources=data.get("sources"),
            partial=data["partial"],
            save_as=data.get("save_as", ""),
        )
        body = PaymentImportSerializer(upload, context=self.get_serializer_context()).data
        location = reverse("api-import-detail", kwargs={"pk": upload.pk}, request=request)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    @extend_schema(
        request={"multipart/form-data": ImportPreviewRequestSerializer},
        responses={200: ImportPreviewSerializer, 400: OpenApiResponse(description="Field errors")},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """Read a file as its import would (the mapping step), without keeping it."""
        serializer = ImportPreviewRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        preview = services.statement_preview(
            owner=self.owner(),
            content=data["file"].read(settings.IMPORT_MAX_BYTES + 1),
            source=data.get("source"),
            mapping=data.get("mapping"),
            sources=data.get("sources"),
        )
        return Response(ImportPreviewSerializer(preview_data(preview)).data)

    @extend_schema(responses={200: PresetSerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def presets(self, request: Request) -> Response:
        """The layouts recognised by their header, imported with no mapping step.

        A short fixed list, not import jobs: the jobs' ``?status=`` and ``?ordering=``
        mean nothing here, so the action takes no filters and the schema offers none
        (issue 20: they were documented and silently ignored).
        """
        presets = [*PRESETS.values(), *BILLING_PRESETS.values()]
        return Response(PresetSerializer(presets, many=True).data)

    @extend_schema(
        responses={(200, "text/csv"): OpenApiResponse(description="The rejected lines, as CSV")}
    )
    @action(detail=True, methods=["get"])
    def rejected(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The lines of the file that were not imported, with their line and reasons."""
        upload = selectors.payment_import_with_content(owner=self.owner(), pk=self.get_object().pk)
        response = HttpResponse(
            services.payment_import_rejected_lines(upload=upload), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="rejected-{upload.pk}.csv"'
        return response


class ImportMappingViewSet(OwnedViewSet):
    """Your saved mappings: files with the same header import with them, no step."""

    serializer_class = ImportMappingSerializer
    http_method_names = ["get", "delete", "head", "options"]
    ordering = ("name", "id")

    def get_queryset(self) -> QuerySet[ImportMapping]:
        if getattr(self, "swagger_fake_view", False):
            return ImportMapping.objects.none()
        return selectors.import_mapping_list(owner=self.owner())

    def perform_destroy(self, instance: ImportMapping) -> None:
        services.import_mapping_delete(mapping=instance)
