"""The columns of each table that the export writes and the import reads back (the API
schema types them too, ``portability.schema``), and a row's values by those columns."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from income import services as income_services
from income.models import IncomeCategory, TaxProfile
from portability.document import plain
from scenarios import services as scenario_services

PROFILE_FIELDS = tuple(sorted(income_services.PROFILE_FIELDS))
SOURCE_FIELDS = income_services.SOURCE_FIELDS
PAYMENT_FIELDS = tuple(sorted(income_services.PAYMENT_FIELDS - {"source"}))
PERIOD_FIELDS = tuple(sorted(income_services.PERIOD_FIELDS - {"source"}))
EFFORT_FIELDS = tuple(sorted(income_services.EFFORT_FIELDS - {"source"}))
ASSET_VALUE_FIELDS = tuple(sorted(income_services.ASSET_VALUE_FIELDS - {"source"}))
COST_FIELDS = tuple(sorted(income_services.COST_FIELDS - {"source"}))
FUND_YEAR_FIELDS = tuple(sorted(income_services.FUND_YEAR_FIELDS - {"source"}))
# Billing data (issue 23) hangs one level deeper: a customer on its source, a
# subscription on its customer, a pause on its subscription, each by ``ref``.
CUSTOMER_FIELDS = tuple(sorted(income_services.CUSTOMER_FIELDS - {"source"}))
BILLING_SUBSCRIPTION_FIELDS = tuple(sorted(income_services.SUBSCRIPTION_FIELDS - {"customer"}))
SUBSCRIPTION_PAUSE_FIELDS = tuple(sorted(income_services.PAUSE_FIELDS - {"subscription"}))
SCENARIO_FIELDS = scenario_services.SCENARIO_FIELDS
ALLOWANCE_ORDER_FIELDS = tuple(income_services.ALLOWANCE_ORDER_FIELDS)
# Shared content is named by slug: the importing database has its own ids for it.
SLUGGED = {"category": IncomeCategory, "tax_profile": TaxProfile, "default_tax_profile": TaxProfile}


def row_values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """A row's values as Python holds them (Decimal, date); shared content by its slug."""
    row: dict[str, Any] = {}
    for name in names:
        if name in SLUGGED:
            related = getattr(instance, name)
            row[name] = related.slug if related is not None else None
        else:
            row[name] = getattr(instance, name)
    return row


def row_plain(row: Mapping[str, Any]) -> dict[str, Any]:
    """``row_values`` as the JSON document writes them (``portability.document.plain``)."""
    return {name: plain(value) for name, value in row.items()}
