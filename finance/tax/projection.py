"""The yearly report's tax laid on a projection's months (issue 22 item 5, PRODUCT.md §9).

The report taxes a calendar year of recorded income; a projection has no payments yet,
only each source's expected gross and costs of a month. What of the report's rules a
source's months need is its ``TaxBase`` (what of a month is taxed) and a rate:

- capital income (dividends, interest, other capital income): the Abgeltungsteuer on
  the gross, costs not deductible (§20 (9) EStG), a fund's partial exemption of its
  type left out (``funds.fund_taxable``), the saver's allowance (accruing by twelfths
  through the year, ``MonthlyTax``), and the rate of ``capital.capital_tax`` with its solidarity
  surcharge and church tax (``capital_income_rate``). The allowance is one per person:
  ``capital_bases`` shares it among the sources as the report's suggested allowance
  orders share it among banks (``allowance.allowance_split``), so each source is
  projected on its own (PRODUCT.md §3) and the shares add up to the allowance;
- rent: the profit less the building's depreciation (``rent.depreciation``), at the
  person's marginal rate (``rental_base``);
- creator and business income: the profit at the marginal rate (``PROFIT``).

Foreign withholding tax is credited against the German tax up to the treaty rate, so
the total a source bears stays the German tax: it is not modelled apart. A month whose
taxed part is negative (a loss, or more depreciation than profit) pays no tax; that it
would lower the tax on other income is left out, so the projection can only overstate
the tax. The plan year stands in for the calendar year, as it does for the plan's own
tax (``scenarios.projection.tax``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from finance.rounding import EXACT, to_cents
from finance.tax.allowance import allowance_split
from finance.tax.facts import FilingStatus, FundType, TaxYearFacts
from finance.tax.rent import Building, building_value, depreciated_before, depreciation_rate

ZERO = Decimal(0)
ONE = Decimal(1)
TWELVE = Decimal(12)


@dataclass(frozen=True)
class TaxBase:
    """What of a source's month is taxed, besides the rate.

    - ``on_gross``: the gross is taxed, not the profit (capital income: costs are not
      deductible);
    - ``partial_exemption``: the share of it left untaxed (a fund's, by its type);
    - ``yearly_allowance``: what of it each plan year leaves untaxed, by twelfths;
    - ``monthly_deduction``: deducted each month (depreciation), until
      ``deduction_left`` is used up.
    """

    on_gross: bool = False
    partial_exemption: Decimal = ZERO
    yearly_allowance: Decimal = ZERO
    monthly_deduction: Decimal = ZERO
    deduction_left: Decimal = ZERO

    @property
    def stateless(self) -> bool:
        """Whether a month's tax depends on that month alone (no allowance to use up,
        no deduction to run out): then equal months net the same."""
        return self.yearly_allowance == ZERO and (
            self.monthly_deduction == ZERO or self.deduction_left == ZERO
        )

    @property
    def repeats_yearly(self) -> bool:
        """Whether equal years net the same: the allowance comes back each year, a
        deduction that runs out does not."""
        return self.monthly_deduction == ZERO or self.deduction_left == ZERO


#: The profit of the month, in full: a flat rate's base, and business income's.
PROFIT = TaxBase()


class MonthlyTax:
    """One source's months taxed in order with ``rate`` on ``base`` (``TaxBase``).

    Each month: profit = gross − costs, in cents; the taxed part is the gross (capital
    income) or the profit, less the partial exemption, less the deduction of the month,
    less the allowance it may use; tax = that × ``rate``, in cents, 0 when it is not
    positive; net = profit − tax. With ``PROFIT`` this is ``profit − to_cents(profit ×
    rate)``, a loss untaxed. ``new_year`` starts a plan year.

    The allowance accrues by twelfths: month k of a year may use k/12 of it less what the
    months before used, so what a month leaves unused passes on to the next. Over a year
    the allowance is used as in the report, where a bank spends it on the year's
    earliest income; spread like this the projection does not show the first months of
    every year untaxed and the rest taxed in full, which would put the independence
    month in a January the person's income does not keep up with. Called inside
    ``localcontext(EXACT)``.
    """

    def __init__(self, *, rate: Decimal, base: TaxBase) -> None:
        self._rate = rate
        self._base = base
        self._deduction_left = base.deduction_left
        self._month = 0  # of the plan year, before this one
        self._used = ZERO  # of the year's allowance

    def new_year(self) -> None:
        self._month, self._used = 0, ZERO

    def net(self, gross: Decimal, costs: Decimal) -> Decimal:
        base = self._base
        self._month += 1
        profit = to_cents(gross - costs)
        taxed = to_cents(gross) if base.on_gross else profit
        if base.partial_exemption:
            taxed = taxed * (ONE - base.partial_exemption)
        if self._deduction_left > ZERO:
            deduction = min(base.monthly_deduction, self._deduction_left)
            self._deduction_left -= deduction
            taxed -= deduction
        if taxed <= ZERO:
            return profit
        accrued = base.yearly_allowance * min(self._month, 12) / TWELVE
        used = min(taxed, accrued - self._used)
        self._used += used
        return profit - to_cents((taxed - used) * self._rate)


def capital_income_rate(*, church_rate: Decimal, facts: TaxYearFacts) -> Decimal:
    """The tax on one euro of capital income after the allowance, nothing credited.

    ``capital.capital_tax`` of e: capital-gains tax e / (4 + k) (§32d (1) EStG), with
    the solidarity surcharge and church tax k of it: e × (1 + soli + k) / (4 + k), so
    26.375 % without church tax and about 27.99 % with 9 %. Exact: the projection rounds
    each month's tax once.
    """
    with localcontext(EXACT):
        inverse = ONE / facts.capital_gains_tax_rate
        return (ONE + facts.solidarity_rate + church_rate) / (inverse + church_rate)


def capital_bases(
    *,
    expected: Mapping[str, Decimal],
    fund_types: Mapping[str, FundType | None],
    filing_status: FilingStatus,
    facts: TaxYearFacts,
) -> dict[str, TaxBase]:
    """Each capital source's ``TaxBase``, keyed as ``expected`` (its yearly gross today).

    The allowance of ``filing_status`` is shared by ``allowance_split`` in proportion to
    each source's taxable part (the gross after its fund type's partial exemption), as
    the report suggests allowance orders per bank: whole euros, each source at most its
    own income rounded up when all of it fits. A source expecting a loss weighs nothing.
    """
    exemption = {
        key: facts.exemption(fund_type) if fund_type is not None else ZERO
        for key, fund_type in fund_types.items()
    }
    with localcontext(EXACT):
        taxable = {
            key: max(ZERO, gross * (ONE - exemption[key])) for key, gross in expected.items()
        }
    split = allowance_split(expected=taxable, filing_status=filing_status, facts=facts)
    return {
        key: TaxBase(
            on_gross=True,
            partial_exemption=exemption[key],
            yearly_allowance=split.orders.get(key, ZERO),
        )
        for key in expected
    }


def rental_base(*, building: Building | None, year: int) -> TaxBase:
    """A rented property's ``TaxBase`` from the start of ``year``: its profit less the
    depreciation of the building (``rent.depreciation``'s rate a month), for as long as
    the building value not depreciated before ``year`` lasts. Without a building (its
    data not recorded) the profit in full, as the report then depreciates nothing."""
    if building is None:
        return PROFIT
    value = building_value(building=building)
    before = (
        depreciated_before(building=building, year=year)
        if year > building.acquired_on.year
        else ZERO
    )
    with localcontext(EXACT):
        monthly = value * depreciation_rate(completed_on=building.completed_on) / TWELVE
        return TaxBase(monthly_deduction=monthly, deduction_left=max(ZERO, value - before))
