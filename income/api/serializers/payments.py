"""Payments: one at a time, in bulk (with the bulk body's schema variants), and the undo
of a bulk delete."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import ModelSerializer, Serializer
from income.api.serializers.base import OwnedSourceField
from income.models import (
    CURRENCY_CHOICES,
    Payment,
)
from income.services.payments_bulk import PAYMENT_BULK_LIMIT


class PaymentSerializer(ModelSerializer):  # type: ignore[type-arg]
    source = OwnedSourceField()  # type: ignore[assignment]
    net = serializers.DecimalField(max_digits=15, decimal_places=2, read_only=True)
    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES,
        required=False,
        help_text=_("Defaults to the source's currency."),
    )
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_(
            "Creating a payment of the same source, date and gross as a recorded one is "
            "refused (400, error under confirm_duplicate) unless this is true."
        ),
    )

    class Meta:
        model = Payment
        fields = (
            "id", "source", "date", "gross", "tax_withheld", "foreign_tax", "fees", "net",
            "currency", "note", "external_id", "created_at", "confirm_duplicate",
        )  # fmt: skip
        read_only_fields = ("id", "net", "created_at")
        validators: list[Any] = []  # uniqueness is checked by the service (full_clean)


#: The largest id a database key holds (a 64-bit integer); a larger one is a 400, not a 500.
MAX_ID = 2**63 - 1


class PaymentBulkSerializer(Serializer):  # type: ignore[type-arg]
    """One action on many of the caller's payments (``POST /payments/bulk/``)."""

    action = serializers.ChoiceField(
        choices=("delete", "move", "set_date", "set_currency"),
        help_text=_(
            "delete: remove the payments (the answer carries an undo_token); move: to the "
            "source `source`; set_date: to `date`; set_currency: to `currency` (the amounts "
            "stay as recorded, nothing is converted)."
        ),
    )
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=PAYMENT_BULK_LIMIT,
        help_text=_(
            "Ids of the caller's payments, at most 500. One id that is not the caller's "
            "makes the whole request a 404 and changes nothing."
        ),
    )
    source = serializers.IntegerField(  # type: ignore[assignment]
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text=_("For move: id of the caller's target source (another user's: 404)."),
    )
    date = serializers.DateField(required=False, help_text=_("For set_date: the new date."))
    currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES, required=False, help_text=_("For set_currency: the new code.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        needs = {"move": "source", "set_date": "date", "set_currency": "currency"}
        field = needs.get(attrs["action"])
        if field and attrs.get(field) is None:
            raise serializers.ValidationError({field: [_("This field is required.")]})
        return attrs


def _bulk_action_variant(action: str, needs: str | None) -> type[PaymentBulkSerializer]:
    """One action of ``PaymentBulkSerializer`` as the schema writes it: its ``action``, and
    the field it needs as required (issue 20: ``{"action": "move", "ids": [1]}`` passed
    the schema and was refused for its missing ``source``). For the schema only; the
    view validates with ``PaymentBulkSerializer``, whose ``validate`` is the rule."""
    action_field = extend_schema_field({"type": "string", "enum": [action]})(
        type("PaymentBulkAction", (serializers.CharField,), {})
    )
    fields: dict[str, Any] = {
        "action": action_field(),
        **{name: None for name in ("source", "date", "currency") if name != needs},
    }
    if needs is not None:
        parent: Any = PaymentBulkSerializer._declared_fields[needs]
        fields[needs] = type(parent)(*parent._args, **{**parent._kwargs, "required": True})
    name = "PaymentBulk" + action.title().replace("_", "")
    return type(name, (PaymentBulkSerializer,), fields)


#: The bulk body by its ``action``: a ``oneOf`` with ``action`` as discriminator.
PAYMENT_BULK_VARIANTS: dict[str, serializers.Serializer | type[serializers.Serializer]] = {  # type: ignore[type-arg]
    action: _bulk_action_variant(action, needs)
    for action, needs in (
        ("delete", None),
        ("move", "source"),
        ("set_date", "date"),
        ("set_currency", "currency"),
    )
}


class PaymentBulkResultSerializer(Serializer):  # type: ignore[type-arg]
    action = serializers.CharField(help_text=_("The action that was carried out."))
    count = serializers.IntegerField(help_text=_("How many payments it changed."))
    undo_token = serializers.CharField(
        allow_null=True,
        help_text=_(
            "After delete: send it to /payments/undo/ within 15 minutes to restore the "
            "payments with their ids and fields; null for the other actions."
        ),
    )


class PaymentUndoSerializer(Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(
        help_text=_("The undo_token of a bulk delete; valid for 15 minutes, for its user only.")
    )


class PaymentUndoResultSerializer(Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField(help_text=_("How many payments were restored."))
