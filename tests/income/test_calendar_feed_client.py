"""The private calendar feed in a real calendar app (issue 24): calcurse, Debian's
text-mode calendar, imports the feed as the site serves it and shows each payout on its
day with its amount and source.

calcurse is installed by ``.ci/run``; outside CI a machine without it skips, under
``CI=true`` the test fails instead (``tests.services.missing``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import icalendar
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from finance.schedule import add_months, month_start
from income.models import IncomeSource, Payment, Profile
from income.services import calendar_feed_create
from tests.factories import PaymentFactory, SourceFactory, category
from tests.services import missing

#: calcurse's query heading of a day (its default output date format, ``%D``).
DAY_HEADING = re.compile(r"^(\d\d)/(\d\d)/(\d\d):$")
IMPORTED = re.compile(r"(\d+) apps? / (\d+) events? / (\d+) todos? / (\d+) skipped")


def _calcurse() -> str:
    found = shutil.which("calcurse")
    if found is None:
        missing("calcurse is not installed (apt-get install calcurse)")
    return str(found)


def _run(folder: Path, *args: str) -> str:
    """calcurse on its own data and configuration folder, never the user's."""
    result = subprocess.run(
        [_calcurse(), "-D", str(folder), "-C", str(folder), *args],
        capture_output=True,
        env={"HOME": str(folder), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "dumb"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return result.stdout.decode()


def _import(folder: Path, feed: bytes) -> tuple[int, int]:
    """Import ``feed`` into a fresh calcurse; (events imported, items skipped)."""
    (folder / "feed.ics").write_bytes(feed)
    report = IMPORTED.search(_run(folder, "-i", str(folder / "feed.ics")))
    assert report is not None, "calcurse printed no import report"
    return int(report.group(2)), int(report.group(4))


def _days(folder: Path, first: date, days: int) -> dict[date, str]:
    """What calcurse shows from ``first`` on: each day's events with their notes."""
    output = _run(
        folder, "-Q", "--filter-type", "event", "--from", first.strftime("%m/%d/%Y"),
        "--days", str(days), "--format-event", "* %m\n%N\n",
    )  # fmt: skip
    shown: dict[date, list[str]] = defaultdict(list)
    day: date | None = None
    for line in output.splitlines():
        heading = DAY_HEADING.match(line)
        if heading:
            month, day_of_month, year = (int(part) for part in heading.groups())
            day = date(2000 + year, month, day_of_month)
        elif day is not None:
            shown[day].append(line)
    return {key: "\n".join(lines) for key, lines in shown.items()}


def _served_feed(owner: User) -> bytes:
    """The feed as a calendar app fetches it: by its address, without a log-in."""
    feed = calendar_feed_create(owner=owner)
    response = Client().get(f"/calendar/feed/{feed.token}.ics")
    assert response.status_code == 200
    return bytes(response.content)


@pytest.fixture
def sources(alice: User) -> tuple[IncomeSource, IncomeSource, Payment]:
    """An ETF paid last month and expected on the 15th in two months; a flat started
    three months ago that has paid nothing (overdue on the 1st of each month)."""
    today = timezone.localdate()
    this_month = month_start(today)
    etf = SourceFactory.create(
        owner=alice, name="World ETF", payout_rhythm="quarterly",
        next_payout_date=add_months(this_month, 2).replace(day=15),
        start_date=add_months(this_month, -24),
    )  # fmt: skip
    payment = PaymentFactory.create(
        source=etf, date=add_months(this_month, -1).replace(day=20), gross=D("1234.56"),
        tax_withheld=D("234.56"),
    )  # fmt: skip
    flat = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), payout_rhythm="monthly",
        start_date=add_months(this_month, -3),
    )  # fmt: skip
    return etf, flat, payment


def test_calcurse_imports_every_event_of_the_feed_and_skips_none(
    alice: User, sources: tuple[IncomeSource, IncomeSource, Payment], tmp_path: Path
) -> None:
    served = _served_feed(alice)
    events = list(icalendar.Calendar.from_ical(served).walk("VEVENT"))
    assert len(events) > 10
    imported, skipped = _import(tmp_path, served)
    assert (imported, skipped) == (len(events), 0)


def test_calcurse_shows_payouts_on_their_days_with_amount_and_source(
    alice: User, sources: tuple[IncomeSource, IncomeSource, Payment], tmp_path: Path
) -> None:
    etf, _flat, payment = sources
    this_month = month_start(timezone.localdate())
    _import(tmp_path, _served_feed(alice))
    first = add_months(this_month, -3)
    shown = _days(tmp_path, first, (add_months(this_month, 3) - first).days)

    received = shown[payment.date]
    assert "* World ETF: €1,000.00 net received" in received
    assert "Source: World ETF (ETF dividends)" in received
    assert "Net €1,000.00 = gross €1,234.56 − tax withheld €234.56 − fees €0.00." in received

    expected_day = add_months(this_month, 2).replace(day=15)
    assert etf.next_payout_date == expected_day
    # 1,000.00 net in the last twelve months: 1,000.00 / 12 × 3 months a payout covers
    assert "* World ETF: €250.00 net expected" in shown[expected_day]

    # The flat: overdue on the 1st of each past month since it started, expected in this one.
    for months_back in (1, 2, 3):
        day = add_months(this_month, -months_back)
        assert "* Overdue: Flat, payout expected" in shown[day], day
    assert "* Flat: payout expected" in shown[this_month]
    # Nothing on a day the feed has nothing for (events fall on the 1st, 15th and 20th).
    assert this_month.replace(day=10) not in shown


def test_calcurse_shows_a_german_feed_with_german_amounts(
    alice: User, sources: tuple[IncomeSource, IncomeSource, Payment], tmp_path: Path
) -> None:
    _etf, _flat, payment = sources
    Profile.objects.filter(user=alice).update(language="de")
    _import(tmp_path, _served_feed(alice))
    shown = _days(tmp_path, payment.date, 1)
    assert "1.000,00\u00a0€" in shown[payment.date]
    assert "1.234,56\u00a0€" in shown[payment.date]
    assert "ETF-Dividenden" in shown[payment.date]
