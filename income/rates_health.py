"""What ``/health/`` says of the ECB rates (issue 24): the latest fetch, when, whether it
worked and why not, and the newest rate stored. One query each, no secret in it (the
configured address may hold a token, so it is not shown)."""

from __future__ import annotations

from income.models import ExchangeRate
from income.services import rate_fetch_latest


def exchange_rates_report() -> dict[str, object]:
    latest = rate_fetch_latest()
    newest = ExchangeRate.objects.order_by("-date").values_list("date", flat=True).first()
    return {
        "last_fetch": latest.started_at.isoformat() if latest else None,
        "last_fetch_status": latest.status if latest else "never",
        "last_fetch_error": latest.error if latest else "",
        "newest_rate": newest.isoformat() if newest else None,
    }
