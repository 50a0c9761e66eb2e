"""Every billing preset's fixture, a file in the platform's real layout with our own rows,
reads to exactly the subscriptions a careful person would record: each customer,
subscription id, price, interval, start, trial, cancellation, end and pause, and each
skipped row with its reason; and the rules every billing file is held to."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from imports.parsing.billing.intervals import interval_of, period_after
from imports.parsing.billing.presets import BILLING_PRESETS
from imports.parsing.billing.reader import billing_preset_of, parse_billing
from imports.parsing.billing.rows import BillingResult
from imports.parsing.drafts import CellError
from imports.parsing.presets import detect_layout
from imports.parsing.text import decode, detect_delimiter, read_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BILLING = FIXTURES / "billing"
CURRENCIES = ("EUR", "USD", "GBP", "CHF")
D = date


def read(name: str, *, data: bytes | None = None) -> BillingResult:
    raw = data if data is not None else (BILLING / f"{name}.csv").read_bytes()
    result = parse_billing(raw, currencies=CURRENCIES, default_currency="EUR")
    assert result is not None, "not recognised as a billing export"
    return result


def rows(result: BillingResult) -> list[tuple[object, ...]]:
    """(line, customer, subscription, amount, currency, interval, count, quantity, started,
    trial ends, cancelled on, ended, pauses) of every row."""
    return [
        (
            r.line, r.customer, r.subscription, r.amount, r.currency, r.interval,
            r.interval_count, r.quantity, r.started, r.trial_ends, r.cancelled_on, r.ended,
            r.pauses,
        )
        for r in result.rows
    ]  # fmt: skip


def skipped(result: BillingResult) -> list[tuple[int, str, str]]:
    return [(s.line, s.reason, s.value) for s in result.skipped]


def test_each_fixture_is_recognised_as_its_preset() -> None:
    for key in BILLING_PRESETS:
        data = (BILLING / f"{key}.csv").read_bytes()
        found = billing_preset_of(data)
        assert found is not None, key
        assert found.key == key
        assert read(key).preset == key


def test_no_statement_fixture_is_taken_for_a_billing_export() -> None:
    """The payment presets' files (a Stripe balance export, Gumroad sales) stay statements."""
    statements = sorted(FIXTURES.glob("*.csv"))
    assert len(statements) > 20
    for path in statements:
        assert billing_preset_of(path.read_bytes()) is None, path.name
        assert read_or_none(path.read_bytes()) is None, path.name


def read_or_none(data: bytes) -> BillingResult | None:
    return parse_billing(data, currencies=CURRENCIES, default_currency="EUR")


def test_no_billing_fixture_is_taken_for_a_statement_preset() -> None:
    for key in BILLING_PRESETS:
        text = decode((BILLING / f"{key}.csv").read_bytes())
        assert text is not None
        records = read_records(
            text, delimiter=detect_delimiter(text, header_score=lambda _r: 0), max_rows=100
        )
        assert records is not None
        _layout, preset = detect_layout(records)
        assert preset is None, (key, preset)


def test_stripe_subscriptions() -> None:
    result = read("stripe_subscriptions")
    assert result.ok
    assert result.total_rows == 8
    assert rows(result) == [
        # Active monthly: 19 € from its start.
        (2, "cus_QaA01", "sub_1PaA01", Decimal("19.00"), "EUR", "month", 1, 1,
         D(2024, 1, 15), None, None, None, ()),
        # A yearly plan keeps its yearly price; MRR divides it by 12 (20 €).
        (3, "cus_QaB01", "sub_1PaB01", Decimal("240.00"), "EUR", "year", 1, 1,
         D(2024, 2, 1), None, None, None, ()),
        # Cancelled on 5 March, ended on 10 March (Ended At).
        (4, "cus_QaC01", "sub_1PaC01", Decimal("19.00"), "EUR", "month", 1, 1,
         D(2024, 1, 10), None, D(2024, 3, 5), D(2024, 3, 10), ()),
        # Trialing: pays from the trial's end.
        (5, "cus_QaD01", "sub_1PaD01", Decimal("19.00"), "EUR", "month", 1, 1,
         D(2024, 4, 1), D(2024, 4, 15), None, None, ()),
        # (line 6: incomplete_expired, never paid)
        # Cancelled at the period's end: ends when the current period does.
        (7, "cus_QaF01", "sub_1PaF01", Decimal("19.00"), "EUR", "month", 1, 1,
         D(2024, 2, 20), None, D(2024, 5, 2), D(2024, 5, 20), ()),
        # Paused since its trial ended without a payment method.
        (8, "cus_QaG01", "sub_1PaG01", Decimal("19.00"), "EUR", "month", 1, 1,
         D(2024, 2, 15), D(2024, 3, 1), None, None, ((D(2024, 3, 1), None),)),
        # Anna's second subscription, three seats, past due: still running.
        (9, "cus_QaA01", "sub_1PaA02", Decimal("5.00"), "EUR", "month", 1, 3,
         D(2024, 3, 1), None, None, None, ()),
    ]  # fmt: skip
    assert skipped(result) == [(6, "never_paid", "incomplete_expired")]
    assert result.customers == 6
    names = {r.customer: r.customer_name for r in result.rows}
    assert names["cus_QaD01"] == "Dora (team)"  # no Customer Name: the description
    assert [r.plan for r in result.rows][:2] == ["Ertrag Pro", "Ertrag Pro (yearly)"]


def test_patreon_members() -> None:
    result = read("patreon_members")
    assert result.ok
    assert rows(result) == [
        (2, "81000001", "membership", Decimal("5.00"), "EUR", "month", 1, 1,
         D(2023, 11, 2), None, None, None, ()),
        # Former, no access expiration: the last charge's month ran out on 1 February.
        (3, "81000002", "membership", Decimal("3.00"), "EUR", "month", 1, 1,
         D(2023, 6, 1), None, None, D(2024, 2, 1), ()),
        # Former with an access expiration: ended then.
        (4, "81000003", "membership", Decimal("5.00"), "EUR", "month", 1, 1,
         D(2023, 12, 15), None, None, D(2024, 3, 15), ()),
        # Declined: Patreon retries, the member keeps access: still running.
        (5, "81000004", "membership", Decimal("10.00"), "EUR", "month", 1, 1,
         D(2024, 1, 1), None, None, None, ()),
        (8, "81000007", "membership", Decimal("50.00"), "EUR", "year", 1, 1,
         D(2024, 3, 10), None, None, None, ()),
        # On a free trial until the next charge.
        (9, "81000008", "membership", Decimal("5.00"), "EUR", "month", 1, 1,
         D(2024, 5, 1), D(2024, 5, 8), None, None, ()),
    ]  # fmt: skip
    assert skipped(result) == [(6, "free", ""), (7, "free", "")]
    assert result.rows[0].customer_name == "Ida Jansen"
    assert result.rows[0].plan == "Supporter"


def test_patreon_members_of_the_dollar_years() -> None:
    result = read("patreon_members_dollars")
    assert result.ok
    assert rows(result) == [
        (2, "4100001", "membership", Decimal("12.00"), "USD", "month", 1, 1,
         D(2017, 3, 4), None, None, None, ()),
        (3, "4100002", "membership", Decimal("2.00"), "USD", "month", 1, 1,
         D(2018, 1, 20), None, None, D(2018, 4, 1), ()),
    ]  # fmt: skip


def test_polar_subscriptions() -> None:
    result = read("polar_subscriptions")
    assert result.ok
    assert [(r.line, r.customer, r.amount, r.amount_off, r.interval, r.interval_count,
             r.started, r.trial_ends, r.cancelled_on, r.ended) for r in result.rows] == [
        (2, "ava@example.org", Decimal("9.00"), Decimal("0.00"), "month", 1,
         D(2024, 1, 5), None, None, None),
        # 90 € a year, 72 € after its discount: 18 € off per period.
        (3, "bea@example.org", Decimal("90.00"), Decimal("18.00"), "year", 1,
         D(2024, 2, 10), None, None, None),
        (4, "cem@example.org", Decimal("9.00"), Decimal("0.00"), "month", 1,
         D(2024, 1, 20), None, D(2024, 3, 28), D(2024, 4, 20)),
        # "3 months": billed quarterly.
        (5, "dia@example.org", Decimal("25.00"), Decimal("0.00"), "month", 3,
         D(2024, 3, 1), None, None, None),
        (7, "fay@example.org", Decimal("9.00"), Decimal("0.00"), "month", 1,
         D(2024, 2, 1), None, D(2024, 5, 12), D(2024, 6, 1)),
        (8, "gus@example.org", Decimal("9.00"), Decimal("0.00"), "month", 1,
         D(2024, 5, 1), D(2024, 5, 15), None, None),
    ]  # fmt: skip
    assert skipped(result) == [(6, "never_paid", "incomplete_expired")]
    # No ids in the export: a subscription is its product and its start.
    assert result.rows[0].subscription == "Starter 2024-01-05T09:00:00.000000+00:00"
    assert {r.currency for r in result.rows} == {"EUR"}


def test_baremetrics_template() -> None:
    result = read("baremetrics_template")
    assert result.ok
    assert rows(result) == [
        (2, "c-100", "s-100", Decimal("19.00"), "EUR", "month", 1, 1,
         D(2024, 1, 3), None, None, None, ()),
        (3, "c-101", "s-101", Decimal("190.00"), "EUR", "year", 1, 1,
         D(2024, 2, 1), None, None, None, ()),
        (4, "c-102", "s-102", Decimal("19.00"), "EUR", "month", 1, 1,
         D(2024, 1, 10), None, D(2024, 3, 10), D(2024, 3, 10), ()),
        # 12.50 € per seat every two weeks, four seats.
        (5, "c-103", "s-103", Decimal("12.50"), "EUR", "week", 2, 4,
         D(2024, 3, 4), None, None, None, ()),
    ]  # fmt: skip


STRIPE_HEADER = "id,Customer ID,Customer Name,Currency,Interval,Amount,Status,Start Date (UTC)"


def stripe(*lines: str, header: str = STRIPE_HEADER, delimiter: str = ",") -> BillingResult:
    text = "\n".join([header.replace(",", delimiter), *lines]) + "\n"
    return read("", data=text.encode())


def test_a_semicolon_file_saved_by_a_german_spreadsheet_reads_its_decimal_commas() -> None:
    result = stripe(
        "sub_1;cus_1;Ada;eur;month;19,00;active;15.01.2024 09:12",
        "sub_2;cus_2;Bo;eur;year;1.200,50;active;01.02.2024",
        delimiter=";",
    )
    assert result.ok
    assert [(r.amount, r.started) for r in result.rows] == [
        (Decimal("19.00"), D(2024, 1, 15)),
        (Decimal("1200.50"), D(2024, 2, 1)),
    ]


def test_amounts_with_more_than_two_decimals_are_rounded_half_up_with_a_warning() -> None:
    result = stripe("sub_1,cus_1,Ada,eur,month,9.995,active,2024-01-15 09:12")
    assert result.rows[0].amount == Decimal("10.00")
    assert result.warnings


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("sub_1,,Ada,eur,month,19.00,active,2024-01-15", "customer"),
        ("sub_1,cus_1,Ada,xyz,month,19.00,active,2024-01-15", "currency"),
        ("sub_1,cus_1,Ada,eur,fortnight,19.00,active,2024-01-15", "interval"),
        ("sub_1,cus_1,Ada,eur,month,-19.00,active,2024-01-15", "amount"),
        ("sub_1,cus_1,Ada,eur,month,19 Euro,active,2024-01-15", "amount"),
        ("sub_1,cus_1,Ada,eur,month,,active,2024-01-15", "amount"),
        ("sub_1,cus_1,Ada,eur,month,19.00,active,", "started"),
        ("sub_1,cus_1,Ada,eur,month,19.00,active,2024-02-30", "started"),
    ],
)
def test_a_row_that_cannot_be_a_subscription_is_an_error_naming_its_field(
    line: str, field: str
) -> None:
    result = stripe("sub_0,cus_0,Ok,eur,month,19.00,active,2024-01-01", line)
    assert [(e.line, e.field) for e in result.errors] == [(3, field)]
    assert [r.line for r in result.rows] == [2]  # the good row is kept for "the good rows"
    assert result.rejected == ((3, tuple(line.split(","))),)


def test_an_end_before_the_start_is_an_error() -> None:
    header = STRIPE_HEADER + ",Ended At (UTC)"
    result = stripe("sub_1,cus_1,Ada,eur,month,19.00,canceled,2024-03-01,2024-02-01", header=header)
    assert [(e.line, e.field) for e in result.errors] == [(2, "ended")]


def test_a_subscription_listed_twice_is_an_error_on_its_second_line() -> None:
    result = stripe(
        "sub_1,cus_1,Ada,eur,month,19.00,active,2024-01-15",
        "sub_1,cus_1,Ada,eur,month,29.00,active,2024-01-15",
    )
    assert [(e.line, e.field) for e in result.errors] == [(3, "subscription")]


def test_a_repeated_header_is_skipped() -> None:
    result = stripe("sub_1,cus_1,Ada,eur,month,19.00,active,2024-01-15", STRIPE_HEADER)
    assert skipped(result) == [(3, "header", "")]


def test_a_row_with_more_cells_than_the_header_is_an_error() -> None:
    result = stripe("sub_1,cus_1,Ada,eur,month,19,00,active,2024-01-15")
    assert [e.line for e in result.errors] == [2]


def test_a_header_without_rows_is_a_file_error() -> None:
    result = stripe()
    assert result.file_errors
    assert not result.rows


def test_a_file_over_the_row_limit_stops_while_it_is_read() -> None:
    lines = [f"sub_{n},cus_{n},A,eur,month,1.00,active,2024-01-01" for n in range(50)]
    data = ("\n".join([STRIPE_HEADER, *lines]) + "\n").encode()
    result = parse_billing(data, currencies=CURRENCIES, default_currency="EUR", max_rows=10)
    assert result is not None
    assert result.file_errors
    assert not result.rows


def test_a_huge_cell_fails_its_row_before_any_pattern_reads_it() -> None:
    result = stripe(f"sub_1,cus_1,Ada,eur,month,{'9' * 5000},active,2024-01-15")
    assert [e.line for e in result.errors] == [2]


def test_a_file_that_is_not_text_or_not_a_billing_export_is_none() -> None:
    assert read_or_none(b"\x00\x01\x02binary") is None
    assert read_or_none(b"") is None
    assert read_or_none(b"Date,Amount\n2024-01-01,5.00\n") is None


@pytest.mark.parametrize(
    ("text", "count", "expected"),
    [
        ("month", 1, ("month", 1)), ("Monthly", 1, ("month", 1)), ("month", 3, ("month", 3)),
        ("3 months", 1, ("month", 3)), ("every 2 weeks", 1, ("week", 2)),
        ("annual", 1, ("year", 1)), ("quarterly", 1, ("month", 3)),
        ("biannually", 1, ("month", 6)), ("every_two_years", 1, ("year", 2)),
        ("day", 1, ("day", 1)),
    ],
)  # fmt: skip
def test_intervals_as_platforms_write_them(text: str, count: int, expected: object) -> None:
    assert interval_of(text, count=count) == expected


@pytest.mark.parametrize("text", ["", "fortnight", "0 months", "per creation"])
def test_an_unknown_interval_is_an_error(text: str) -> None:
    with pytest.raises(CellError):
        interval_of(text)


def test_a_period_after_the_31st_ends_on_the_last_day_of_a_shorter_month() -> None:
    assert period_after(D(2024, 1, 31), interval="month", count=1) == D(2024, 2, 29)
    assert period_after(D(2024, 2, 29), interval="year", count=1) == D(2025, 2, 28)
    assert period_after(D(2024, 3, 1), interval="week", count=2) == D(2024, 3, 15)
    assert period_after(D(2024, 12, 15), interval="month", count=3) == D(2025, 3, 15)
