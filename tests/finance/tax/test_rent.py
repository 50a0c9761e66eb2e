"""Anlage V for one property: depreciation and the result at the marginal rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from finance.tax.rent import Building, CostKind, depreciation, depreciation_rate, rental_year

D = Decimal

# A flat bought for 300,000.00 € including land transfer tax and notary, three quarters
# of it building, the house completed in 1990, bought on 10 April 2025.
FLAT = Building(
    purchase_price=D("300000.00"),
    building_share=D("0.75"),
    acquired_on=date(2025, 4, 10),
    completed_on=date(1990, 6, 1),
)
COSTS = {
    CostKind.RUNNING: D("600.00"),
    CostKind.MAINTENANCE: D("450.00"),
    CostKind.MANAGEMENT: D("300.00"),
    CostKind.LOAN_INTEREST: D("4200.00"),
}


def test_a_flat_bought_in_april_depreciates_nine_twelfths_and_makes_a_loss() -> None:
    year = rental_year(
        year=2025, building=FLAT, rent=D("8100.00"), costs=COSTS, marginal_rate=D("0.42")
    )
    # building value 300,000.00 × 0.75 = 225,000.00; completed 1990 → 2 %
    assert year.building_value == D("225000.00")
    assert year.depreciation_rate == D("0.02")
    # January–March are full months before April: 12 − 3 = 9 months
    # AfA = 225,000.00 × 2 % × 9/12 = 3,375.00
    assert year.depreciation_months == 9
    assert year.depreciation == D("3375.00")
    # costs 600 + 450 + 300 + 4,200 = 5,550.00
    assert year.costs_total == D("5550.00")
    # rent 9 × 900.00 = 8,100.00; result 8,100 − 5,550 − 3,375 = −825.00 (a loss)
    assert year.result == D("-825.00")
    # at 42 %: −825.00 × 0.42 = −346.50, tax saved
    assert year.tax == D("-346.50")


def test_the_year_after_acquisition_depreciates_in_full() -> None:
    year = rental_year(
        year=2026,
        building=FLAT,
        rent=D("10800.00"),
        costs={CostKind.LOAN_INTEREST: D("5400.00")},
        depreciated_before=D("3375.00"),
        marginal_rate=D("0.42"),
    )
    # AfA 225,000.00 × 2 % = 4,500.00; result 10,800 − 5,400 − 4,500 = 900.00
    # tax 900.00 × 0.42 = 378.00; missing kinds of cost count as zero
    assert year.depreciation == D("4500.00")
    assert year.costs[CostKind.RUNNING] == D(0)
    assert year.result == D("900.00")
    assert year.tax == D("378.00")


def test_depreciation_stops_at_the_building_value() -> None:
    assert depreciation(building=FLAT, year=2070, depreciated_before=D("224000.00")) == D("1000.00")
    assert depreciation(building=FLAT, year=2071, depreciated_before=D("225000.00")) == D("0.00")


@pytest.mark.parametrize(
    ("completed_on", "rate"),
    [
        (date(1924, 12, 31), D("0.025")),
        (date(1925, 1, 1), D("0.02")),
        (date(2022, 12, 31), D("0.02")),
        (date(2023, 1, 1), D("0.03")),
    ],
)
def test_the_rate_depends_on_when_the_building_was_completed(
    completed_on: date, rate: Decimal
) -> None:
    assert depreciation_rate(completed_on=completed_on) == rate


def test_a_new_building_bought_in_january_depreciates_3_percent_for_the_whole_year() -> None:
    new = Building(
        purchase_price=D("400000.00"),
        building_share=D("0.8"),
        acquired_on=date(2025, 1, 31),
        completed_on=date(2024, 11, 1),
    )
    # 320,000.00 × 3 % × 12/12 = 9,600.00 (no full month before January)
    assert depreciation(building=new, year=2025, depreciated_before=D(0)) == D("9600.00")


def test_a_bad_building_share_or_year_or_cost_kind_raises() -> None:
    bad_share = Building(
        purchase_price=D(1),
        building_share=D("1.2"),
        acquired_on=date(2025, 1, 1),
        completed_on=date(2000, 1, 1),
    )
    with pytest.raises(ValueError, match="share"):
        rental_year(year=2025, building=bad_share, rent=D(0), costs={}, marginal_rate=D(0))
    with pytest.raises(ValueError, match="acquired"):
        rental_year(year=2024, building=FLAT, rent=D(0), costs={}, marginal_rate=D(0))
    with pytest.raises(ValueError, match="kinds"):
        rental_year(
            year=2025,
            building=FLAT,
            rent=D(0),
            costs={"furniture": D(1)},  # type: ignore[dict-item]
            marginal_rate=D(0),
        )


def test_a_property_without_its_building_data_depreciates_nothing_at_no_rate() -> None:
    year = rental_year(
        year=2025, building=None, rent=D("8100.00"), costs=COSTS, marginal_rate=D("0.42")
    )
    # No value, rate or months to show (a stand-in building once showed 3 % from 2023).
    assert (year.building_value, year.depreciation_rate) == (D(0), D(0))
    assert year.depreciation_months == 0
    assert year.depreciation == 0
    # 8,100 − 5,550 = 2,550.00; × 42 % = 1,071.00
    assert (year.result, year.tax) == (D("2550.00"), D("1071.00"))
