"""Serializers of the import API: an upload in, an import job out (its file never)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import ModelSerializer, Serializer
from imports.billing import BillingPreview
from imports.models import IMPORT_KINDS, ImportMapping, ImportStatus, PaymentImport
from imports.parsing.billing.presets import BillingPreset
from imports.parsing.billing.rows import BillingResult
from imports.parsing.columns import FIELDS
from imports.parsing.dates import ORDERS
from imports.parsing.kinds import KINDS, SKIP
from imports.parsing.messages import SKIP_REASONS
from imports.parsing.options import MAX_TEXT, MAX_TYPES, NEGATIVES, NUMBER_FORMATS, SIGNS
from imports.parsing.statement import StatementResult
from income.api.serializers.base import OwnedSourceField
from income.progress import progress_read
from jobs.leases import jobs_lease


def _mapping_schema() -> dict[str, Any]:
    """The mapping's JSON Schema, as ``Options.from_json`` checks it (issue 20: the schema
    said "an object" and ``{"": 1}`` was refused): the options with their types and
    bounds and nothing else, or the older field → header form."""

    def text(**extra: Any) -> dict[str, Any]:  # a fresh dict each: no YAML aliases
        return {"type": "string", "maxLength": MAX_TEXT, **extra}

    def column() -> dict[str, Any]:
        return {"anyOf": [text(nullable=True), {"type": "integer", "minimum": 0, "maximum": 999}]}

    kinds = [*KINDS, *(f"{SKIP}:{reason}" for reason in SKIP_REASONS)]
    options = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "header_line": {"type": "integer", "minimum": 1, "maximum": 1000, "nullable": True},
            "columns": {
                "type": "object",
                "nullable": True,
                "additionalProperties": False,
                "properties": {field: column() for field in FIELDS},
            },
            "guess": {"type": "boolean"},
            "number_format": {"type": "string", "enum": list(NUMBER_FORMATS), "nullable": True},
            "date_order": {"type": "string", "enum": list(ORDERS), "nullable": True},
            "types": {
                "type": "object",
                "nullable": True,
                "maxProperties": MAX_TYPES,
                "additionalProperties": {"type": "string", "enum": kinds},
            },
            "skip_statuses": {
                "type": "array",
                "nullable": True,
                "maxItems": MAX_TYPES,
                "items": text(),
            },
            "negative": {"type": "string", "enum": list(NEGATIVES)},
            "fee_sign": {"type": "string", "enum": list(SIGNS)},
            "tax_sign": {"type": "string", "enum": list(SIGNS)},
            "currency": text(nullable=True),
            "source_fallback": text(nullable=True),
        },
    }
    older = {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {field: {"type": "string"} for field in FIELDS},
    }
    return {"anyOf": [options, older]}


@extend_schema_field(
    {
        **_mapping_schema(),
        "description": (
            "How to read the file (PRODUCT.md §8): header_line (1-based, null finds it); "
            "columns {field: column name or 0-based position, null = not in the file} for "
            "the fields " + ", ".join(FIELDS) + "; guess (true: fields left out are "
            "recognised by their usual names); number_format (de, en); date_order (dmy, "
            "mdy, ymd); types {type value: income | refund | tax | foreign_tax | skip:<reason>}; "
            "skip_statuses [status values]; negative (auto, reduce, skip); fee_sign and "
            "tax_sign (auto, negative, positive: the sign of a charged fee or withheld "
            "tax); currency (when the file names none); source_fallback (the source of rows "
            "without one). Left out, the layout is detected: your saved mapping for the "
            'header, a preset, or guessed columns. The older form {"date": "Datum", '
            '"gross": "Betrag"} (field → header) is still read as the columns.'
        ),
    }
)
class ImportMappingField(serializers.JSONField):
    """The mapping, sent as one JSON object (a JSON part in multipart)."""


@extend_schema_field(
    {
        "type": "object",
        "description": (
            "Source value of the file (an ISIN, a product, a payer) → "
            '{"source": <id of one of your sources>} or {"category": "<category slug>"} '
            "for a new source. Values left out go to a remembered or same-named source of "
            "yours, else to a new source in the preset's category."
        ),
        "additionalProperties": {"type": "object"},
    }
)
class SourceChoicesField(serializers.JSONField):
    """Where the rows of each source value go."""


class PaymentImportCreateSerializer(Serializer):  # type: ignore[type-arg]
    """``POST /api/v1/imports/`` (multipart): the file, and how to read it."""

    file = serializers.FileField(
        help_text=_(
            "The CSV file as downloaded from your bank, broker or platform; known layouts "
            "(GET /api/v1/imports/presets/) need no mapping."
        )
    )
    # Not nullable: a multipart part is text, and "null" is not an id; leave the part
    # out (or empty) for no source (issue 20: the schema offered null, sent as "null").
    source = OwnedSourceField(  # type: ignore[assignment]
        required=False,
        help_text=_("Id of one of your sources: every row goes there."),
    )
    mapping = ImportMappingField(required=False)
    sources = SourceChoicesField(required=False)
    partial = serializers.BooleanField(  # type: ignore[assignment]
        required=False,
        default=False,
        help_text=_("Import the rows without errors and list the others (default: all or none)."),
    )
    save_as = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=120,
        help_text=_("Save the mapping under this name for your files with the same header."),
    )

    def validate_mapping(self, value: object) -> dict[str, Any]:
        """The shape only (the service checks every key); the older field → header form is
        read as the columns, so clients written for it keep working."""
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Send the mapping as a JSON object."))
        if (
            value
            and set(value) <= set(FIELDS)
            and all(isinstance(header, str) for header in value.values())
        ):
            return {"columns": {field: header or None for field, header in value.items()}}
        return value

    def validate_sources(self, value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Send the sources as a JSON object."))
        return value


class ImportPreviewRequestSerializer(Serializer):  # type: ignore[type-arg]
    """``POST /api/v1/imports/preview/`` (multipart): a file read without importing it."""

    file = serializers.FileField(help_text=_("The CSV file."))
    source = OwnedSourceField(  # type: ignore[assignment]
        required=False, help_text=_("Id of one of your sources.")
    )
    mapping = ImportMappingField(required=False)
    sources = SourceChoicesField(required=False)

    validate_mapping = PaymentImportCreateSerializer.validate_mapping
    validate_sources = PaymentImportCreateSerializer.validate_sources


class ImportErrorSerializer(Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField(
        allow_null=True, help_text=_("Line of the file (1 is the header); null for the whole file.")
    )
    field = serializers.CharField(allow_null=True)
    message = serializers.SerializerMethodField()

    def get_message(self, error: dict[str, Any]) -> str:
        """Stored untranslated, so each caller reads it in their own language."""
        return gettext(str(error["message"]))


class ImportProgressSerializer(Serializer):  # type: ignore[type-arg]
    phase = serializers.ChoiceField(
        choices=["parse", "write", "done"],
        help_text=_("parse: checking the rows (0–50 %); write: saving them (50–100 %)."),
    )
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)


class PaymentImportSerializer(ModelSerializer):  # type: ignore[type-arg]
    """An import job; the file's content is never sent back."""

    errors = ImportErrorSerializer(many=True, read_only=True)  # type: ignore[assignment]
    progress = serializers.SerializerMethodField(
        help_text=_("How far a queued or running import got; null otherwise.")
    )
    stalled = serializers.SerializerMethodField(
        help_text=_("Running, but its worker stopped: waiting for another one.")
    )

    class Meta:
        model = PaymentImport
        fields = (
            "id", "filename", "kind", "status", "source", "preset", "partial", "total_rows",
            "created_rows", "duplicate_rows", "updated_rows", "skipped_rows", "rejected_rows",
            "created_sources", "errors", "progress", "stalled", "created_at", "started_at",
            "finished_at",
        )  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "source": {
                "help_text": _(
                    "The default source; for a billing export, the subscription source its "
                    "customers went to, once imported."
                )
            },
            "created_rows": {
                "help_text": _("Payments imported; for a billing export, new subscriptions.")
            },
            "duplicate_rows": {
                "help_text": _(
                    "Rows already there; for a billing export, known subscriptions the file "
                    "did not change."
                )
            },
            "updated_rows": {
                "help_text": _("For a billing export, known subscriptions the file changed.")
            },
        }

    kind = serializers.ChoiceField(
        choices=IMPORT_KINDS,
        read_only=True,
        help_text=_(
            "payments: a statement; billing: a billing platform's subscription or member "
            "export, imported into a subscription source's customers."
        ),
    )

    @extend_schema_field(serializers.BooleanField())
    def get_stalled(self, upload: PaymentImport) -> bool:
        """The stored status stays as it is (issue 25: the answer is the stored state);
        ``stalled`` says that its worker stopped and it waits for the next one."""
        return upload.stalled(now=timezone.now(), lease=jobs_lease())

    @extend_schema_field(ImportProgressSerializer(allow_null=True))
    def get_progress(self, upload: PaymentImport) -> dict[str, Any] | None:
        if upload.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return None
        if upload.stalled(now=timezone.now(), lease=jobs_lease()):
            return None  # the last worker's figure is not moving any more
        progress = progress_read(kind="import", job_id=upload.pk)
        return None if progress is None else dict(ImportProgressSerializer(progress).data)


class PresetSerializer(Serializer):  # type: ignore[type-arg]
    """A layout recognised by its header, imported with no mapping step."""

    key = serializers.CharField()
    kind = serializers.SerializerMethodField(
        help_text=_("payments: a statement; billing: subscriptions for a subscription source.")
    )
    name = serializers.CharField()
    description = serializers.SerializerMethodField()
    category = serializers.CharField(help_text=_("Category slug of the sources it creates."))
    signature = serializers.ListField(
        child=serializers.CharField(), help_text=_("Header names that identify the layout.")
    )

    def get_description(self, preset: Any) -> str:
        return gettext(preset.description) if preset.description else ""

    @extend_schema_field(serializers.ChoiceField(choices=IMPORT_KINDS))
    def get_kind(self, preset: Any) -> str:
        return "billing" if isinstance(preset, BillingPreset) else "payments"


class PreviewPaymentSerializer(Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField()
    date = serializers.DateField()
    gross = serializers.DecimalField(max_digits=15, decimal_places=2)
    tax_withheld = serializers.DecimalField(max_digits=15, decimal_places=2)
    foreign_tax = serializers.DecimalField(
        max_digits=15,
        decimal_places=2,
        help_text=_("Of the tax withheld, the part the source country took."),
    )
    fees = serializers.DecimalField(max_digits=15, decimal_places=2)
    currency = serializers.CharField()
    note = serializers.CharField()
    external_id = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True, help_text=_("The value naming the source."))  # type: ignore[assignment]
    merged_lines = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Withholding-tax rows merged into it.")
    )


class PreviewSkippedSerializer(Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=sorted(SKIP_REASONS))
    reason_text = serializers.SerializerMethodField()
    value = serializers.CharField(help_text=_("The row's type value, if any."))
    into_line = serializers.IntegerField(allow_null=True)

    def get_reason_text(self, skipped: Any) -> str:
        return gettext(SKIP_REASONS[skipped.reason])


class PreviewTypeValueSerializer(Serializer):  # type: ignore[type-arg]
    value = serializers.CharField()
    count = serializers.IntegerField()
    kind = serializers.CharField()


class PreviewSourceSerializer(Serializer):  # type: ignore[type-arg]
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    rows = serializers.IntegerField()
    source = serializers.IntegerField(source="source.pk", allow_null=True, default=None)  # type: ignore[assignment]
    how = serializers.ChoiceField(choices=["chosen", "alias", "name", "create"])
    category = serializers.CharField(source="category.slug", allow_null=True, default=None)


class PreviewSubscriptionSerializer(Serializer):  # type: ignore[type-arg]
    line = serializers.IntegerField()
    customer = serializers.CharField(help_text=_("The platform's id of the customer."))
    customer_name = serializers.CharField()
    subscription = serializers.CharField(help_text=_("The platform's id of the subscription."))
    plan = serializers.CharField()
    amount = serializers.DecimalField(
        max_digits=15, decimal_places=2, help_text=_("One unit's price per period.")
    )
    currency = serializers.CharField()
    interval = serializers.ChoiceField(choices=["day", "week", "month", "year"])
    interval_count = serializers.IntegerField()
    quantity = serializers.IntegerField()
    percent_off = serializers.DecimalField(max_digits=7, decimal_places=6)
    amount_off = serializers.DecimalField(max_digits=15, decimal_places=2)
    started = serializers.DateField()
    trial_ends = serializers.DateField(allow_null=True)
    cancelled_on = serializers.DateField(allow_null=True)
    ended = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text=_("The status as the export wrote it."))


class PreviewBillingTargetSerializer(Serializer):  # type: ignore[type-arg]
    source = serializers.IntegerField(source="source.pk", allow_null=True, default=None)  # type: ignore[assignment]
    name = serializers.CharField()
    how = serializers.ChoiceField(choices=["chosen", "remembered", "create"])
    category = serializers.CharField(source="category.slug", allow_null=True, default=None)


class PreviewBillingSerializer(Serializer):  # type: ignore[type-arg]
    """A billing export's part of the preview."""

    subscriptions_count = serializers.IntegerField()
    customers_count = serializers.IntegerField()
    new_subscriptions = serializers.IntegerField(
        help_text=_("Subscriptions the target source does not have yet.")
    )
    new_customers = serializers.IntegerField()
    target = PreviewBillingTargetSerializer(
        help_text=_("The subscription source the customers go to, or the one to be created.")
    )
    subscriptions = PreviewSubscriptionSerializer(many=True)


class ImportPreviewSerializer(Serializer):  # type: ignore[type-arg]
    """What the file would import: the layout read, the rows, the skipped rows and why.

    A billing export (``kind`` billing) has no payments: its subscriptions and where they
    go are in ``billing``, which is null for a statement.
    """

    kind = serializers.ChoiceField(choices=IMPORT_KINDS)
    billing = PreviewBillingSerializer(allow_null=True)
    preset = serializers.CharField(allow_null=True)
    saved_mapping = serializers.CharField(allow_null=True)
    header_line = serializers.IntegerField(allow_null=True)
    header = serializers.ListField(child=serializers.CharField())
    columns = serializers.DictField(child=serializers.IntegerField())
    mapping = serializers.DictField(help_text=_("The mapping the file was read with."))
    number_format = serializers.CharField()
    date_order = serializers.CharField()
    total_rows = serializers.IntegerField()
    payments_count = serializers.IntegerField()
    skipped_count = serializers.IntegerField()
    payments = PreviewPaymentSerializer(many=True)
    skipped = PreviewSkippedSerializer(many=True)
    errors = ImportErrorSerializer(many=True)  # type: ignore[assignment]
    file_errors = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
    type_values = PreviewTypeValueSerializer(many=True)
    sources = PreviewSourceSerializer(many=True)


class ImportMappingSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A saved mapping: files with this header import with it, no step."""

    class Meta:
        model = ImportMapping
        fields = ("id", "name", "header", "options", "created_at", "updated_at")
        read_only_fields = fields


def preview_data(preview: Any, *, shown: int = 200) -> dict[str, Any]:
    """A preview as ``ImportPreviewSerializer`` reads it: the first ``shown`` rows of each
    list (a 100,000-row statement is not sent back whole), with the counts of all."""
    if isinstance(preview, BillingPreview):
        return _billing_preview_data(preview, shown=shown)
    result = preview.result
    return {
        "kind": "payments",
        "billing": None,
        "preset": preview.reading.preset.key if preview.reading.preset else None,
        "saved_mapping": preview.reading.saved.name if preview.reading.saved else None,
        "header_line": result.header_line,
        "header": list(result.header),
        "columns": result.columns,
        "mapping": result.options.to_json(),
        "number_format": result.number_format,
        "date_order": result.date_order,
        "payments_count": len(result.rows),
        "payments": result.rows[:shown],
        "type_values": result.type_values,
        "sources": list(preview.plans.values()),
        **_reading_data(result, shown=shown),
    }


def _billing_preview_data(preview: BillingPreview, *, shown: int) -> dict[str, Any]:
    result = preview.result
    return {
        "kind": "billing",
        "billing": {
            "subscriptions_count": len(result.rows),
            "customers_count": result.customers,
            "new_subscriptions": preview.new_subscriptions,
            "new_customers": preview.new_customers,
            "target": preview.target,
            "subscriptions": result.rows[:shown],
        },
        "preset": result.preset,
        "saved_mapping": None,
        "header_line": result.header_line,
        "header": list(result.header),
        "columns": {},
        "mapping": {},
        "number_format": "",
        "date_order": "",
        "payments_count": 0,
        "payments": [],
        "type_values": [],
        "sources": [],
        **_reading_data(result, shown=shown),
    }


def _reading_data(result: StatementResult | BillingResult, *, shown: int) -> dict[str, Any]:
    """What every file's preview says of its reading: the rows in it, the skipped rows
    and the errors (the first ``shown`` of each), the file's errors and warnings."""
    return {
        "total_rows": result.total_rows,
        "skipped_count": len(result.skipped),
        "skipped": result.skipped[:shown],
        "errors": [
            {"line": e.line, "field": e.field, "message": e.message} for e in result.errors[:shown]
        ]
        + [{"line": None, "field": None, "message": m} for m in result.file_errors],
        "file_errors": [gettext(m) for m in result.file_errors],
        "warnings": [gettext(m) for m in result.warnings],
    }
