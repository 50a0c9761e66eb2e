"""Rent of one property for one year, as Anlage V asks for it (§21 EStG).

Rent received less the costs recorded (Werbungskosten, §9 EStG) and the depreciation of
the building (AfA, §7 (4) EStG); the land does not wear out, so only the building share
of the purchase price is depreciated. The result is taxed at the person's marginal rate
with their other income, so the engine estimates the tax from that rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from enum import StrEnum
from types import MappingProxyType

from finance.rounding import EXACT, to_cents

ZERO = Decimal(0)
ONE = Decimal(1)
TWELVE = 12

# §7 (4) sentence 1 no. 2 EStG: buildings completed after 31 December 2022 3 %, those
# completed before 1 January 1925 2.5 %, the others 2 % a year.
DEPRECIATION_STANDARD = Decimal("0.02")
DEPRECIATION_BEFORE_1925 = Decimal("0.025")
DEPRECIATION_FROM_2023 = Decimal("0.03")
OLD_BUILDINGS_BEFORE = date(1925, 1, 1)
NEW_BUILDINGS_FROM = date(2023, 1, 1)


class CostKind(StrEnum):
    """The kinds of cost Anlage V lists apart."""

    RUNNING = "running"
    MAINTENANCE = "maintenance"
    MANAGEMENT = "management"
    LOAN_INTEREST = "loan_interest"
    OTHER = "other"


@dataclass(frozen=True)
class Building:
    """A rented property as bought: ``purchase_price`` with the costs of buying it
    (land transfer tax, notary, land register), which are depreciated with it;
    ``building_share`` the fraction of it that is building rather than land."""

    purchase_price: Decimal
    building_share: Decimal
    acquired_on: date
    completed_on: date


@dataclass(frozen=True)
class RentalYear:
    """One property's year: ``result`` = ``rent`` − ``costs_total`` − ``depreciation``.

    A negative result is a loss, offset against the person's other income; a negative
    ``tax`` is then the tax it saves.
    """

    year: int
    rent: Decimal
    costs: Mapping[CostKind, Decimal]
    costs_total: Decimal
    building_value: Decimal
    depreciation_rate: Decimal
    depreciation_months: int
    depreciation: Decimal
    result: Decimal
    marginal_rate: Decimal
    tax: Decimal


def depreciation_rate(*, completed_on: date) -> Decimal:
    """The yearly straight-line rate for a building completed on ``completed_on``
    (§7 (4) sentence 1 no. 2 EStG): 3 % from 2023, 2.5 % before 1925, else 2 %.
    The declining-balance option for new homes (§7 (5a) EStG) is not modelled."""
    if completed_on >= NEW_BUILDINGS_FROM:
        return DEPRECIATION_FROM_2023
    if completed_on < OLD_BUILDINGS_BEFORE:
        return DEPRECIATION_BEFORE_1925
    return DEPRECIATION_STANDARD


def building_value(*, building: Building) -> Decimal:
    """The depreciable base: purchase price × building share, in cents."""
    with localcontext(EXACT):
        return to_cents(building.purchase_price * building.building_share)


def depreciation_months(*, building: Building, year: int) -> int:
    """The months of ``year`` the building is depreciated for: 12, and in the year of
    acquisition 1/12 less for each full month before the month of acquisition (§7 (1)
    sentence 4 EStG): bought in March, 10."""
    if year < building.acquired_on.year:
        return 0
    if year == building.acquired_on.year:
        return TWELVE - (building.acquired_on.month - 1)
    return TWELVE


def depreciation(*, building: Building, year: int, depreciated_before: Decimal) -> Decimal:
    """The AfA of ``year``: building value × rate × months / 12, in cents, never more
    than what ``depreciated_before`` (the AfA of the earlier years) left of the value."""
    value = building_value(building=building)
    rate = depreciation_rate(completed_on=building.completed_on)
    months = depreciation_months(building=building, year=year)
    with localcontext(EXACT):
        remaining = max(ZERO, value - depreciated_before)
        return to_cents(min(value * rate * months / TWELVE, remaining))


def depreciated_before(*, building: Building, year: int) -> Decimal:
    """The AfA of every year from the acquisition up to ``year`` − 1, each year's
    ``depreciation`` given what the years before it left."""
    total = ZERO
    for earlier in range(building.acquired_on.year, year):
        total += depreciation(building=building, year=earlier, depreciated_before=total)
    return total


def rental_year(
    *,
    year: int,
    building: Building | None,
    rent: Decimal,
    costs: Mapping[CostKind, Decimal],
    depreciated_before: Decimal = ZERO,
    marginal_rate: Decimal,
) -> RentalYear:
    """Anlage V for one property and ``year``, with the tax at ``marginal_rate``.

    ``costs`` are the year's recorded costs by kind (a kind not given is zero); the
    total is their sum. ``building`` None depreciates nothing (its data not recorded, or
    not bought yet): value, rate and months are 0. ``tax`` = result × marginal rate,
    rounded once: an estimate, as the real figure depends on all the person's income;
    negative, it is a saving. Solidarity surcharge and church tax belong in the rate the
    caller passes. Raises ``ValueError`` for a building share outside 0–1, a negative
    price, a year before the acquisition, or a kind of cost not in ``CostKind``.
    """
    if building is not None:
        if not ZERO <= building.building_share <= ONE:
            raise ValueError("The building share is a fraction between 0 and 1.")
        if building.purchase_price < ZERO:
            raise ValueError("The purchase price cannot be negative.")
        if year < building.acquired_on.year:
            raise ValueError(f"The property was acquired after {year}.")
    if depreciated_before < ZERO:
        raise ValueError("Past depreciation cannot be negative.")
    if unknown := set(costs) - set(CostKind):
        raise ValueError(f"Unknown kinds of cost: {sorted(unknown)}.")
    by_kind = MappingProxyType({kind: costs.get(kind, ZERO) for kind in CostKind})
    afa = (
        ZERO
        if building is None
        else depreciation(building=building, year=year, depreciated_before=depreciated_before)
    )
    with localcontext(EXACT):
        costs_total = sum(by_kind.values(), ZERO)
        result = rent - costs_total - afa
        tax = to_cents(result * marginal_rate)
    return RentalYear(
        year=year,
        rent=rent,
        costs=by_kind,
        costs_total=costs_total,
        building_value=ZERO if building is None else building_value(building=building),
        depreciation_rate=(
            ZERO if building is None else depreciation_rate(completed_on=building.completed_on)
        ),
        depreciation_months=(
            0 if building is None else depreciation_months(building=building, year=year)
        ),
        depreciation=afa,
        result=result,
        marginal_rate=marginal_rate,
        tax=tax,
    )
