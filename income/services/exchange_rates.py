"""The ECB reference rates, loaded from the ECB's CSV (admin)."""

from __future__ import annotations

from django.db import transaction

from finance.currencies import CURRENCY_CODES
from finance.ecb_rates import EcbFileError, parse_ecb_rates
from finance.errors import DomainError
from income.models import ExchangeRate


@transaction.atomic
def exchange_rates_import(*, data: bytes) -> int:
    """Load ECB reference rates (admin); a day already stored gets the file's rate."""
    try:
        rates = parse_ecb_rates(data, currencies=set(CURRENCY_CODES) - {"EUR"})
    except EcbFileError as error:
        raise DomainError({"file": [str(error)]}) from error
    ExchangeRate.objects.bulk_create(
        [ExchangeRate(date=r.day, currency=r.currency, rate=r.rate) for r in rates],
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["currency", "date"],
        update_fields=["rate"],
    )
    return len(rates)
