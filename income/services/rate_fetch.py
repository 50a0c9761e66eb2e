"""The ECB's reference rates, fetched on their own (issue 24): the beat's daily task asks
for the day's rates (the whole history when none is stored yet), stores them, and has the
figures of every user whose payments they convert recomputed, so a foreign payment
stops waiting for an administrator to upload a file.

Each fetch is logged (``RateFetch``): ``/health/`` and the admin show the latest. A
network failure or an answer of 5xx is ``RateFetchFailed``, a ``ConnectionError`` that
the task retries with backoff (``jobs.retrying``); a file that is not the ECB's is
logged as failed and not retried (asking again gives the same file).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from finance.currencies import CURRENCY_CODES
from finance.ecb_rates import EcbFileError, EcbRate, parse_ecb_file
from income.changes import owner_data_changed
from income.models import ExchangeRate, Payment, Profile, RateFetch, RateFetchStatus

logger = logging.getLogger(__name__)

#: The currencies the ECB quotes that the product knows (the euro is the base: rate 1).
QUOTED = frozenset(CURRENCY_CODES) - {"EUR"}


class RateFetchFailed(ConnectionError):
    """The ECB (or the configured address) could not be reached, or answered 5xx: worth
    asking again later."""


@dataclass(frozen=True)
class StoredRates:
    """What storing a file's rates changed: rows new or with another rate, and per
    currency the earliest day that changed (payments from then on convert anew)."""

    new: int
    changed_from: dict[str, date]
    #: The users whose figures were marked stale.
    users: int = 0


def exchange_rates_store(*, rates: Sequence[EcbRate]) -> StoredRates:
    """Upsert ``rates`` (a day already stored takes the file's rate) and have the figures
    of the users whose payments they convert recomputed (``rates_arrived``)."""
    if not rates:
        return StoredRates(new=0, changed_from={})
    with transaction.atomic():
        first, last = min(r.day for r in rates), max(r.day for r in rates)
        stored = {
            (currency, day): rate
            for currency, day, rate in ExchangeRate.objects.filter(
                currency__in={r.currency for r in rates}, date__range=(first, last)
            ).values_list("currency", "date", "rate")
        }
        fresh = [r for r in rates if stored.get((r.currency, r.day)) != r.rate]
        ExchangeRate.objects.bulk_create(
            [ExchangeRate(date=r.day, currency=r.currency, rate=r.rate) for r in fresh],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["currency", "date"],
            update_fields=["rate"],
        )
        changed_from: dict[str, date] = {}
        for rate in fresh:
            known = changed_from.get(rate.currency)
            changed_from[rate.currency] = rate.day if known is None else min(known, rate.day)
        owners = rates_arrived(changed_from=changed_from)
    return StoredRates(new=len(fresh), changed_from=changed_from, users=len(owners))


def rates_arrived(*, changed_from: dict[str, date]) -> set[int]:
    """Mark stale the figures of every user a changed rate converts a payment for: a
    payment in the currency from the day it changed on (it converted at an older rate,
    or waited for one), and every user whose base currency it is. Returns their ids."""
    if not changed_from:
        return set()
    wanted = Q()
    for currency, day in changed_from.items():
        wanted |= Q(currency=currency, date__gte=day)
    owners = set(
        Payment.objects.filter(wanted).values_list("source__owner_id", flat=True).distinct()
    )
    owners |= set(
        Profile.objects.filter(base_currency__in=list(changed_from)).values_list(
            "user_id", flat=True
        )
    )
    for owner_id in sorted(owners):
        owner_data_changed(owner_id=owner_id)
    return owners


def _download(url: str) -> bytes:
    """The file at ``url``, read no further than ``ECB_FETCH_MAX_BYTES``; a failure to
    reach it, or a 5xx, is ``RateFetchFailed``."""
    request = urllib.request.Request(url, headers={"User-Agent": "Ertrag rates fetch"})  # noqa: S310 - the admin's setting
    limit = settings.ECB_FETCH_MAX_BYTES
    try:
        with urllib.request.urlopen(request, timeout=settings.ECB_FETCH_TIMEOUT) as response:  # noqa: S310
            data: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        if error.code >= 500:
            raise RateFetchFailed(f"HTTP {error.code}") from error
        raise EcbFileError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise RateFetchFailed(type(error).__name__) from error
    if len(data) > limit:
        raise EcbFileError(f"The file is larger than {limit // 2**20} MB.")
    return data


def ecb_rates_fetch() -> RateFetch:
    """Fetch, store and log the ECB's rates (see the module doc): the history while no
    rate is stored, else the day's. Raises ``RateFetchFailed`` (after logging it) when
    the address cannot be reached, for the task to retry."""
    url = (
        settings.ECB_RATES_URL if ExchangeRate.objects.exists() else settings.ECB_RATES_HISTORY_URL
    )
    fetch = RateFetch.objects.create(url=url[:500], status=RateFetchStatus.FAILED)
    try:
        rates = parse_ecb_file(_download(url), currencies=QUOTED)
        stored = exchange_rates_store(rates=rates)
    except RateFetchFailed as error:
        _finish(fetch, error=f"unreachable: {error}")
        raise
    except EcbFileError as error:
        _finish(fetch, error=str(error))
        return fetch
    users = stored.users
    fetch.status, fetch.rates, fetch.new_rates = RateFetchStatus.OK, len(rates), stored.new
    fetch.users_recomputed = users
    _finish(fetch, error="")
    logger.info("ecb_rates_fetch: %s rates, %s new, %s users", len(rates), stored.new, users)
    return fetch


def _finish(fetch: RateFetch, *, error: str) -> None:
    fetch.error = error[:500]
    fetch.finished_at = timezone.now()
    fetch.save()


def ecb_rates_fetch_queue() -> None:
    """Queue a fetch now (the admin's button), for a worker, once the transaction commits;
    with the broker away nothing is queued and the log says so."""
    from income.dispatch import task_send_on_commit
    from income.tasks import ecb_rates_fetch as task

    task_send_on_commit(task, kwargs={}, on_unreachable=lambda: None)


def rate_fetch_latest() -> RateFetch | None:
    """The latest fetch, for ``/health/`` and the admin."""
    return RateFetch.objects.order_by("-started_at", "-pk").first()
