"""Hypothesis strategies of the projection's source models, every kind, with dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hypothesis import strategies as st

from scenarios.projection.inputs import (
    CapitalSource,
    FlatSource,
    RentalSource,
    SubscriptionSource,
)

money = st.decimals(min_value=0, max_value=50_000, places=2)
shares = st.decimals(min_value=0, max_value=1, places=3)
growths = st.decimals(min_value=D("-0.5"), max_value=D("0.5"), places=3)
days = st.none() | st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31))
names = st.sampled_from(["ETF", "Flat", "Course", "Book"])

capital = st.builds(
    CapitalSource,
    name=names,
    capital=st.decimals(min_value=0, max_value=2_000_000, places=2),
    annual_yield=growths,
    reinvest=st.booleans(),
    tax_rate=shares,
    monthly_costs=money,
    starts=days,
    ends=days,
)
rental = st.builds(
    RentalSource,
    name=names,
    monthly_rent=money,
    vacancy_rate=shares,
    management_fee_rate=shares,
    monthly_running_costs=money,
    monthly_costs=money,
    tax_rate=shares,
    annual_rent_growth=growths,
    starts=days,
    ends=days,
)
subscription = st.builds(
    SubscriptionSource,
    name=names,
    subscribers=st.decimals(min_value=0, max_value=5_000, places=0),
    price=st.decimals(min_value=0, max_value=200, places=2),
    new_per_month=st.decimals(min_value=0, max_value=300, places=0),
    churn_rate=st.decimals(min_value=0, max_value=D("0.3"), places=3),
    monthly_costs=money,
    tax_rate=shares,
    starts=days,
    ends=days,
)
flat = st.builds(
    FlatSource,
    name=names,
    monthly_amount=money,
    annual_growth=growths,
    monthly_costs=money,
    tax_rate=shares,
    starts=days,
    ends=days,
)
sources = st.lists(capital | rental | subscription | flat, max_size=5)
