"""Import API views: validate, call one service or selector, serialize. Nothing else."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from imports import selectors, services
from imports.api.serializers import PaymentImportCreateSerializer, PaymentImportSerializer
from imports.models import PaymentImport
from income.api.views import OwnedViewSet


@extend_schema(
    description=(
        "CSV payment imports (PRODUCT.md §5). An upload is imported by a worker: poll "
        "the job until its status is done, rejected or failed."
    )
)
class PaymentImportViewSet(OwnedViewSet):
    """Upload a CSV file to import, and follow the job; no edits, the file is not sent back."""

    serializer_class = PaymentImportSerializer
    parser_classes = [MultiPartParser]
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ("status",)
    ordering_fields = ("created_at",)
    ordering = ("-created_at", "-id")

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

        Reading stops one byte past the limit: enough for the service to refuse the
        file, without holding an oversized upload in memory. The upload, its mapping
        and the claim are one transaction, so a refused mapping leaves no upload
        behind, and the task is sent when it commits.
        """
        serializer = PaymentImportCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        file = data["file"]
        upload = services.payment_import_submit(
            owner=self.owner(),
            filename=file.name,
            content=file.read(settings.IMPORT_MAX_BYTES + 1),
            source=data.get("source"),
            mapping=data.get("mapping"),
        )
        body = PaymentImportSerializer(upload, context=self.get_serializer_context()).data
        location = reverse("api-import-detail", kwargs={"pk": upload.pk}, request=request)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})
