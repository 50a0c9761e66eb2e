"""The scenario projection of PRODUCT.md §4: a monthly schedule over the horizon, by year.

Pure money code (no Django): Decimal in, Decimal out. All arithmetic runs in
``rounding.EXACT``, so the capital stays exact from month to month and the only
rounding is the explicit ``to_cents`` (half up) of what a row shows.

The parts, each a module:

- ``inputs``: what a projection takes, the plan and the models of linked sources;
- ``validation``: the bounds of those inputs (``validate_plan``, ``source_errors``) and
  what a plan taxed at the end cannot have (``tax_timing_conflicts``);
- ``engine``: ``project``, the month-by-month schedule, and ``result``: the rows and
  headline figures it returns;
- ``sources``: each linked source's own monthly net (``source_monthly_net``);
- ``tax``: the plan's tax (``PlanTax``); ``inflation``: real values and grown expenses
  (``deflator``, ``grown_expenses``); ``rounding``: shown amounts that add up
  (``RunningCents``).

The rules, each in the docstring of the function that applies it:

- the return credited each month or each plan year (``engine._investment_income``);
- payout or reinvest, and the tax paid out of the capital when reinvesting
  (``engine.project``);
- the tax with the yearly allowance and partial exemption (``tax.PlanTax``);
- the additional yearly income (``engine.project``);
- the models of linked sources, each within its start and end dates
  (``sources.source_monthly_net``);
- real values with a deflator per plan year (``inflation.deflator``);
- the independence and target months (``engine.project``).

Rounding: a series of shown amounts is rounded as a running total
(``rounding.RunningCents``), so the months of a year add up to the year and all months
to the total; the seed's 10-year example therefore shows gross income 6288.95 both as
the sum of its months and as the calculator's headline figure.

A plan month is a ``date`` on day 1 (``schedule.month_start``). Month index ``m``
counts from 0 for the first month; plan year ``y = m // 12`` counts from 0 for the
first 12 months (``YearRow.year`` shows it as ``y + 1``).
"""
