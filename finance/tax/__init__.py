"""The German tax year (PRODUCT.md §9, issue 22), as pure functions: Decimal in, Decimal out.

One engine serves the yearly report, the projections and the API; it needs nothing of
Django. Each module holds one part of the return:

- ``facts``: what the rules fix per year (allowance, Basiszins, rates, thresholds);
- ``funds``: the Vorabpauschale and the partial exemption of fund income (InvStG);
- ``capital``: the Abgeltungsteuer of a year, per item, per bank and in the return;
- ``allowance``: allowance orders per bank, checked and suggested;
- ``rent``: Anlage V per property, with depreciation;
- ``business``: creator and business income and the Kleinunternehmer monitor.

Arithmetic runs in ``rounding.EXACT``; each figure shown is rounded once to cents, half
up (``rounding.to_cents``), and totals are sums of the rounded parts they are made of.
"""
