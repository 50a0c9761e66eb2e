"""The bounds of a projection's inputs (PRODUCT.md §4), each error under its field.

``project`` and ``source_monthly_net`` check their inputs here before they compute, and
the Monte Carlo fan checks its plan here too; a service words the messages for its form.
"""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never

from finance.calculator import (
    MAX_AMOUNT,
    MAX_ANNUAL_RETURN,
    MAX_YEARS,
    MIN_ANNUAL_RETURN,
)
from finance.errors import DomainError
from scenarios.projection.inputs import (
    COMPOUNDING_YEARLY,
    COMPOUNDINGS,
    TAX_AT_END,
    TAX_TIMINGS,
    CapitalSource,
    FlatSource,
    Plan,
    RentalSource,
    SourceModel,
    SubscriptionSource,
)

ZERO = Decimal(0)
ONE = Decimal(1)

MIN_HORIZON_YEARS = 1
# Volatility is a yearly standard deviation, not a share: equities ~0.15–0.2, crypto ~0.8;
# the Scenario model accepts up to 2, so the projection does too.
MAX_VOLATILITY = Decimal(2)
# Inflation may be negative (deflation), but not −100 %: the deflator must stay positive.
MIN_INFLATION = Decimal(-1)  # exclusive
MAX_INFLATION = ONE
# The Basiszins has been from −0.45 % (2021) to 3.20 % (2026); a plan may assume any rate
# a bond market could give, and nothing beyond.
MIN_BASISZINS = Decimal("-0.1")
MAX_BASISZINS = Decimal("0.2")


def _finite(errors: dict[str, list[str]], fields: dict[str, Decimal]) -> None:
    for name, value in fields.items():
        if not value.is_finite():
            errors.setdefault(name, []).append("Enter a finite number.")


def _amount(errors: dict[str, list[str]], name: str, value: Decimal) -> None:
    if value.is_finite() and not ZERO <= value <= MAX_AMOUNT:
        errors.setdefault(name, []).append(f"Must be between 0 and {MAX_AMOUNT}.")


def _share(errors: dict[str, list[str]], name: str, value: Decimal) -> None:
    if value.is_finite() and not ZERO <= value <= ONE:
        errors.setdefault(name, []).append("Must be between 0 and 1.")


def _growth(errors: dict[str, list[str]], name: str, value: Decimal) -> None:
    if value.is_finite() and not MIN_ANNUAL_RETURN < value <= MAX_ANNUAL_RETURN:
        errors.setdefault(name, []).append(
            f"Must be greater than {MIN_ANNUAL_RETURN} and at most {MAX_ANNUAL_RETURN}."
        )


def validate_plan(plan: Plan) -> None:
    """Reject a plan outside PRODUCT.md §4's bounds, each error under its field.

    The bounds are the calculator's (``finance.calculator``): amounts from 0 to
    the largest ``DecimalField(15, 2)``, a return above −100 % and at most 1,000 %,
    shares (tax rate, partial exemption) from 0 to 1, a horizon of 1 to 100 whole
    years. Inflation may be negative (deflation) but above −100 %, at most 100 %;
    volatility from 0 to ``MAX_VOLATILITY``. Raises ``DomainError``.
    """
    errors: dict[str, list[str]] = {}
    decimals = {
        "starting_capital": plan.starting_capital,
        "monthly_contribution": plan.monthly_contribution,
        "annual_return": plan.annual_return,
        "tax_rate": plan.tax_rate,
        "yearly_allowance": plan.yearly_allowance,
        "partial_exemption": plan.partial_exemption,
        "inflation": plan.inflation,
        "additional_yearly_income": plan.additional_yearly_income,
        "target_monthly_income": plan.target_monthly_income,
        "monthly_expenses": plan.monthly_expenses,
        "one_off_income": plan.one_off_income,
        "basiszins": plan.basiszins,
    }
    if plan.volatility is not None:
        decimals["volatility"] = plan.volatility
    _finite(errors, decimals)
    if not MIN_HORIZON_YEARS <= plan.horizon_years <= MAX_YEARS:
        errors["horizon_years"] = [
            f"Must be a whole number of years from {MIN_HORIZON_YEARS} to {MAX_YEARS}."
        ]
    for name in (
        "starting_capital",
        "monthly_contribution",
        "yearly_allowance",
        "additional_yearly_income",
        "target_monthly_income",
        "monthly_expenses",
        "one_off_income",
    ):
        _amount(errors, name, decimals[name])
    _growth(errors, "annual_return", plan.annual_return)
    _share(errors, "tax_rate", plan.tax_rate)
    _share(errors, "partial_exemption", plan.partial_exemption)
    if plan.inflation.is_finite() and not MIN_INFLATION < plan.inflation <= MAX_INFLATION:
        errors.setdefault("inflation", []).append(
            f"Must be greater than {MIN_INFLATION} and at most {MAX_INFLATION}."
        )
    if plan.basiszins.is_finite() and not MIN_BASISZINS <= plan.basiszins <= MAX_BASISZINS:
        errors["basiszins"] = [f"Must be from {MIN_BASISZINS} to {MAX_BASISZINS}."]
    if plan.compounding not in COMPOUNDINGS:
        errors["compounding"] = [f"Must be one of: {', '.join(COMPOUNDINGS)}."]
    volatility = plan.volatility
    if (
        volatility is not None
        and volatility.is_finite()
        and not ZERO <= volatility <= MAX_VOLATILITY
    ):
        errors["volatility"] = [f"Must be between 0 and {MAX_VOLATILITY}."]
    if plan.tax_timing not in TAX_TIMINGS:
        errors["tax_timing"] = [f"Must be one of: {', '.join(TAX_TIMINGS)}."]
    elif not errors:
        at_end = plan.tax_timing == TAX_AT_END
        for name in tax_timing_conflicts(
            tax_timing=plan.tax_timing,
            monthly_contribution=plan.monthly_contribution,
            compounding=plan.compounding,
            payout=plan.payout,
            additional_yearly_income=plan.additional_yearly_income,
            yearly_allowance=plan.yearly_allowance,
            partial_exemption=plan.partial_exemption,
            one_off_income=plan.one_off_income,
        ):
            errors[name] = [
                "Not possible with the tax paid at the end."
                if at_end
                else "Only possible with the tax paid at the end."
            ]
    if errors:
        raise DomainError(errors)


def tax_timing_conflicts(
    *,
    tax_timing: str,
    monthly_contribution: Decimal,
    compounding: str,
    payout: bool,
    additional_yearly_income: Decimal,
    yearly_allowance: Decimal,
    partial_exemption: Decimal,
    one_off_income: Decimal,
) -> tuple[str, ...]:
    """The names of the inputs a plan with this ``tax_timing`` cannot have.

    A plan taxed at the end is a saved calculation: it reproduces the seed's calculator
    (PRODUCT.md §4 "Saved calculations") exactly, and the calculator knows one investment
    that compounds yearly and is reinvested, one tax rate on the whole gain, and a
    one-off additional income. A savings plan, monthly compounding, a payout, a yearly
    additional income, an allowance or a partial exemption would each make it another
    calculation than the calculator's, so such a plan has none of them; and only it has
    the calculator's one-off income. The names are the plan's; the service that checks a
    scenario before saving it words the message for its own fields.
    """
    if tax_timing != TAX_AT_END:
        return ("one_off_income",) if one_off_income != ZERO else ()
    found = {
        "monthly_contribution": monthly_contribution != ZERO,
        "compounding": compounding != COMPOUNDING_YEARLY,
        "payout": payout,
        "additional_yearly_income": additional_yearly_income != ZERO,
        "yearly_allowance": yearly_allowance != ZERO,
        "partial_exemption": partial_exemption != ZERO,
    }
    return tuple(name for name, conflict in found.items() if conflict)


def source_errors(source: SourceModel) -> dict[str, list[str]]:
    """Field errors of one source model, keyed by its attribute names."""
    errors: dict[str, list[str]] = {}
    amounts: dict[str, Decimal]
    shares: dict[str, Decimal]
    growths: dict[str, Decimal]
    match source:
        case CapitalSource():
            amounts = {"capital": source.capital, "monthly_costs": source.monthly_costs}
            shares = {"tax_rate": source.tax_rate}
            growths = {"annual_yield": source.annual_yield}
        case RentalSource():
            amounts = {
                "monthly_rent": source.monthly_rent,
                "monthly_running_costs": source.monthly_running_costs,
                "monthly_costs": source.monthly_costs,
            }
            shares = {
                "vacancy_rate": source.vacancy_rate,
                "management_fee_rate": source.management_fee_rate,
                "tax_rate": source.tax_rate,
            }
            growths = {"annual_rent_growth": source.annual_rent_growth}
        case SubscriptionSource():
            amounts = {
                "subscribers": source.subscribers,
                "price": source.price,
                "new_per_month": source.new_per_month,
                "monthly_costs": source.monthly_costs,
            }
            shares = {"churn_rate": source.churn_rate, "tax_rate": source.tax_rate}
            growths = {}
        case FlatSource():
            amounts = {
                "monthly_amount": source.monthly_amount,
                "monthly_costs": source.monthly_costs,
            }
            shares = {"tax_rate": source.tax_rate}
            growths = {"annual_growth": source.annual_growth}
        case _:
            assert_never(source)
    base = source.tax_base  # what its tax applies to, the same for every kind
    amounts |= {
        "yearly_allowance": base.yearly_allowance,
        "monthly_deduction": base.monthly_deduction,
        "deduction_left": base.deduction_left,
    }
    shares |= {"partial_exemption": base.partial_exemption}
    _finite(errors, {**amounts, **shares, **growths})
    if source.starts is not None and source.ends is not None and source.ends < source.starts:
        errors["ends"] = ["Must not be before the start."]
    for name, value in amounts.items():
        _amount(errors, name, value)
    for name, value in shares.items():
        _share(errors, name, value)
    for name, value in growths.items():
        _growth(errors, name, value)
    return errors
