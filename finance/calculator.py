"""The passive-income calculator of the seed (``seeds/004``), exactly.

    gross = P × (1 + r)^n − P
    net   = gross × (1 − tax) + additional

Rounding follows PRODUCT.md §4 and the seed's worked example: ``gross`` is rounded to
cents (half up) first; then ``gross × (1 − tax)`` is rounded, and the tax shown is
``gross`` minus that amount, so gross − tax + additional = net to the cent. Tax is due
only on a positive gross: on a loss, net = gross + additional.

Seed example: P = 10,000, r = 0.05, n = 10, tax = 0.15, additional = 1,000 gives
gross 6288.95 and net 6345.61.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from finance.errors import DomainError
from finance.rounding import EXACT, to_cents

ZERO = Decimal(0)
ONE = Decimal(1)

# Input bounds (PRODUCT.md §4). Forms and serializers build their validators from these.
MAX_AMOUNT = Decimal("9999999999999.99")  # DecimalField(max_digits=15, decimal_places=2)
MIN_ANNUAL_RETURN = Decimal(-1)  # exclusive: r = -1 would wipe out the capital, r < -1 is noise
MAX_ANNUAL_RETURN = Decimal(10)
MAX_YEARS = 100
RATE_DECIMAL_PLACES = 8


@dataclass(frozen=True)
class CalculatorYear:
    """The result had the investment ended after ``year`` years."""

    year: int
    capital: Decimal
    gross_income: Decimal
    tax: Decimal
    net_income: Decimal


@dataclass(frozen=True)
class CalculatorResult:
    gross_income: Decimal
    tax: Decimal
    net_income: Decimal
    final_capital: Decimal
    yearly: tuple[CalculatorYear, ...]


def _check_inputs(
    *,
    initial_investment: Decimal,
    annual_return: Decimal,
    investment_period: int,
    tax_rate: Decimal,
    additional_income: Decimal,
) -> None:
    """Reject inputs outside PRODUCT.md §4, each with its field, before any arithmetic."""
    errors: dict[str, list[str]] = {}
    for name, value in (
        ("initial_investment", initial_investment),
        ("annual_return", annual_return),
        ("tax_rate", tax_rate),
        ("additional_income", additional_income),
    ):
        if not value.is_finite():
            errors[name] = ["Enter a finite number."]
    if errors:
        raise DomainError(errors)
    if not ZERO <= initial_investment <= MAX_AMOUNT:
        errors["initial_investment"] = [f"Must be between 0 and {MAX_AMOUNT}."]
    if not MIN_ANNUAL_RETURN < annual_return <= MAX_ANNUAL_RETURN:
        errors["annual_return"] = [
            f"Must be greater than {MIN_ANNUAL_RETURN} and at most {MAX_ANNUAL_RETURN}."
        ]
    if not 0 <= investment_period <= MAX_YEARS:
        errors["investment_period"] = [f"Must be a whole number of years from 0 to {MAX_YEARS}."]
    if not ZERO <= tax_rate <= ONE:
        errors["tax_rate"] = ["Must be between 0 and 1."]
    if not ZERO <= additional_income <= MAX_AMOUNT:
        errors["additional_income"] = [f"Must be between 0 and {MAX_AMOUNT}."]
    if errors:
        raise DomainError(errors)


def after_tax(*, gross: Decimal, tax_rate: Decimal) -> Decimal:
    """``gross × (1 − tax)`` rounded to cents; the whole gross when it is not positive.

    The seed multiplies the rounded gross by (1 − tax) and rounds that product, rather
    than rounding the tax first; the two can differ by a cent, and the seed's example
    (6288.95 × 0.85 = 5345.6075 → 5345.61) only comes out this way.
    """
    if gross <= ZERO:
        return gross
    with localcontext(EXACT):
        return to_cents(gross * (ONE - tax_rate))


def _year(
    *, year: int, capital: Decimal, principal: Decimal, tax_rate: Decimal, additional: Decimal
) -> CalculatorYear:
    with localcontext(EXACT):
        gross = to_cents(capital - principal)
        kept = after_tax(gross=gross, tax_rate=tax_rate)
        return CalculatorYear(
            year=year,
            capital=to_cents(capital),
            gross_income=gross,
            tax=gross - kept,
            net_income=kept + additional,
        )


def calculate(
    *,
    initial_investment: Decimal,
    annual_return: Decimal,
    investment_period: int,
    tax_rate: Decimal,
    additional_income: Decimal,
) -> CalculatorResult:
    """Gross and net passive income of a one-off investment, with a row per year.

    Each yearly row is computed from the exact capital of that year (never from the
    previous row's rounded figure), so the last row equals the headline result.
    ``additional_income`` is the seed's one-off "other income" and is part of every
    row's net, so a row reads "what you would have if you stopped after this year".
    Raises ``DomainError`` for inputs outside PRODUCT.md §4.
    """
    _check_inputs(
        initial_investment=initial_investment,
        annual_return=annual_return,
        investment_period=investment_period,
        tax_rate=tax_rate,
        additional_income=additional_income,
    )
    yearly: list[CalculatorYear] = []
    with localcontext(EXACT):
        growth = ONE + annual_return
        capital = initial_investment
        for year in range(1, investment_period + 1):
            capital = capital * growth  # exact: EXACT holds every digit (see rounding.py)
            yearly.append(
                _year(
                    year=year,
                    capital=capital,
                    principal=initial_investment,
                    tax_rate=tax_rate,
                    additional=additional_income,
                )
            )
    final = (
        yearly[-1]
        if yearly
        else _year(
            year=0,
            capital=initial_investment,
            principal=initial_investment,
            tax_rate=tax_rate,
            additional=additional_income,
        )
    )
    return CalculatorResult(
        gross_income=final.gross_income,
        tax=final.tax,
        net_income=final.net_income,
        final_capital=final.capital,
        yearly=tuple(yearly),
    )
