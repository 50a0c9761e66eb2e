"""Serializers of the import API: an upload in, an import job out (its file never)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from imports.models import ImportStatus, PaymentImport
from income.api.serializers import OwnedSourceField
from income.progress import progress_read


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
class ColumnMappingField(serializers.JSONField):
    """Field name → column header, sent as one JSON object (a JSON part in multipart)."""


class PaymentImportCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """``POST /api/v1/imports/`` (multipart): the file, and how to read it."""

    file = serializers.FileField(
        help_text=_("The CSV file: German or English number and date formats are recognised.")
    )
    source = OwnedSourceField(  # type: ignore[assignment]
        required=False,
        allow_null=True,
        help_text=_("Id of one of your sources, for rows without a source column."),
    )
    mapping = ColumnMappingField(
        required=False,
        help_text=_(
            'JSON object field → column header, e.g. {"date": "Datum", "gross": "Betrag"}; '
            "an empty header means the field is not in the file; fields left out are "
            "recognised by their usual header names."
        ),
    )

    def validate_mapping(self, value: object) -> dict[str, str]:
        """Only the shape; which field names are allowed is the service's rule."""
        if not isinstance(value, dict) or not all(
            isinstance(key, str) and isinstance(header, str) for key, header in value.items()
        ):
            raise serializers.ValidationError(
                _("Send a JSON object of field names to column headers (text).")
            )
        return value


class ImportErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField(
        allow_null=True, help_text=_("Line of the file (1 is the header); null for the whole file.")
    )
    field = serializers.CharField(allow_null=True)
    message = serializers.SerializerMethodField()

    def get_message(self, error: dict[str, Any]) -> str:
        """Stored untranslated, so each caller reads it in their own language."""
        return gettext(str(error["message"]))


class ImportProgressSerializer(serializers.Serializer):  # type: ignore[type-arg]
    phase = serializers.ChoiceField(
        choices=["parse", "write", "done"],
        help_text=_("parse: checking the rows (0–50 %); write: saving them (50–100 %)."),
    )
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)


class PaymentImportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An import job; the file's content is never sent back."""

    errors = ImportErrorSerializer(many=True, read_only=True)  # type: ignore[assignment]
    progress = serializers.SerializerMethodField(
        help_text=_("How far a queued or running import got; null otherwise.")
    )

    class Meta:
        model = PaymentImport
        fields = (
            "id", "filename", "status", "source", "total_rows", "created_rows",
            "duplicate_rows", "errors", "progress", "created_at", "started_at", "finished_at",
        )  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ImportProgressSerializer(allow_null=True))
    def get_progress(self, upload: PaymentImport) -> dict[str, Any] | None:
        if upload.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return None
        progress = progress_read(kind="import", job_id=upload.pk)
        return None if progress is None else dict(ImportProgressSerializer(progress).data)
