"""The export document typed for the OpenAPI schema: one row type per table (issue 20).

The rows are written from the column lists the export and the import share
(``portability.services.columns``), each column typed from its model field, so the schema
cannot drift from the document: a column added to a list is in both at once. Amounts
are decimal strings, dates ISO dates, shared content (categories, tax profiles) slugs,
and rows point at their source by ``ref``, as ``portability.document`` says; billing
rows (issue 23) point one level deeper, at their customer or subscription, the same way.

The export writes every column (``Export…`` components, every field required); the
import takes a row with columns left out, which then get the model's default
(``Import…`` components, only the references required).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from income.models import (
    AllowanceOrder,
    AssetValue,
    BillingSubscription,
    Cost,
    Customer,
    EffortLog,
    FundYear,
    IncomeSource,
    Payment,
    Profile,
    SubscriptionPause,
    SubscriptionPeriod,
)
from portability import services
from portability.document import FORMAT, TABLES, VERSION
from scenarios.models import Scenario

Field = serializers.Field[Any, Any, Any, Any]


#: Shared content is named by slug: the importing database has its own ids for it.
_SLUG_HELP = {
    "category": _("The category's slug, as /api/v1/categories/ lists it."),
    "tax_profile": _("The tax profile's slug, as /api/v1/tax-profiles/ lists it; null for none."),
    "default_tax_profile": _(
        "The tax profile's slug, as /api/v1/tax-profiles/ lists it; null for none."
    ),
}


def _column(model: type[models.Model], name: str, *, required: bool) -> Field:
    """The serializer field of one column, as ``portability.document.plain`` writes it."""
    field = model._meta.get_field(name)
    common: dict[str, Any] = {"required": required}
    if getattr(field, "null", False):
        common["allow_null"] = True
    text = field.help_text or field.verbose_name  # type: ignore[union-attr]
    if text:
        common["help_text"] = text
    if name in services.SLUGGED:
        common["help_text"] = _SLUG_HELP[name]
        return serializers.SlugField(**common)
    if isinstance(field, models.DecimalField) and field.choices:
        # The profile's church tax: one of a few rates, written as the export writes them.
        return serializers.ChoiceField(
            choices=[(str(value), label) for value, label in field.flatchoices], **common
        )
    if isinstance(field, models.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, **common
        )
    if isinstance(field, models.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(field, models.DateField):
        return serializers.DateField(**common)
    if isinstance(field, models.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, models.PositiveIntegerField | models.PositiveSmallIntegerField):
        return serializers.IntegerField(min_value=0, **common)
    if isinstance(field, models.IntegerField):
        return serializers.IntegerField(**common)
    if isinstance(field, models.CharField | models.TextField):
        if field.choices:
            # A blank choice that the model allows (a source's fund type) is written as "".
            return serializers.ChoiceField(choices=field.choices, allow_blank=field.blank, **common)
        return serializers.CharField(
            max_length=field.max_length, allow_blank=field.blank, trim_whitespace=False, **common
        )
    raise TypeError(f"{model.__name__}.{name}: no column type for {type(field).__name__}")


_REF = _("The source's id in the exporting account: rows point at their source by it.")
_CUSTOMER_REF = _("The customer's id in the exporting account: its subscriptions point at it.")
_SUBSCRIPTION_REF = _("The subscription's id in the exporting account: its pauses point at it.")


def _row_serializer(
    name: str,
    model: type[models.Model],
    columns: Iterable[str],
    *,
    export: bool,
    references: dict[str, Field] | None = None,
) -> type[serializers.Serializer]:  # type: ignore[type-arg]
    """A serializer class named ``Export<name>`` or ``Import<name>``: the references
    (always required), then one field per column (required in the export only)."""
    fields: dict[str, Any] = dict(references or {})
    fields.update({column: _column(model, column, required=export) for column in columns})
    prefix = "Export" if export else "Import"
    fields["__doc__"] = (
        f"One row of the document's {name} table, as the export writes it (every column)."
        if export
        else f"One row of the document's {name} table, as the import takes it: a column "
        "left out gets the model's default."
    )
    fields["__module__"] = __name__
    return type(f"{prefix}{name}", (serializers.Serializer,), fields)


def _rows(*, export: bool) -> dict[str, type[serializers.Serializer]]:  # type: ignore[type-arg]
    """The row type of each of ``TABLES``, and of the profile."""

    def source_ref() -> dict[str, Field]:
        return {"source": serializers.IntegerField(help_text=_REF)}

    return {
        "profile": _row_serializer("Profile", Profile, services.PROFILE_FIELDS, export=export),
        "sources": _row_serializer(
            "Source",
            IncomeSource,
            services.SOURCE_FIELDS,
            export=export,
            references={
                "ref": serializers.IntegerField(
                    help_text=_("The source's id in the exporting account; other rows use it.")
                )
            },
        ),
        "payments": _row_serializer(
            "Payment", Payment, services.PAYMENT_FIELDS, export=export, references=source_ref()
        ),
        "subscription_periods": _row_serializer(
            "SubscriptionPeriod",
            SubscriptionPeriod,
            services.PERIOD_FIELDS,
            export=export,
            references=source_ref(),
        ),
        "effort_logs": _row_serializer(
            "EffortLog", EffortLog, services.EFFORT_FIELDS, export=export, references=source_ref()
        ),
        "asset_values": _row_serializer(
            "AssetValue",
            AssetValue,
            services.ASSET_VALUE_FIELDS,
            export=export,
            references=source_ref(),
        ),
        "costs": _row_serializer(
            "Cost", Cost, services.COST_FIELDS, export=export, references=source_ref()
        ),
        "fund_years": _row_serializer(
            "FundYear", FundYear, services.FUND_YEAR_FIELDS, export=export, references=source_ref()
        ),
        "customers": _row_serializer(
            "Customer",
            Customer,
            services.CUSTOMER_FIELDS,
            export=export,
            references={"ref": serializers.IntegerField(help_text=_CUSTOMER_REF), **source_ref()},
        ),
        "billing_subscriptions": _row_serializer(
            "BillingSubscription",
            BillingSubscription,
            services.BILLING_SUBSCRIPTION_FIELDS,
            export=export,
            references={
                "ref": serializers.IntegerField(help_text=_SUBSCRIPTION_REF),
                "customer": serializers.IntegerField(
                    help_text=_("The customer's ref: the subscription is theirs.")
                ),
            },
        ),
        "subscription_pauses": _row_serializer(
            "SubscriptionPause",
            SubscriptionPause,
            services.SUBSCRIPTION_PAUSE_FIELDS,
            export=export,
            references={
                "subscription": serializers.IntegerField(
                    help_text=_("The subscription's ref: the pause is of it.")
                )
            },
        ),
        "scenarios": _row_serializer(
            "Scenario",
            Scenario,
            services.SCENARIO_FIELDS,
            export=export,
            references={
                "sources": serializers.ListField(
                    child=serializers.IntegerField(),
                    required=export,
                    help_text=_("The sources the scenario is linked to, by their ref."),
                )
            },
        ),
        "allowance_orders": _row_serializer(
            "AllowanceOrder", AllowanceOrder, services.ALLOWANCE_ORDER_FIELDS, export=export
        ),
    }


EXPORT_ROWS = _rows(export=True)
IMPORT_ROWS = _rows(export=False)


def _document_serializer(*, export: bool) -> type[serializers.Serializer]:  # type: ignore[type-arg]
    rows = EXPORT_ROWS if export else IMPORT_ROWS
    fields: dict[str, Any] = {
        "format": serializers.ChoiceField(choices=[FORMAT]),
        "version": serializers.IntegerField(min_value=1, max_value=VERSION),
        "exported_at": serializers.DateTimeField(required=export),
        "username": serializers.CharField(required=export),
        "email": serializers.CharField(required=export, allow_blank=True),
        "profile": rows["profile"](required=export),
        **{table: rows[table](many=True, required=export) for table in TABLES},
    }
    name = "ExportDocument" if export else "ImportDocument"
    fields["__doc__"] = (
        "All of the caller's own data (portability.document): what the import reads back."
        if export
        else "An export to import; tables and columns left out are empty or the defaults."
    )
    fields["__module__"] = __name__
    return type(name, (serializers.Serializer,), fields)


ExportDocumentSerializer = _document_serializer(export=True)
ImportDocumentSerializer = _document_serializer(export=False)
