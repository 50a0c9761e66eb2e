"""The caller's profile (``/me/``) and the shared reference data: categories, tax
profiles, help articles, exchange rates."""

from __future__ import annotations

from rest_framework import serializers

from config.api.serializers import ModelSerializer
from income.models import (
    ExchangeRate,
    HelpArticle,
    IncomeCategory,
    Profile,
    TaxProfile,
)


class MeSerializer(ModelSerializer):  # type: ignore[type-arg]
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

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
        )


class CategorySerializer(ModelSerializer):  # type: ignore[type-arg]
    name = serializers.CharField(read_only=True)
    help_text = serializers.CharField(read_only=True)  # type: ignore[assignment]

    class Meta:
        model = IncomeCategory
        fields = ("id", "slug", "name", "name_en", "name_de", "is_passive", "model", "help_text")
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
