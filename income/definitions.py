"""What every figure means: the one place its definition is written (issue 17, item 9).

A figure's label on a page links to its entry on the help page "How every figure is
computed" (``/help/figures/``, ``{% figure_label %}``), and the API schema's field
descriptions use the same text (``definition``), so a page, the help and the API
cannot drift apart. The formulas are PRODUCT.md §3–§4's, in words a person reads;
the code that computes each one is named in the comment above it.

The texts are lazy translations: they are rendered in the reader's language, and the
schema (generated in English) gets the English text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class FigureDefinition:
    key: str
    label: StrOrPromise
    definition: StrOrPromise

    @property
    def anchor(self) -> str:
        """The id of its entry on the help page: ``average_month`` → ``average-month``."""
        return self.key.replace("_", "-")


@dataclass(frozen=True)
class FigureGroup:
    title: StrOrPromise
    figures: tuple[FigureDefinition, ...]


GROUPS: tuple[FigureGroup, ...] = (
    FigureGroup(
        title=_("Income"),
        figures=(
            # finance.money.payment_net
            FigureDefinition(
                key="net",
                label=_("Net"),
                definition=_(
                    "A payment's gross minus the tax withheld and the fees. Every amount "
                    "is converted to your base currency at the exchange rate of the "
                    "payment's date (the latest ECB rate on or before it)."
                ),
            ),
            # finance.figures.ttm
            FigureDefinition(
                key="passive_net_ttm",
                label=_("Passive net, last 12 months"),
                definition=_(
                    "The net income of your passive sources in the current month so far "
                    "and the 11 months before it (trailing twelve months, TTM). The gross "
                    "figure is the same before tax and fees."
                ),
            ),
            # finance.figures.complete_months_average
            FigureDefinition(
                key="average_month",
                label=_("Average month"),
                definition=_(
                    "Passive net income of the 12 complete months before the current one, "
                    "divided by 12. The current month is left out: it is not over yet."
                ),
            ),
            # reports.dashboard.DashboardData.month_to_date
            FigureDefinition(
                key="month_to_date",
                label=_("This month so far"),
                definition=_(
                    "Passive net income received in the current month up to today. Every "
                    "chart and table marks this month “to date”, and it is left out of "
                    "averages and trend lines."
                ),
            ),
            # finance.figures.passive_share
            FigureDefinition(
                key="passive_share",
                label=_("Passive share"),
                definition=_(
                    "Passive net income of the last 12 months divided by all net income of "
                    "the last 12 months, active sources (salary, freelance, …) included."
                ),
            ),
        ),
    ),
    FigureGroup(
        title=_("Expenses and independence"),
        figures=(
            # finance.figures.expense_coverage / complete_months_coverage
            FigureDefinition(
                key="expense_coverage",
                label=_("Expenses covered"),
                definition=_(
                    "Passive net income of 12 months, divided by 12 and by your monthly "
                    "expenses: 100 % means an average month pays a month of expenses. A "
                    "month's report uses the 12 months up to it; the dashboard uses the 12 "
                    "complete months, so it does not dip while a month is running."
                ),
            ),
            # finance.figures.independent_since
            FigureDefinition(
                key="independent_since",
                label=_("Independent since"),
                definition=_(
                    "When your expenses are covered already: the first month of the unbroken "
                    "run of complete months, up to the last one, whose coverage is at least "
                    "100 %. The margin is the average month minus your monthly expenses."
                ),
            ),
            # scenarios.selectors.independence_question
            FigureDefinition(
                key="independence_month",
                label=_("Independence month"),
                definition=_(
                    "When your expenses are not covered yet: the first coming month in which "
                    "the projected month of your active passive sources covers your monthly "
                    "expenses, the expenses growing with 2 % inflation a year. Each source "
                    "counts from its start date to its end date. “Not reached” within 30 "
                    "years shows as such."
                ),
            ),
            # scenarios.projection.sources.source_monthly_net
            FigureDefinition(
                key="projected_month",
                label=_("Projected month"),
                definition=_(
                    "What your active passive sources are expected to pay in a month, from "
                    "each source's own model — capital × yield, rent after vacancy and "
                    "management, subscribers × price, the flat amount — after its costs and "
                    "its tax, taxed as the tax report taxes it: capital income with the "
                    "saver's allowance and a fund's partial exemption, rent and business "
                    "income at your marginal rate, rent less depreciation; a source's own tax "
                    "rate where it states one. The stress test and the independence month "
                    "start from it; it differs from the average month, which is what was "
                    "received."
                ),
            ),
            # finance.figures.concentration / concentration_warning
            FigureDefinition(
                key="concentration",
                label=_("Concentration"),
                definition=_(
                    "Each source's, category's, payer's, currency's and country's share of "
                    "passive net income of the last 12 months. One source, category or payer "
                    "carrying more than half (100 % included) is flagged; a currency or "
                    "country only when it is foreign: not your base currency or home country."
                ),
            ),
        ),
    ),
    FigureGroup(
        title=_("Each source"),
        figures=(
            FigureDefinition(
                key="net_to_date",
                label=_("Net to date"),
                definition=_("All net income the source has paid since its start."),
            ),
            # finance.figures.effective_hourly_rate
            FigureDefinition(
                key="effective_hourly_rate",
                label=_("Per hour"),
                definition=_(
                    "Effective hourly rate: net income minus costs to date, divided by the "
                    "setup hours and the maintenance hours to date. How passive is it "
                    "really?"
                ),
            ),
            # finance.figures.cash_roi
            FigureDefinition(
                key="cash_roi",
                label=_("Cash ROI"),
                definition=_(
                    "For sources whose money is spent (a course, a website): net income to "
                    "date minus costs to date minus the upfront money, divided by the "
                    "upfront money plus costs to date. Capital and rental sources show the "
                    "total return instead; active sources have none."
                ),
            ),
            # finance.figures.full_roi
            FigureDefinition(
                key="full_roi",
                label=_("Full ROI"),
                definition=_(
                    "The cash ROI with the setup and maintenance hours valued at your value "
                    "of one hour, counted as money put in."
                ),
            ),
            # finance.figures.payback_month
            FigureDefinition(
                key="payback",
                label=_("Payback"),
                definition=_(
                    "The first month in which the net income minus costs, added up, reaches "
                    "the upfront money; projected from the last three months' average while "
                    "not reached. For capital and rental sources it is an income payback: "
                    "the asset is still yours. Active sources have none."
                ),
            ),
            # finance.figures.money_put_in
            FigureDefinition(
                key="money_put_in",
                label=_("Money put in"),
                definition=_("The upfront money plus the costs to date."),
            ),
            # finance.figures.total_return
            FigureDefinition(
                key="total_return",
                label=_("Total return"),
                definition=_(
                    "Capital and rental sources, whose money bought something you still own: "
                    "net income to date plus the asset's latest recorded value minus the "
                    "money put in, also as a share of the money put in. None until a value "
                    "is recorded."
                ),
            ),
            # finance.figures.income_yield
            FigureDefinition(
                key="income_yield",
                label=_("Income yield"),
                definition=_(
                    "Capital and rental sources: net income of the last 12 months divided by "
                    "the asset's latest recorded value (converted at the rate of its date); "
                    "until a value is recorded, divided by the upfront money."
                ),
            ),
            # finance.figures.yield_on_cost
            FigureDefinition(
                key="yield_on_cost",
                label=_("Yield on cost"),
                definition=_(
                    "Capital sources: dividends and interest of the last 12 months divided "
                    "by the invested capital."
                ),
            ),
            # finance.figures.net_rental_yield
            FigureDefinition(
                key="net_rental_yield",
                label=_("Net rental yield"),
                definition=_(
                    "Rental sources: 12 × rent × (1 − vacancy) − 12 × running costs − "
                    "management fees, divided by the purchase price."
                ),
            ),
        ),
    ),
    FigureGroup(
        title=_("Subscriptions"),
        figures=(
            # finance.figures.mrr / arr
            FigureDefinition(
                key="mrr",
                label=_("MRR"),
                definition=_(
                    "Monthly recurring revenue: subscribers × the monthly price, or the "
                    "revenue recorded for the month. A source with billing data (customers "
                    "and their subscriptions) takes its MRR, subscribers, churn, ARPU and LTV "
                    "from those instead, as the subscription analytics below define them, in "
                    "your base currency: the same figures on its page, the dashboard, the "
                    "reports and the API. ARR is 12 × MRR."
                ),
            ),
            # income.subscription_months
            FigureDefinition(
                key="received_gross",
                label=_("Received (gross)"),
                definition=_(
                    "The gross of the source's payments dated in the month, before fees and "
                    "tax: what actually came in, beside the MRR that was expected."
                ),
            ),
            # finance.figures.churn_rate
            FigureDefinition(
                key="churn_rate",
                label=_("Churn"),
                definition=_(
                    "Subscribers who left in the month divided by the subscribers at the "
                    "month's start."
                ),
            ),
            # finance.figures.arpu / ltv
            FigureDefinition(
                key="ltv",
                label=_("LTV"),
                definition=_(
                    "Lifetime value: ARPU (MRR ÷ subscribers) divided by the churn rate, "
                    "both unrounded, rounded once at the end. Undefined at zero churn."
                ),
            ),
        ),
    ),
    FigureGroup(
        title=_("Subscription analytics (billing data)"),
        figures=(
            # finance.subscriptions.mrr.subscription_mrr / customer_mrr
            FigureDefinition(
                key="billing_mrr",
                label=_("MRR from billing"),
                definition=_(
                    "Each subscription's price normalised to a month (a yearly plan ÷ 12, a "
                    "quarterly one ÷ 3, a weekly one × 52 ÷ 12), times its quantity, less its "
                    "discounts, rounded to the cent; nothing during a trial or a pause. "
                    "Summed per customer at each month's end, in your base currency at one "
                    "rate per currency, so an exchange rate alone moves nothing."
                ),
            ),
            # finance.subscriptions.movements.mrr_movements
            FigureDefinition(
                key="mrr_movements",
                label=_("MRR movements"),
                definition=_(
                    "How MRR changed in a month, customer by customer: new business (a "
                    "first payment), expansion (a paying customer pays more), contraction "
                    "(pays less but still pays: a downgrade, one of two subscriptions ended), "
                    "churn (pays nothing any more) and reactivation (pays again after a "
                    "break). New + expansion + reactivation − contraction − churn is the "
                    "month's change of MRR."
                ),
            ),
            # finance.subscriptions.retention.customer_churn_rate
            FigureDefinition(
                key="customer_churn",
                label=_("Customer churn"),
                definition=_(
                    "Customers who stopped paying in the month ÷ the paying customers at its start."
                ),
            ),
            # finance.subscriptions.retention.gross_mrr_churn
            FigureDefinition(
                key="gross_mrr_churn",
                label=_("Gross MRR churn"),
                definition=_("(Churn + contraction) ÷ MRR at the month's start."),
            ),
            # finance.subscriptions.retention.net_mrr_churn
            FigureDefinition(
                key="net_mrr_churn",
                label=_("Net MRR churn"),
                definition=_(
                    "(Churn + contraction − expansion − reactivation) ÷ MRR at the "
                    "month's start; below zero when existing customers grow more than "
                    "others leave."
                ),
            ),
            # finance.subscriptions.retention.quick_ratio
            FigureDefinition(
                key="quick_ratio",
                label=_("Quick ratio"),
                definition=_(
                    "(New + expansion) ÷ (contraction + churn): how much MRR is won for "
                    "every euro lost. Undefined in a month without losses."
                ),
            ),
            # finance.subscriptions.retention.net_revenue_retention
            FigureDefinition(
                key="nrr",
                label=_("Net revenue retention"),
                definition=_(
                    "The MRR now of the customers who paid 12 months ago, ÷ their MRR "
                    "then; above 100 % when they pay more than they did."
                ),
            ),
            # finance.subscriptions.retention.arpa / lifetime_value
            FigureDefinition(
                key="arpa_ltv",
                label=_("ARPA and LTV"),
                definition=_(
                    "ARPA: MRR ÷ paying customers. LTV: ARPA ÷ the customer churn rate of "
                    "the last 12 months (customers lost ÷ customers at the months' starts, "
                    "summed), undefined without churn."
                ),
            ),
            # finance.subscriptions.retention.cohorts
            FigureDefinition(
                key="cohorts",
                label=_("Cohorts"),
                definition=_(
                    "Customers grouped by the month they first paid; for each month after "
                    "it, the share of them still paying and their MRR against the first "
                    "month's (above 100 % with upgrades)."
                ),
            ),
        ),
    ),
    FigureGroup(
        title=_("Projections"),
        figures=(
            # scenarios.projection.inflation.deflator
            FigureDefinition(
                key="real_value",
                label=pgettext_lazy("figure", "In today's money"),
                definition=_(
                    "An amount at the end of plan year y is y years ahead, so it is divided "
                    "by (1 + inflation)^y. The monthly contribution is paid at the start of "
                    "each month."
                ),
            ),
            # finance.calculator.calculate
            FigureDefinition(
                key="calculator",
                label=_("Calculator"),
                definition=_(
                    "Gross = P × (1 + r)^n − P, rounded to cents; net = gross × (1 − tax), "
                    "rounded, plus the additional amount. Tax applies to a gain only. A "
                    "scenario saved from the calculator reproduces these figures."
                ),
            ),
        ),
    ),
)

FIGURES: dict[str, FigureDefinition] = {
    figure.key: figure for group in GROUPS for figure in group.figures
}


def definition(key: str) -> StrOrPromise:
    """The definition of ``key`` (a KeyError for an unknown one: a typo fails at import)."""
    return FIGURES[key].definition


def described(key: str, note: StrOrPromise) -> StrOrPromise:
    """The definition of ``key`` and a note of where it applies (an API field's null)."""
    return format_lazy("{} {}", definition(key), note)
