"""The private calendar feed's content (issue 24): the income calendar as iCalendar text
that a parser (the ``icalendar`` package) reads back into the right events.

Expected payouts are the calendar page's (the same months, statuses and amounts), on
the day of the source's next payout; received payments are net in their own currency,
with gross, tax and fees described; everything in the owner's language, inside the
window of a year back and a year ahead."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from typing import Any

import icalendar
import pytest
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _

from income.calendar_feed import calendar_feed_ics, feed_window, payout_day
from income.models import IncomeSource, Payment, Profile
from tests.factories import PaymentFactory, SourceFactory, category

TODAY = date(2025, 7, 10)
NOW = datetime(2025, 7, 10, 6, 30, tzinfo=UTC)
SITE = "https://ertrag.example"


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    """Quarterly from September: paid in September, December and March, not in June
    (overdue on 10 July); (100 + 100 + 100) / 12 months × 3 = 75.00 expected."""
    source = SourceFactory.create(
        owner=alice, name="World ETF", payout_rhythm="quarterly",
        next_payout_date=date(2025, 9, 15), start_date=date(2024, 1, 1),
    )  # fmt: skip
    for day in (date(2024, 9, 20), date(2024, 12, 20), date(2025, 3, 20)):
        PaymentFactory.create(source=source, date=day, gross=D("100.00"))
    return source


def _feed(owner: User, **kwargs: Any) -> Any:
    """The feed as the parser reads it (``Any``: its properties are a union of many types)."""
    text = calendar_feed_ics(owner=owner, today=TODAY, now=NOW, site_url=SITE, **kwargs)
    return icalendar.Calendar.from_ical(text)


def _events(owner: User, **kwargs: Any) -> dict[str, Any]:
    return {str(event["UID"]): event for event in _feed(owner, **kwargs).walk("VEVENT")}


def _speak(language: str, owner: User) -> None:
    Profile.objects.filter(user=owner).update(language=language)


def test_the_feed_is_a_published_gregorian_calendar_that_asks_to_be_fetched_every_six_hours(
    alice: User,
) -> None:
    calendar = _feed(alice)
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["PRODID"]) == "-//Ertrag//Income calendar//EN"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Ertrag – income"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=6)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["X-PUBLISHED-TTL"] == "PT6H"  # an X- property: read back as text
    assert list(calendar.walk("VEVENT")) == []  # no sources, no events


def test_expected_payouts_are_all_day_events_on_the_next_payout_day_with_the_amount(
    alice: User, etf: IncomeSource
) -> None:
    events = _events(alice)
    expected = {uid for uid in events if uid.startswith("expected-")}
    # Received months (Sep, Dec, Mar) show their payments instead; June passed unpaid.
    assert expected == {
        f"expected-{etf.pk}-{month}@ertrag"
        for month in ("2025-06", "2025-09", "2025-12", "2026-03", "2026-06")
    }
    september = events[f"expected-{etf.pk}-2025-09@ertrag"]
    assert september.start == date(2025, 9, 15)
    assert not isinstance(september.start, datetime)  # DTSTART;VALUE=DATE
    assert september.end == date(2025, 9, 16)
    assert september["SUMMARY"] == "World ETF: €75.00 net expected"
    assert "Source: World ETF (ETF dividends)" in september["DESCRIPTION"]
    assert "Payout rhythm: Quarterly" in september["DESCRIPTION"]
    assert september.categories == ["expected"]
    assert september["STATUS"] == "TENTATIVE"
    assert september["TRANSP"] == "TRANSPARENT"
    assert september["URL"] == f"{SITE}/sources/{etf.pk}/"
    assert september["DTSTAMP"].dt == NOW


def test_an_overdue_payout_says_so_in_its_summary(alice: User, etf: IncomeSource) -> None:
    june = _events(alice)[f"expected-{etf.pk}-2025-06@ertrag"]
    assert june.start == date(2025, 6, 15)
    assert june["SUMMARY"] == "Overdue: World ETF, €75.00 net expected"
    assert "The month has passed without a payment." in june["DESCRIPTION"]
    assert june.categories == ["overdue"]


def test_a_source_without_an_amount_expects_a_payout_on_its_day_clamped_to_the_month(
    alice: User,
) -> None:
    flat = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), payout_rhythm="monthly",
        next_payout_date=date(2025, 1, 31), start_date=date(2025, 1, 1),
    )  # fmt: skip
    events = _events(alice)
    february = events[f"expected-{flat.pk}-2026-02@ertrag"]
    assert february.start == date(2026, 2, 28)
    assert february["SUMMARY"] == "Flat: payout expected"
    assert "Source: Flat (Rent)" in february["DESCRIPTION"]
    assert events[f"expected-{flat.pk}-2025-04@ertrag"].start == date(2025, 4, 30)
    # Nothing arrived since it started in January: January to June are overdue, July
    # (the running month) is still expected.
    assert events[f"expected-{flat.pk}-2025-01@ertrag"]["SUMMARY"] == (
        "Overdue: Flat, payout expected"
    )
    assert events[f"expected-{flat.pk}-2025-07@ertrag"]["SUMMARY"] == "Flat: payout expected"
    # Nothing before the month it started.
    assert f"expected-{flat.pk}-2024-12@ertrag" not in events


def test_payout_day_is_the_first_when_no_next_payout_is_known() -> None:
    assert payout_day(month=date(2025, 2, 1), next_payout=None) == date(2025, 2, 1)
    assert payout_day(month=date(2024, 2, 1), next_payout=date(2025, 5, 30)) == date(2024, 2, 29)
    assert payout_day(month=date(2025, 3, 1), next_payout=date(2025, 5, 9)) == date(2025, 3, 9)


def test_a_received_payment_is_net_in_its_own_currency_with_gross_tax_and_fees(
    alice: User,
) -> None:
    shares = SourceFactory.create(
        owner=alice, name="US Shares", currency="USD", payout_rhythm="irregular"
    )
    payment = PaymentFactory.create(
        source=shares, date=date(2025, 5, 2), gross=D("1500.00"), tax_withheld=D("225.00"),
        fees=D("1.00"), note="Q1 dividend",
    )  # fmt: skip
    event = _events(alice)[f"payment-{payment.pk}@ertrag"]
    assert event.start == date(2025, 5, 2)
    assert event.end == date(2025, 5, 3)
    assert event["SUMMARY"] == "US Shares: $1,274.00 net received"
    description = event["DESCRIPTION"]
    assert "Source: US Shares (ETF dividends)" in description
    assert "Net $1,274.00 = gross $1,500.00 − tax withheld $225.00 − fees $1.00." in description
    assert "Note: Q1 dividend" in description
    assert event.categories == ["received"]
    assert event["STATUS"] == "CONFIRMED"
    assert event["URL"] == f"{SITE}/sources/{shares.pk}/"


def test_a_refund_is_an_event_of_its_own_with_the_amount_that_went_back(
    alice: User, etf: IncomeSource
) -> None:
    refund = PaymentFactory.create(source=etf, date=date(2025, 4, 2), gross=D("-10.00"))
    event = _events(alice)[f"payment-{refund.pk}@ertrag"]
    assert event["SUMMARY"] == "World ETF: €10.00 net refunded"
    assert "Net −€10.00 = gross −€10.00" in event["DESCRIPTION"]
    assert event.categories == ["refund"]


def test_amounts_and_texts_are_in_the_owners_language(alice: User, etf: IncomeSource) -> None:
    payment = PaymentFactory.create(source=etf, date=date(2025, 5, 5), gross=D("1234.56"))
    _speak("de", alice)
    events = _events(alice)
    with translation.override("de"):
        received = _("%(source)s: %(amount)s net received") % {
            "source": "World ETF",
            "amount": "1.234,56\u00a0€",
        }
        overdue = _("Overdue: %(source)s, %(amount)s net expected")
        name = _("Ertrag – income")
        source_line = _("Source: %(source)s (%(category)s)") % {
            "source": "World ETF",
            "category": "ETF-Dividenden",
        }
    assert events[f"payment-{payment.pk}@ertrag"]["SUMMARY"] == received
    # (100 × 3 + 1234.56) / 12 × 3 = 383.64
    june = events[f"expected-{etf.pk}-2025-06@ertrag"]
    assert june["SUMMARY"] == overdue % {"source": "World ETF", "amount": "383,64\u00a0€"}
    assert source_line in june["DESCRIPTION"]
    assert _feed(alice)["X-WR-CALNAME"] == name
    # and the same feed in English
    _speak("en", alice)
    english = _events(alice)
    assert english[f"payment-{payment.pk}@ertrag"]["SUMMARY"] == (
        "World ETF: €1,234.56 net received"
    )
    assert english[f"expected-{etf.pk}-2025-06@ertrag"]["SUMMARY"] == (
        "Overdue: World ETF, €383.64 net expected"
    )


def test_the_window_runs_from_twelve_months_back_to_twelve_ahead(
    alice: User, etf: IncomeSource
) -> None:
    assert feed_window(TODAY) == (date(2024, 7, 1), date(2026, 8, 1))
    first = PaymentFactory.create(source=etf, date=date(2024, 7, 1), gross=D("5.00"))
    before = PaymentFactory.create(source=etf, date=date(2024, 6, 30), gross=D("5.00"))
    last = PaymentFactory.create(source=etf, date=date(2026, 7, 31), gross=D("5.00"))
    after = PaymentFactory.create(source=etf, date=date(2026, 8, 1), gross=D("5.00"))
    events = _events(alice)
    assert f"payment-{first.pk}@ertrag" in events
    assert f"payment-{last.pk}@ertrag" in events
    assert f"payment-{before.pk}@ertrag" not in events
    assert f"payment-{after.pk}@ertrag" not in events
    assert min(event.start for event in events.values()) == date(2024, 7, 1)
    assert max(event.start for event in events.values()) == date(2026, 7, 31)
    # Expected payouts stop with the window too: June 2026 is in it, September is not.
    assert f"expected-{etf.pk}-2026-06@ertrag" in events
    assert f"expected-{etf.pk}-2026-09@ertrag" not in events


def test_the_latest_payments_are_kept_when_there_are_more_than_the_limit(
    alice: User, etf: IncomeSource
) -> None:
    events = _events(alice, payment_limit=2)
    kept = sorted(event.start for uid, event in events.items() if uid.startswith("payment-"))
    assert kept == [date(2024, 12, 20), date(2025, 3, 20)]


def test_another_users_sources_and_payments_are_not_in_the_feed(
    alice: User, bob: User, etf: IncomeSource
) -> None:
    bobs = SourceFactory.create(owner=bob, name="Bobs Depot", payout_rhythm="monthly")
    PaymentFactory.create(source=bobs, date=date(2025, 5, 5))
    text = calendar_feed_ics(owner=alice, today=TODAY, now=NOW, site_url=SITE).decode()
    assert "Bobs Depot" not in text
    sources = {str(event["URL"]) for event in _feed(alice).walk("VEVENT")}
    assert sources == {f"{SITE}/sources/{etf.pk}/"}


def test_the_text_is_escaped_and_folded_as_rfc_5545_asks(alice: User) -> None:
    source = SourceFactory.create(
        owner=alice, name="Depot; Bank, München", payout_rhythm="irregular"
    )
    note = "A long note, with commas; semicolons and a backslash \\ " * 4
    payment = PaymentFactory.create(source=source, date=date(2025, 5, 5), note=note.strip())
    text = calendar_feed_ics(owner=alice, today=TODAY, now=NOW, site_url=SITE)
    assert b"Depot\\; Bank\\, M\xc3\xbcnchen" in text
    lines = text.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # folded
    event = _events(alice)[f"payment-{payment.pk}@ertrag"]
    assert event["SUMMARY"] == "Depot; Bank, München: €100.00 net received"
    assert f"Note: {note.strip()}" in event["DESCRIPTION"]


def test_the_same_data_gives_the_same_events_and_uids(alice: User, etf: IncomeSource) -> None:
    first = calendar_feed_ics(owner=alice, today=TODAY, now=NOW, site_url=SITE)
    again = calendar_feed_ics(owner=alice, today=TODAY, now=NOW, site_url=SITE)
    assert first == again
    later = _events(alice)
    payment = Payment.objects.filter(source=etf).order_by("date").first()
    assert payment is not None
    assert f"payment-{payment.pk}@ertrag" in later
