"""Subscription analytics from a creator's billing data (issue 23, PRODUCT.md §10), pure.

What the SaaS-metrics tools (ChartMogul, Baremetrics) compute from a billing platform's
customers and subscriptions, by their published definitions, in Decimal:

- ``records``: a subscription as a billing export describes it (plan amount, interval,
  quantity, discount, currency, start, end, trial, pauses);
- ``mrr``: each subscription's MRR normalised to a month, and each customer's MRR at the
  end of every month;
- ``movements``: the five MRR movements of a month (new business, expansion,
  contraction, churn, reactivation) from two months' customer MRR;
- ``retention``: the rates (customer churn, gross and net MRR churn, quick ratio, net
  revenue retention, ARPA, LTV) and the cohort tables by first-paying month.

Money is rounded once to cents (``rounding.to_cents``) where it is a figure of its own
(a subscription's MRR); sums are sums of those cents. Ratios are computed unrounded and
rounded once at the end (``figures.to_ratio``), and a ratio whose base is zero is None,
shown as undefined, never a division error.
"""
