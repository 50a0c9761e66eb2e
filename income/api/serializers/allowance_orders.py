"""Allowance orders: one bank's order of a year, and the year's summary (the excess
warning and the suggested split) as ``income.allowance_orders.allowance_summary`` gives it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api.serializers import ModelSerializer, Serializer
from income.models import AllowanceOrder
from income.models.tax_records import YEAR_HIGH, YEAR_LOW


def _amount(**kwargs: Any) -> serializers.DecimalField:
    """An amount in euros, written as the model's amounts are (two places)."""
    return serializers.DecimalField(max_digits=15, decimal_places=2, **kwargs)


class AllowanceOrderSerializer(ModelSerializer):  # type: ignore[type-arg]
    """An allowance order (Freistellungsauftrag): the part of the saver's allowance one
    bank or broker may leave untaxed in a year. Creating one for a bank that already has
    an order that year changes that order."""

    class Meta:
        model = AllowanceOrder
        fields = ("id", "year", "bank", "amount", "created_at")
        read_only_fields = ("id", "created_at")
        validators: list[Any] = []  # one order per bank and year: the service's rule


class AllowanceSummaryQuerySerializer(Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField(
        min_value=YEAR_LOW, max_value=YEAR_HIGH, help_text=_("The tax year.")
    )


class BankAmountSerializer(Serializer):  # type: ignore[type-arg]
    bank = serializers.CharField(
        allow_blank=True,
        help_text=_("The bank, as the sources name it in their platform; empty for none."),
    )
    amount = _amount()


class AllowanceOrdersExcessSerializer(Serializer):  # type: ignore[type-arg]
    total = _amount(help_text=_("What the orders add up to."))
    allowance = _amount()
    excess = _amount(help_text=_("How much the orders exceed the allowance."))


class AllowanceSummarySerializer(Serializer):  # type: ignore[type-arg]
    """A year's allowance orders against the allowance, and a suggested split."""

    year = serializers.IntegerField()
    filing_status = serializers.CharField(help_text=_("single or joint, from /api/v1/me/."))
    allowance = _amount(
        help_text=_("The saver's allowance of the year and filing status, in euros.")
    )
    banks = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        help_text=_(
            "The banks of the capital sources and of the orders, sorted; an empty name "
            "stands for sources without a platform."
        ),
    )
    orders = BankAmountSerializer(many=True, help_text=_("The orders given, by bank."))
    total = _amount(help_text=_("What the orders add up to."))
    excess = AllowanceOrdersExcessSerializer(
        allow_null=True,
        help_text=_("Set when the orders add up to more than the allowance; null when they fit."),
    )
    expected = BankAmountSerializer(
        many=True,
        help_text=_(
            "Each bank's expected taxable capital income of the year in euros: the active "
            "capital sources' invested capital × expected yield, a fund's after its partial "
            "exemption."
        ),
    )
    suggested_orders = BankAmountSerializer(
        many=True,
        help_text=_(
            "A split of the allowance over the named banks by their expected income, in "
            "whole euros."
        ),
    )
    unassigned = _amount(help_text=_("The part of the allowance the suggestion leaves to no bank."))
    missing_rates = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Currencies without an exchange rate that old: their sources are left out."),
    )
