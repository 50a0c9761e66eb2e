"""The calendar page's figures (issue 18): an amount for each expected payout, received
net per month, and the month's totals, all in the base currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from django.contrib.auth.models import User

from income.calendar import calendar_page
from tests.factories import PaymentFactory, SourceFactory, category

TODAY = date(2025, 7, 10)


def test_the_calendar_page_puts_amounts_and_totals_beside_the_statuses(alice: User) -> None:
    etf = SourceFactory.create(
        owner=alice, name="ETF", payout_rhythm="quarterly", next_payout_date=date(2025, 9, 15),
        start_date=date(2024, 1, 1),
    )  # fmt: skip
    for day, gross in (
        (date(2024, 9, 20), "100"), (date(2024, 12, 20), "100"),
        (date(2025, 3, 20), "100"), (date(2025, 6, 20), "120"),
    ):  # fmt: skip
        PaymentFactory.create(source=etf, date=day, gross=D(gross))
    flat = SourceFactory.create(
        owner=alice, name="Flat", category=category("rent"), payout_rhythm="monthly",
        start_date=date(2024, 1, 1),
    )  # fmt: skip
    month = date(2024, 7, 3)
    while month <= TODAY:
        PaymentFactory.create(source=flat, date=month, gross=D("750"))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 3)

    page = calendar_page(owner=alice, today=TODAY)

    assert page.currency == "EUR"
    cells = {source.name: {cell.entry.month: cell for cell in row} for source, row in page.rows}
    # ETF: (100 + 100 + 100 + 120) / 12 = 35 a month; a quarterly payout covers 3: 105.00
    assert cells["ETF"][date(2025, 9, 1)].expected_amount == D("105.00")
    assert cells["ETF"][date(2025, 8, 1)].expected_amount is None  # no payout expected
    assert cells["ETF"][date(2025, 6, 1)].received_net == D("120.00")
    # Flat: 12 × 750 / 12 = 750.00 each month
    assert cells["Flat"][date(2025, 8, 1)].expected_amount == D("750.00")
    totals = {total.month: total for total in page.totals}
    # June 2025: expected 105.00 (ETF) + 750.00 (flat) = 855.00; received 120 + 750 = 870.00
    assert totals[date(2025, 6, 1)].expected == D("855.00")
    assert totals[date(2025, 6, 1)].received == D("870.00")
    # 870 / 855 = 1.0175…
    share = totals[date(2025, 6, 1)].received_share
    assert share is not None
    assert share.quantize(D("0.0001")) == D("1.0175")
    # September 2025 lies ahead: expected 855.00, nothing received yet (None, not 0)
    assert totals[date(2025, 9, 1)].expected == D("855.00")
    assert totals[date(2025, 9, 1)].received is None
    # August: only the flat is expected
    assert totals[date(2025, 8, 1)].expected == D("750.00")
