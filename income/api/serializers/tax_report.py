"""The yearly tax report's answer (issue 22): the same ``TaxYearReport`` the page shows,
each figure with the ids of the payments, costs and fund years it is made of."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from config.api.serializers import Serializer
from finance.tax.capital import CreditLimit, IncomeKind
from income.api.fields import FigureField
from income.models import FundType
from income.tax_report import TaxYearReport
from income.tax_report.figures import bank_label, line_label
from income.tax_report.notices import notice_message


def _money(**kwargs: Any) -> FigureField:
    return FigureField(decimal_places=2, **kwargs)


def _ids(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.IntegerField(), **kwargs)


class TaxDueSerializer(Serializer):  # type: ignore[type-arg]
    capital_gains_tax = _money()
    solidarity = _money()
    church_tax = _money()
    total = _money()


class CapitalLineSerializer(Serializer):  # type: ignore[type-arg]
    key = serializers.ChoiceField(
        choices=["dividends", "interest", "other_capital", "fund_distributions", "vorabpauschale"]
    )
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    fund_type = serializers.ChoiceField(choices=["", *FundType.values])
    amount = _money(help_text=_("Gross, in euros."))
    taxable = _money(help_text=_("After the partial exemption of fund income."))
    payment_ids = _ids()
    fund_year_ids = _ids()

    def get_label(self, line: Any) -> str:
        return line_label(line)


class CapitalItemSerializer(Serializer):  # type: ignore[type-arg]
    """One item of capital income: a payment (reversals taken back) or a Vorabpauschale."""

    day = serializers.DateField(source="item.income.day")
    source_id = serializers.IntegerField(source="item.source.pk")
    bank = serializers.CharField(source="item.income.bank")
    kind = serializers.ChoiceField(
        choices=[kind.value for kind in IncomeKind], source="item.income.kind"
    )
    fund_type = serializers.CharField(source="item.income.fund_type", allow_null=True)
    country = serializers.CharField(source="item.income.country")
    gross = _money(source="item.income.gross")
    taxable = _money(source="tax.taxable")
    allowance_used = _money(source="tax.allowance_used")
    taxed = _money(source="tax.taxed")
    foreign_tax = _money(source="item.income.foreign_tax")
    creditable = _money(source="tax.creditable")
    credited_from_pot = _money(source="tax.credited_from_pot")
    reclaimable = _money(source="tax.reclaimable")
    not_credited = _money(source="tax.not_credited")
    credit_limit = serializers.ChoiceField(
        choices=[limit.value for limit in CreditLimit],
        source="tax.credit_limit",
        help_text=_(
            "What decided the item's own credit; covered_by_allowance: no German tax on "
            "it, so it credits nothing itself."
        ),
    )
    german_tax_withheld = _money(source="item.income.german_tax_withheld")
    payment_ids = _ids(source="item.payment_ids")
    fund_year_id = serializers.IntegerField(source="item.fund_year_id", allow_null=True)


class BankSerializer(Serializer):  # type: ignore[type-arg]
    bank = serializers.CharField()
    label = serializers.SerializerMethodField()  # type: ignore[assignment]
    taxable = _money()
    allowance_order = _money()
    allowance_used = _money()
    creditable = _money()
    not_credited = _money()
    due = TaxDueSerializer()
    withheld = _money()

    def get_label(self, bank: Any) -> str:
        return bank_label(bank.bank)


class CapitalSerializer(Serializer):  # type: ignore[type-arg]
    taxable = _money()
    allowance = _money()
    allowance_used = _money()
    taxed = _money()
    foreign_tax = _money()
    creditable = _money()
    credited_from_pot = _money()
    reclaimable = _money()
    not_credited = _money()
    due = TaxDueSerializer()
    withheld = _money(help_text=_("German tax the banks withheld."))
    difference = _money(help_text=_("What the return adds; negative: what it can refund."))
    banks = BankSerializer(many=True)


class AllowanceExcessSerializer(Serializer):  # type: ignore[type-arg]
    total = _money()
    allowance = _money()
    excess = _money()


class RentalSerializer(Serializer):  # type: ignore[type-arg]
    source_id = serializers.IntegerField(source="source.pk")
    name = serializers.CharField(source="source.name")
    rent = _money(source="result.rent")
    costs = serializers.SerializerMethodField()
    costs_total = _money(source="result.costs_total")
    building_value = _money(source="result.building_value")
    depreciation_rate = FigureField(decimal_places=4, source="result.depreciation_rate")
    depreciation_months = serializers.IntegerField(source="result.depreciation_months")
    depreciation = _money(source="result.depreciation")
    result = _money(source="result.result")
    tax = _money(source="result.tax", allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())
    rent_payment_ids = _ids()
    fee_payment_ids = _ids()
    cost_ids = serializers.DictField(child=_ids())

    def get_costs(self, prop: Any) -> dict[str, str]:
        return {kind.value: f"{amount:.2f}" for kind, amount in prop.result.costs.items()}

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["cost_ids"] = {str(kind): list(ids) for kind, ids in instance.cost_ids.items()}
        return data


class BusinessSourceSerializer(Serializer):  # type: ignore[type-arg]
    source_id = serializers.IntegerField(source="source.pk")
    name = serializers.CharField(source="source.name")
    income = _money()
    recorded_costs = _money()
    fees = _money()
    costs = _money()
    profit = _money()
    payment_ids = _ids()
    fee_payment_ids = _ids()
    cost_ids = _ids()


class KleinunternehmerSerializer(Serializer):  # type: ignore[type-arg]
    previous_year_turnover = _money()
    previous_year_limit = _money()
    ruled_out_by_previous_year = serializers.BooleanField()
    turnover = _money()
    current_limit = _money()
    current_limit_ends_status = serializers.BooleanField()
    current_limit_warning = serializers.DateField(allow_null=True)
    current_limit_exceeded = serializers.DateField(allow_null=True)
    next_year_limit = _money()
    next_year_limit_warning = serializers.DateField(allow_null=True)
    next_year_limit_exceeded = serializers.DateField(allow_null=True)


class BusinessSerializer(Serializer):  # type: ignore[type-arg]
    sources = BusinessSourceSerializer(many=True)
    income = _money(source="total.income")
    costs = _money(source="total.costs")
    profit = _money(source="total.profit")
    tax = _money(source="total.tax", allow_null=True)
    kleinunternehmer = KleinunternehmerSerializer(allow_null=True)


class NoticeSerializer(Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    source_id = serializers.IntegerField(allow_null=True)
    record_id = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


class JointPartnerSerializer(Serializer):  # type: ignore[type-arg]
    """The jointly assessed spouse who keeps their own books in the caller's household:
    ``capital.allowance`` is then the caller's share of the joint allowance, half of it
    and what the spouse's half leaves unused (§20 (9) sentence 3 EStG)."""

    name = serializers.CharField()
    capital_income = _money(
        help_text=_("The spouse's capital income of the year, after partial exemptions.")
    )


class TaxReportSerializer(Serializer):  # type: ignore[type-arg]
    """A year's report; amounts in euros. Not tax advice: arithmetic on the records."""

    year = serializers.IntegerField()
    filing_status = serializers.CharField()
    church_rate = FigureField(decimal_places=2)
    marginal_rate = FigureField(decimal_places=6, allow_null=True)
    capital = CapitalSerializer()
    capital_lines = CapitalLineSerializer(many=True)
    capital_items = CapitalItemSerializer(many=True, source="capital_rows")
    allowance_orders = serializers.DictField(child=_money())
    allowance_excess = AllowanceExcessSerializer(allow_null=True)
    joint_partner = JointPartnerSerializer(allow_null=True)
    properties = RentalSerializer(many=True)
    business = BusinessSerializer()
    notices = serializers.SerializerMethodField()

    @extend_schema_field(NoticeSerializer(many=True))
    def get_notices(self, report: TaxYearReport) -> list[dict[str, Any]]:
        return [
            {
                "code": notice.code,
                "source_id": notice.source_id,
                "record_id": notice.record_id,
                "message": notice_message(notice, report),
            }
            for notice in report.notices
        ]

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        if instance.marginal_rate is None:
            # Computed at 0 until the person states a rate: not a figure to show.
            data["business"]["tax"] = None
            for prop in data["properties"]:
                prop["tax"] = None
        return data
