"""A refund, chargeback or reversal is a payment with a negative gross (PRODUCT decision).

It is booked on its own date and reduces income in its month; every figure sums payments,
so every figure agrees. The rules hold in the database (check constraints, on SQLite and
PostgreSQL alike) and in the service, which names the field that breaks them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.utils import translation

from finance import figures
from finance.errors import DomainError
from income import reporting, services
from income.calendar import income_calendar
from income.models import IncomeSource, Payment
from tests.factories import PaymentFactory, SourceFactory

D = Decimal
AS_OF = date(2025, 6, 30)

# (gross, tax withheld, fees)
GOOD = [
    pytest.param("100.00", "10.00", "2.00", id="a receipt"),
    pytest.param("100.00", "60.00", "40.00", id="a receipt whose deductions take it all"),
    pytest.param("-40.00", "-4.00", "0.00", id="a refund that takes its tax back"),
    pytest.param("-40.00", "0.00", "15.00", id="a chargeback with a fee"),
    pytest.param("-40.00", "-4.00", "-1.20", id="a reversal that returns its fee"),
    pytest.param("-40.00", "-30.00", "-10.00", id="tax and fee at the amount reversed"),
]
# (gross, tax withheld, fees, the field the service names)
BAD = [
    pytest.param("100.00", "-1.00", "0.00", "tax_withheld", id="negative tax on a receipt"),
    pytest.param("100.00", "0.00", "-1.00", "fees", id="negative fees on a receipt"),
    pytest.param("100.00", "90.00", "10.01", "tax_withheld", id="deductions above the gross"),
    pytest.param("-40.00", "4.00", "0.00", "tax_withheld", id="a reversal keeping its tax"),
    pytest.param("-40.00", "-40.01", "0.00", "tax_withheld", id="more tax back than reversed"),
    pytest.param("-40.00", "0.00", "-40.01", "fees", id="a fee returned above the reversal"),
    pytest.param(
        "-40.00", "-40.00", "-40.00", "fees", id="a reversal giving back more than it reverses"
    ),
]


@pytest.fixture
def etf(alice: User) -> IncomeSource:
    return SourceFactory.create(owner=alice, name="ETF", start_date=date(2025, 1, 1))


# ----------------------------------------------------------------------------- database


@pytest.mark.parametrize(("gross", "tax", "fees"), GOOD)
def test_the_database_accepts_receipts_and_reversals(
    etf: IncomeSource, gross: str, tax: str, fees: str
) -> None:
    payment = Payment.objects.create(
        source=etf, date=AS_OF, gross=D(gross), tax_withheld=D(tax), fees=D(fees)
    )
    payment.refresh_from_db()
    assert (payment.gross, payment.tax_withheld, payment.fees) == (D(gross), D(tax), D(fees))


@pytest.mark.parametrize(("gross", "tax", "fees", "field"), BAD)
def test_the_database_refuses_amounts_that_break_the_rules(
    etf: IncomeSource, gross: str, tax: str, fees: str, field: str
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            source=etf, date=AS_OF, gross=D(gross), tax_withheld=D(tax), fees=D(fees)
        )
    assert not Payment.objects.exists()


def test_the_model_names_a_broken_rule_in_words(etf: IncomeSource) -> None:
    """``full_clean()`` outside the service (the admin) shows the constraint's message."""
    payment = Payment(source=etf, date=AS_OF, gross=D("-40.00"), tax_withheld=D("4.00"))
    with pytest.raises(ValidationError) as refused:
        payment.full_clean()
    assert refused.value.messages == [
        "The tax withheld of a reversal must be between the (negative) gross and zero, a "
        "returned fee may not exceed the amount reversed, and its net may not be positive."
    ]


def test_the_amounts_carry_no_non_negative_validator() -> None:
    for name in ("gross", "tax_withheld", "fees"):
        field = Payment._meta.get_field(name)
        assert isinstance(field, models.DecimalField)
        validators = field.validators
        assert not any(isinstance(v, MinValueValidator) for v in validators), name


# ----------------------------------------------------------------------------- service


@pytest.mark.parametrize(("gross", "tax", "fees"), GOOD)
def test_the_service_records_receipts_and_reversals(
    alice: User, etf: IncomeSource, gross: str, tax: str, fees: str
) -> None:
    payment = services.payment_create(
        owner=alice, source=etf, date=AS_OF, gross=D(gross), tax_withheld=D(tax), fees=D(fees)
    )
    assert payment.net == D(gross) - D(tax) - D(fees)
    assert payment.is_reversal == (D(gross) < 0)


@pytest.mark.parametrize(("gross", "tax", "fees", "field"), BAD)
def test_the_service_refuses_bad_amounts_next_to_their_field(
    alice: User, etf: IncomeSource, gross: str, tax: str, fees: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.payment_create(
            owner=alice, source=etf, date=AS_OF, gross=D(gross), tax_withheld=D(tax), fees=D(fees)
        )
    assert list(refused.value.field_errors) == [field]
    assert not Payment.objects.exists()


def test_the_messages_of_a_bad_reversal(alice: User, etf: IncomeSource) -> None:
    with pytest.raises(DomainError) as refused:
        services.payment_create(
            owner=alice, source=etf, date=AS_OF, gross=D("-40"), tax_withheld=D("1"), fees=D("-41")
        )
    assert refused.value.field_errors == {
        "tax_withheld": [
            "The tax withheld of a reversal must be between the (negative) gross and zero."
        ],
        "fees": ["A returned fee may not exceed the amount reversed."],
    }


def test_the_german_messages_of_a_bad_reversal(alice: User, etf: IncomeSource) -> None:
    with translation.override("de"), pytest.raises(DomainError) as refused:
        services.payment_create(
            owner=alice, source=etf, date=AS_OF, gross=D("-40"), tax_withheld=D("1"), fees=D("-41")
        )
    assert refused.value.field_errors == {
        "tax_withheld": [
            "Die einbehaltene Steuer einer Stornierung muss zwischen dem (negativen) "
            "Bruttobetrag und null liegen."
        ],
        "fees": ["Eine erstattete Gebühr darf den stornierten Betrag nicht übersteigen."],
    }


def test_an_update_turning_a_receipt_into_a_reversal_follows_the_reversal_rules(
    alice: User, etf: IncomeSource
) -> None:
    payment = PaymentFactory.create(source=etf, gross=D("100.00"), tax_withheld=D("10.00"))
    with pytest.raises(DomainError) as refused:
        services.payment_update(owner=alice, payment=payment, gross=D("-100.00"))
    assert list(refused.value.field_errors) == ["tax_withheld"]
    services.payment_update(
        owner=alice, payment=payment, gross=D("-100.00"), tax_withheld=D("-10.00")
    )
    payment.refresh_from_db()
    assert payment.net == D("-90.00")


# ----------------------------------------------------------------------------- figures


@pytest.fixture
def refunded(alice: User, etf: IncomeSource) -> IncomeSource:
    """March: 100.00 gross, 10.00 withheld. April: 40.00 of it refunded, with its 4.00 tax
    back and a 2.50 chargeback fee. The ETF cost 50.00 upfront."""
    services.source_update(source=etf, upfront_investment=D("50.00"))
    PaymentFactory.create(
        source=etf, date=date(2025, 3, 10), gross=D("100.00"), tax_withheld=D("10.00")
    )
    PaymentFactory.create(
        source=etf,
        date=date(2025, 4, 20),
        gross=D("-40.00"),
        tax_withheld=D("-4.00"),
        fees=D("2.50"),
    )
    return etf


def test_a_refund_reduces_the_net_of_its_own_month_and_the_ttm(
    alice: User, refunded: IncomeSource
) -> None:
    view = reporting.overview(owner=alice, as_of=AS_OF)
    # March 100.00 − 10.00 = 90.00; April −40.00 + 4.00 − 2.50 = −38.50
    assert view.passive_net_by_month[date(2025, 3, 1)] == D("90.00")
    assert view.passive_net_by_month[date(2025, 4, 1)] == D("-38.50")
    assert view.passive_gross_by_month[date(2025, 4, 1)] == D("-40.00")
    # 90.00 − 38.50 = 51.50; gross 100.00 − 40.00 = 60.00
    assert view.passive_net_ttm == D("51.50")
    assert view.passive_gross_ttm == D("60.00")
    (etf,) = view.sources
    assert etf.net_to_date == D("51.50")
    assert etf.net_ttm == D("51.50")
    # A capital source (issue #17.6): no cash ROI; the income yield on the upfront money,
    # with no value recorded, counts the refund: 51.50 / 50.00 = 1.03
    assert etf.cash_roi is None
    assert etf.income_yield == D("1.0300")
    # cumulative net: March 90.00 ≥ 50.00 reached; the April refund does not undo history
    assert etf.payback == figures.Payback(month=date(2025, 3, 1), projected=False)


def test_a_source_with_only_a_refund_in_its_ttm_has_a_negative_ttm_and_no_crash(
    alice: User, etf: IncomeSource
) -> None:
    services.source_update(source=etf, upfront_investment=D("50.00"), setup_hours=D("2"))
    PaymentFactory.create(
        source=etf, date=date(2025, 5, 5), gross=D("-30.00"), tax_withheld=D("-3.00")
    )
    view = reporting.overview(owner=alice, as_of=AS_OF)
    (source,) = view.sources
    assert source.net_ttm == D("-27.00")
    assert view.passive_net_ttm == D("-27.00")
    # A capital source (issue #17.6): no cash ROI; the income yield on the upfront money
    # is negative with the refund: −27.00 / 50.00 = −0.54
    assert source.cash_roi is None
    assert source.income_yield == D("-0.5400")
    # (−27.00 − 0) / 2 hours = −13.50 an hour
    assert source.effective_hourly_rate == D("-13.50")
    assert source.payback == figures.Payback(month=None, projected=True)
    assert view.passive_share is None  # all net income is negative: no share of it
    assert view.concentration["source"] == []  # nothing positive earned: no shares


def test_concentration_shares_are_of_the_sources_with_a_positive_ttm(alice: User) -> None:
    """A source whose TTM net is negative carries no share (listed with 0) and does not push
    the others above 100 %: shares are of the total of the positive TTMs."""
    good = SourceFactory.create(owner=alice, name="Good", start_date=date(2025, 1, 1))
    other = SourceFactory.create(owner=alice, name="Other", start_date=date(2025, 1, 1))
    bad = SourceFactory.create(owner=alice, name="Refunded", start_date=date(2025, 1, 1))
    PaymentFactory.create(source=good, date=date(2025, 5, 1), gross=D("300.00"))
    PaymentFactory.create(source=other, date=date(2025, 5, 1), gross=D("100.00"))
    PaymentFactory.create(source=bad, date=date(2025, 5, 1), gross=D("-80.00"))
    view = reporting.overview(owner=alice, as_of=AS_OF)
    shares = {share.key: (share.amount, share.share) for share in view.concentration["source"]}
    # 300 / (300 + 100) = 0.75, 100 / 400 = 0.25
    assert shares == {
        "Good": (D("300.00"), D("0.7500")),
        "Other": (D("100.00"), D("0.2500")),
        "Refunded": (D("-80.00"), D("0.0000")),
    }
    assert sum(share for _amount, share in shares.values()) == 1
    assert view.concentration_warnings["source"].key == "Good"
    # the total still counts the refund: 300 + 100 − 80 = 320
    assert view.passive_net_ttm == D("320.00")


def test_the_calendar_does_not_count_a_month_with_only_a_refund_as_received(
    alice: User, etf: IncomeSource
) -> None:
    services.source_update(source=etf, payout_rhythm="monthly", next_payout_date=date(2025, 4, 15))
    PaymentFactory.create(source=etf, date=date(2025, 4, 20), gross=D("-40.00"))
    PaymentFactory.create(source=etf, date=date(2025, 5, 20), gross=D("25.00"))
    (row,) = income_calendar(owner=alice, today=date(2025, 6, 10))
    by_month = {entry.month: entry for entry in row.entries}
    assert (by_month[date(2025, 4, 1)].status, by_month[date(2025, 4, 1)].received) == (
        "overdue",
        D("-40.00"),
    )
    assert by_month[date(2025, 5, 1)].status == "received"
