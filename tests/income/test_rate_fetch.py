"""The ECB's rates arrive on their own (issue 24): fetched from a real HTTP server that
serves the ECB's files, the whole history first and the day's rates after, stored, and
the figures of the users whose payments were waiting for a rate recomputed; a failed
fetch is logged, shown in ``/health/``, and retried with backoff when it may pass."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import Settings

from income import services
from income.models import ExchangeRate, Profile, RateFetch, RateFetchStatus
from income.report_inputs import report_inputs
from income.reporting import overview_of
from income.services.rate_fetch import RateFetchFailed
from income.tasks import ecb_rates_fetch as fetch_task
from jobs.retrying import RETRY_BACKOFF_FACTOR, RetryingTask
from tests.factories import PaymentFactory, SourceFactory
from tests.http_files import FileServer, file_server

pytestmark = pytest.mark.django_db
FILES = Path(__file__).resolve().parent / "fixtures" / "ecb"


@pytest.fixture
def ecb(settings: Settings) -> Iterator[FileServer]:
    with file_server() as server:
        server.files["/hist.zip"] = (200, (FILES / "eurofxref-hist.zip").read_bytes())
        server.files["/daily.xml"] = (200, (FILES / "eurofxref-daily.xml").read_bytes())
        settings.ECB_RATES_HISTORY_URL = server.url("/hist.zip")
        settings.ECB_RATES_URL = server.url("/daily.xml")
        yield server


def _stale(user: User) -> bool:
    return Profile.objects.get(user=user).data_changed_at is not None


def test_the_first_fetch_takes_the_history_and_later_ones_the_day(ecb: FileServer) -> None:
    first = services.ecb_rates_fetch()
    assert (first.status, first.rates, first.new_rates) == (RateFetchStatus.OK, 33, 33)
    assert ExchangeRate.objects.count() == 33
    second = services.ecb_rates_fetch()
    assert (second.status, second.rates, second.new_rates) == (RateFetchStatus.OK, 4, 4)
    again = services.ecb_rates_fetch()
    assert (again.rates, again.new_rates, again.users_recomputed) == (4, 0, 0)
    assert ecb.asked == ["/hist.zip", "/daily.xml", "/daily.xml"]
    assert ExchangeRate.objects.get(currency="USD", date=date(2026, 12, 4)).rate == Decimal(
        "1.1000"
    )


def test_a_usd_payment_waiting_for_a_rate_is_converted_after_the_fetch(
    ecb: FileServer, alice: User, bob: User
) -> None:
    source = SourceFactory.create(owner=alice, currency="USD", start_date=date(2026, 11, 1))
    PaymentFactory.create(source=source, date=date(2026, 12, 2), gross=Decimal("108.00"))
    SourceFactory.create(owner=bob)  # euros only: nothing of bob's waits
    Profile.objects.update(data_changed_at=None)
    before = overview_of(report_inputs(owner=alice, as_of=date(2026, 12, 4)))
    assert "USD" in before.missing_rates
    fetch = services.ecb_rates_fetch()
    assert fetch.users_recomputed == 1
    assert _stale(alice)
    assert not _stale(bob)
    after = overview_of(report_inputs(owner=alice, as_of=date(2026, 12, 4)))
    assert "USD" not in after.missing_rates
    # 108.00 USD at 1.0800 USD per euro on 2 December: 100.00 €.
    figures = next(s for s in after.sources if s.source == source)
    assert figures.gross_to_date == Decimal("100.00")


def test_an_unreachable_ecb_is_logged_and_raised_for_the_task_to_retry(
    ecb: FileServer,
) -> None:
    ecb.files["/hist.zip"] = (503, b"Service Unavailable")
    with pytest.raises(RateFetchFailed):
        services.ecb_rates_fetch()
    fetch = RateFetch.objects.get()
    assert fetch.status == RateFetchStatus.FAILED
    assert "503" in fetch.error
    assert fetch.finished_at is not None
    assert not ExchangeRate.objects.exists()


def test_a_file_that_is_not_the_ecbs_is_logged_and_not_retried(ecb: FileServer) -> None:
    ecb.files["/hist.zip"] = (200, b"<html>Maintenance</html>")
    fetch = services.ecb_rates_fetch()
    assert fetch.status == RateFetchStatus.FAILED
    assert fetch.error
    ecb.files.pop("/hist.zip")  # a 404: a wrong address is no passing trouble either
    assert services.ecb_rates_fetch().status == RateFetchStatus.FAILED


def test_nothing_listening_is_a_failure_to_retry(settings: Settings) -> None:
    settings.ECB_RATES_HISTORY_URL = "http://127.0.0.1:9/hist.zip"
    with pytest.raises(RateFetchFailed):
        services.ecb_rates_fetch()


def test_the_task_retries_an_unreachable_ecb_with_backoff() -> None:
    """``RateFetchFailed`` is a ``ConnectionError``: one of the transient errors every task
    retries, waiting 2, 4, 8 … seconds (``jobs.retrying``)."""
    assert issubclass(RateFetchFailed, ConnectionError)
    assert isinstance(fetch_task, RetryingTask)
    assert ConnectionError in fetch_task.autoretry_for
    assert fetch_task.retry_backoff == RETRY_BACKOFF_FACTOR


def test_health_shows_the_latest_fetch(ecb: FileServer, client: Client) -> None:
    ecb.files["/hist.zip"] = (500, b"")
    with pytest.raises(RateFetchFailed):
        services.ecb_rates_fetch()
    body = client.get("/health/").json()
    assert body["status"] == "ok"  # a failed fetch is news, not an outage
    assert body["exchange_rates"]["last_fetch_status"] == "failed"
    assert "500" in body["exchange_rates"]["last_fetch_error"]
    ecb.files["/hist.zip"] = (200, (FILES / "eurofxref-hist.zip").read_bytes())
    services.ecb_rates_fetch()
    body = client.get("/health/").json()
    assert body["exchange_rates"]["last_fetch_status"] == "ok"
    assert body["exchange_rates"]["newest_rate"] == "2026-12-03"


def test_a_rate_loaded_in_the_admin_recomputes_the_waiting_users_too(alice: User) -> None:
    source = SourceFactory.create(owner=alice, currency="USD", start_date=date(2026, 11, 1))
    PaymentFactory.create(source=source, date=date(2026, 12, 2), gross=Decimal("10.00"))
    Profile.objects.update(data_changed_at=None)
    services.exchange_rates_import(data=(FILES / "eurofxref.zip").read_bytes())
    assert not _stale(alice)  # 4 December's rate converts nothing dated the 2nd anew
    services.exchange_rates_import(data=(FILES / "eurofxref-hist.csv").read_bytes())
    assert _stale(alice)


def test_the_admin_asks_then_fetches_now(
    ecb: FileServer, admin_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    page = admin_client.get("/admin/income/exchangerate/fetch-ecb/")
    assert page.status_code == 200
    assert not RateFetch.objects.exists()  # asking is no fetch
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post("/admin/income/exchangerate/fetch-ecb/")
    assert done.status_code == 302
    assert RateFetch.objects.get().status == RateFetchStatus.OK
    assert ExchangeRate.objects.count() == 33
    assert "/hist.zip" in ecb.asked
