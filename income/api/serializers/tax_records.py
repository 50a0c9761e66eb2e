"""What the tax year needs recorded on a source beside payments: costs and fund years."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from config.api.serializers import ModelSerializer
from income.api.serializers.base import OwnedSourceField
from income.models import Cost, FundYear


class CostSerializer(ModelSerializer):  # type: ignore[type-arg]
    """Money spent on a rental or business source on a day; negative for a refund."""

    source = OwnedSourceField(  # type: ignore[assignment]
        help_text=_(
            "A source of the caller that takes costs: a rental, or one whose category's "
            "income is rent or business income."
        )
    )

    class Meta:
        model = Cost
        fields = ("id", "source", "date", "kind", "amount", "currency", "note", "created_at")
        read_only_fields = ("id", "created_at")
        extra_kwargs = {
            "currency": {"help_text": _("The source's currency when left out.")},
        }


class FundYearSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A fund's units at the end of a year and its price per unit at the start and the end."""

    source = OwnedSourceField(  # type: ignore[assignment]
        help_text=_("A source of the caller with a fund type (fund_type) set.")
    )

    class Meta:
        model = FundYear
        fields = (
            "id", "source", "year", "units", "start_price", "end_price", "bought_on", "note",
        )  # fmt: skip
        read_only_fields = ("id",)
        validators: list[Any] = []  # one year per source is checked by the service
