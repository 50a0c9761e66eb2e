"""The API side of "Your data": the export document, its import, the account's deletion."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api.parsers import LargeJSONParser
from config.api.serializers import ModelSerializer, Serializer
from jobs.leases import jobs_lease
from portability import selectors, services
from portability.models import DataImport
from portability.schema import ExportDocumentSerializer, ImportDocumentSerializer
from portability.views import import_job_context, zip_response


class DataImportProgressSerializer(Serializer):  # type: ignore[type-arg]
    phase = serializers.CharField(help_text="The table being written.")
    done = serializers.IntegerField(help_text="Rows written so far, of all tables.")
    total = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)


class DataImportSerializer(ModelSerializer):  # type: ignore[type-arg]
    """An import of an export: queued, running (with progress), done (with the rows
    written per table) or failed (with what was refused; nothing was kept)."""

    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    # The metaclass takes declared fields off the class: ``Serializer.errors`` stays intact.
    errors = serializers.ListField(child=serializers.CharField(), read_only=True)  # type: ignore[assignment]
    progress = serializers.SerializerMethodField()
    stalled = serializers.SerializerMethodField(
        help_text=gettext_lazy("Running, but its worker stopped: waiting for another one.")
    )

    class Meta:
        model = DataImport
        fields = (
            "id", "status", "counts", "errors", "progress", "stalled", "created_at",
            "started_at", "finished_at",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_stalled(self, job: DataImport) -> bool:
        """The stored status stays as it is (the answer is the stored state); ``stalled``
        says that its worker stopped and it waits for the next one (issue 25)."""
        return job.stalled(now=timezone.now(), lease=jobs_lease())

    @extend_schema_field(DataImportProgressSerializer(allow_null=True))
    def get_progress(self, job: DataImport) -> dict[str, Any] | None:
        if job.stalled(now=timezone.now(), lease=jobs_lease()):
            return None  # the last worker's figure is not moving any more
        progress = self.context.get("progress")
        return None if progress is None else asdict(progress)


class DeleteSerializer(Serializer):  # type: ignore[type-arg]
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


def _user(request: Request) -> User:
    return cast(User, request.user)


class ExportView(APIView):
    """All of the caller's own data as one document (what ``import/`` reads back)."""

    @extend_schema(responses={200: ExportDocumentSerializer})
    def get(self, request: Request) -> Response:
        return Response(services.account_document(user=_user(request)))


class ExportZipView(APIView):
    """The same document and one CSV per table, in a zip."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    def get(self, request: Request) -> Response:
        return zip_response(services.account_export(user=_user(request)))  # type: ignore[return-value]


def _job_data(job: DataImport) -> dict[str, Any]:
    context = import_job_context(job)
    data = dict(DataImportSerializer(job, context={"progress": context["progress"]}).data)
    data["errors"] = context["errors"]  # in the caller's language
    return data


class ImportView(APIView):
    """Queue an export's import into this account, which must have no sources or
    scenarios yet; follow the job at ``Location``. All of it is imported, or nothing.

    The body is the export's JSON, up to ``DATA_IMPORT_MAX_BYTES`` (64 MB): more than
    the API's usual 2 MB, so it is read by ``LargeJSONParser``, which stops reading at
    the bound (413) instead of going through Django's 2 MB ``request.body``.
    """

    parser_classes = [LargeJSONParser]

    @property
    def max_json_bytes(self) -> int:
        return int(settings.DATA_IMPORT_MAX_BYTES)

    @extend_schema(
        request=ImportDocumentSerializer,
        responses={
            202: DataImportSerializer,
            400: OpenApiResponse(description="Not an export, or the account has data already"),
            413: OpenApiResponse(description="The body is over DATA_IMPORT_MAX_BYTES (64 MB)"),
        },
    )
    def post(self, request: Request) -> Response:
        job = services.data_import_start(user=_user(request), document=request.data)
        job.refresh_from_db()  # a worker that runs tasks eagerly may have finished it already
        return Response(
            _job_data(job),
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("api-me-import-job", kwargs={"pk": job.pk})},
        )


class ImportJobView(APIView):
    """One of the caller's imports: its status, progress while it runs, then its outcome."""

    @extend_schema(
        responses={
            200: DataImportSerializer,
            404: OpenApiResponse(description="Not one of the caller's imports"),
        }
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(selectors.data_import_list(owner=_user(request)), pk=pk)
        return Response(_job_data(job))


class DeleteAccountView(APIView):
    """Delete the account with everything in it; the password confirms it."""

    @extend_schema(request=DeleteSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        serializer = DeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = _user(request)
        if not user.check_password(serializer.validated_data["password"]):
            raise ValidationError({"password": [_("The password is not right.")]})
        services.account_delete(user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)
