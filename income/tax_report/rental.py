"""The rent part of the yearly report: one Anlage V per property.

Rent is the gross of the property's payments of the year (a reversal lowers it).
Costs are the recorded ``Cost`` rows of the year by kind, and the fees a payer kept
from the rent (a property manager's cut), counted as management. The depreciation
needs the property's purchase price, building share and year of completion; without
them it is zero and the report says what is missing. The AfA of the earlier years,
which the building's value must still cover, is the engine's own figure for each year
from the acquisition on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from finance.money import RateBook
from finance.tax.rent import Building, CostKind, RentalYear, depreciated_before, rental_year
from income.models import IncomeSource, TaxTreatment
from income.tax_report.inputs import EUR, ZERO, YearInputs


@dataclass(frozen=True)
class PropertyYear:
    """One property's Anlage V and the records behind each figure."""

    source: IncomeSource
    result: RentalYear
    building: Building | None
    missing: tuple[str, ...]  # the source fields the depreciation still needs
    rent_payment_ids: tuple[int, ...]
    fee_payment_ids: tuple[int, ...]
    cost_ids: dict[CostKind, tuple[int, ...]]


def building_of(source: IncomeSource, *, book: RateBook) -> tuple[Building | None, tuple[str, ...]]:
    """The property of a rental ``source`` as the depreciation needs it, its price in
    euros at the rate of the day it was acquired; None with the source fields still
    missing (the report names them; a projection then depreciates nothing)."""
    missing = tuple(
        name
        for name, absent in (
            ("purchase_price", not source.purchase_price),
            ("building_share", not source.building_share),
            ("completion_year", source.completion_year is None),
        )
        if absent
    )
    acquired_on = source.acquired_on or source.start_date
    price = book.convert(source.purchase_price, currency=source.currency, to=EUR, day=acquired_on)
    if price is None:
        missing += ("currency",)
    if missing or price is None or source.completion_year is None:
        return None, missing
    return (
        Building(
            purchase_price=price,
            building_share=source.building_share,
            acquired_on=acquired_on,
            completed_on=date(source.completion_year, 1, 1),
        ),
        (),
    )


def property_years(inputs: YearInputs, *, year: int, marginal_rate: Decimal) -> list[PropertyYear]:
    """Every rented property with a record in ``year``, or owned during it."""
    result = []
    for source in inputs.sources.values():
        if source.category.tax_treatment != TaxTreatment.RENT:
            continue
        own = inputs.payments_of(source.pk, year)
        own_costs = inputs.costs_of(source.pk, year)
        acquired_on = source.acquired_on or source.start_date
        owned = acquired_on.year <= year and (
            source.end_date is None or source.end_date.year >= year
        )
        if not (own or own_costs or owned):
            continue
        by_kind: dict[CostKind, Decimal] = dict.fromkeys(CostKind, ZERO)
        cost_ids: dict[CostKind, list[int]] = {kind: [] for kind in CostKind}
        for cost in own_costs:
            by_kind[CostKind(cost.kind)] += cost.amount
            cost_ids[CostKind(cost.kind)].append(cost.id)
        fees = [payment for payment in own if payment.fees]
        by_kind[CostKind.MANAGEMENT] += sum((payment.fees for payment in fees), ZERO)
        building, missing = building_of(source, book=inputs.book)
        if building is not None and year < building.acquired_on.year:
            building = None  # records before the purchase: nothing to depreciate yet
        rent = sum((payment.gross for payment in own), ZERO)
        computed = rental_year(
            year=year,
            building=building,
            rent=rent,
            costs=by_kind,
            depreciated_before=(
                ZERO if building is None else depreciated_before(building=building, year=year)
            ),
            marginal_rate=marginal_rate,
        )
        result.append(
            PropertyYear(
                source=source,
                result=computed,
                building=building,
                missing=missing,
                rent_payment_ids=tuple(payment.id for payment in own),
                fee_payment_ids=tuple(payment.id for payment in fees),
                cost_ids={kind: tuple(ids) for kind, ids in cost_ids.items()},
            )
        )
    return result
