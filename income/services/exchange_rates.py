"""The ECB reference rates, loaded from the ECB's file in the admin (any of its forms);
stored as the scheduled fetch stores them (``income.services.rate_fetch``)."""

from __future__ import annotations

from finance.ecb_rates import EcbFileError, parse_ecb_file
from finance.errors import DomainError
from income.services.rate_fetch import QUOTED, exchange_rates_store


def exchange_rates_import(*, data: bytes) -> int:
    """Load ECB reference rates (admin); a day already stored gets the file's rate, and
    the users whose payments the new rates convert have their figures recomputed."""
    try:
        rates = parse_ecb_file(data, currencies=QUOTED)
    except EcbFileError as error:
        raise DomainError({"file": [str(error)]}) from error
    exchange_rates_store(rates=rates)
    return len(rates)
