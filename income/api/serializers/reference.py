"""The caller's profile (``/me/``) and the shared reference data: categories, tax
profiles, tax years, help articles, exchange rates."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api.serializers import ModelSerializer
from income.api.fields import DecimalChoiceField
from income.models import (
    CHURCH_TAX_CHOICES,
    ExchangeRate,
    HelpArticle,
    IncomeCategory,
    Profile,
    TaxProfile,
    TaxYear,
    TreatyRate,
)


class MeSerializer(ModelSerializer):  # type: ignore[type-arg]
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    church_tax_rate = DecimalChoiceField(
        choices=[(str(rate), label) for rate, label in CHURCH_TAX_CHOICES],
        required=False,
        help_text=_("Church tax on capital income, as a share of the capital gains tax."),
    )

    class Meta:
        model = Profile
        fields = (
            "username",
            "email",
            "base_currency",
            "language",
            "monthly_expenses",
            "hourly_value",
            "default_tax_profile",
            "weekly_digest",
            "home_country",
            "theme",
            "date_style",
            "filing_status",
            "church_tax_rate",
            "marginal_tax_rate",
        )


class CategorySerializer(ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(read_only=True)
    help_text = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = IncomeCategory
        fields = (
            "id",
            "slug",
            "name",
            "name_en",
            "name_de",
            "is_passive",
            "model",
            "tax_treatment",
            "help_text",
        )
        read_only_fields = fields


class TaxProfileSerializer(ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(read_only=True)

    class Meta:
        model = TaxProfile
        fields = (
            "id",
            "slug",
            "name",
            "rate",
            "yearly_allowance",
            "partial_exemption",
            "is_flat_rate",
        )
        read_only_fields = fields


class TreatyRateSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = TreatyRate
        fields = ("country", "rate")
        read_only_fields = fields


class TaxYearSerializer(ModelSerializer):  # type: ignore[type-arg]
    """The tax facts of one year (admin content), rates as fractions: 0.25 is 25 %."""

    treaty_rates = TreatyRateSerializer(many=True, read_only=True)

    class Meta:
        model = TaxYear
        fields = (
            "year",
            "saver_allowance_single",
            "saver_allowance_joint",
            "basiszins",
            "capital_gains_tax_rate",
            "solidarity_rate",
            "church_tax_rate_reduced",
            "church_tax_rate",
            "partial_exemption_equity",
            "partial_exemption_mixed",
            "partial_exemption_real_estate",
            "partial_exemption_foreign_real_estate",
            "kleinunternehmer_previous_year_limit",
            "kleinunternehmer_current_year_limit",
            "kleinunternehmer_current_limit_ends_status",
            "treaty_rates",
        )
        read_only_fields = fields


class HelpArticleSerializer(ModelSerializer):  # type: ignore[type-arg]
    """A help article in the caller's language; the body is plain text (see ``HelpArticle``)."""

    title = serializers.CharField(read_only=True)
    summary = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)

    class Meta:
        model = HelpArticle
        fields = ("slug", "title", "summary", "body", "updated_at")
        read_only_fields = fields


class ExchangeRateSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ExchangeRate
        fields = ("id", "date", "currency", "rate")
        read_only_fields = fields
