"""The demo shows sensible returns (issue #17.6): its ETF and flat have recorded values, so
they show a total return instead of a cash ROI that calls a kept asset a loss."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from income import reporting, source_figures
from income.demo import demo_create
from income.models import AssetValue

TODAY = date(2025, 6, 30)


def test_the_demo_etf_and_flat_have_values_and_a_positive_total_return(db: None) -> None:
    user = demo_create(username="demo", password="demo-pass-12345", today=TODAY).user
    assert AssetValue.objects.filter(source__owner=user).count() == 8  # 4 each, two sources
    view = reporting.overview(owner=user, as_of=TODAY)
    by_name = {f.source.name: f for f in view.sources}
    etf, flat = by_name["FTSE All-World ETF"], by_name["Flat in Leipzig"]
    for asset in (etf, flat):
        assert asset.return_basis == source_figures.ReturnBasis.ASSET
        assert asset.cash_roi is None
        assert asset.asset_value_date == date(2025, 6, 1)  # the latest, this month
        assert asset.total_return is not None
        assert asset.total_return > Decimal(0)
        assert asset.total_return_ratio is not None
        assert Decimal(0) < asset.total_return_ratio < Decimal(1)
        assert asset.income_yield_base == source_figures.YieldBase.VALUE
    # the flat's equity of 43,800 against 36,000 upfront and 37 months of 180 costs
    assert flat.money_put_in == Decimal("36000") + 37 * Decimal("180")
    freelance = by_name["Freelance development"]
    assert (freelance.cash_roi, freelance.payback) == (None, None)
    club = by_name["Membership community"]
    assert club.return_basis == source_figures.ReturnBasis.CASH
    assert club.payback is not None
