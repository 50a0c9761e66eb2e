"""A clone keeps its original's Monte Carlo seed (PRODUCT.md §4, issue #17 item 13):
two variants differ by their inputs, not by chance."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from scenarios import services
from tests.factories import ScenarioFactory

TODAY = date(2025, 6, 30)


def test_a_clone_draws_what_its_original_draws(alice: User) -> None:
    original = ScenarioFactory.create(owner=alice, volatility=Decimal("0.15"), horizon_years=5)
    clone = services.scenario_clone(scenario=original)

    first = services.scenario_run(scenario=original, today=TODAY, paths=200).fan
    second = services.scenario_run(scenario=clone, today=TODAY, paths=200).fan

    assert clone.pk != original.pk
    assert services.scenario_seed(scenario=clone) == services.scenario_seed(scenario=original)
    assert first is not None
    assert second is not None
    assert second.capital_p50 == first.capital_p50  # same inputs, same draws, same fan
    assert second.capital_p10 == first.capital_p10


def test_a_clone_with_one_input_changed_differs_by_that_input_only(alice: User) -> None:
    original = ScenarioFactory.create(owner=alice, volatility=Decimal("0.15"), horizon_years=5)
    clone = services.scenario_clone(scenario=original)
    services.scenario_update(scenario=clone, monthly_contribution=Decimal("500"))

    first = services.scenario_run(scenario=original, today=TODAY, paths=200).fan
    second = services.scenario_run(scenario=clone, today=TODAY, paths=200).fan

    assert first is not None
    assert second is not None
    # The same draws: more savings lift every percentile path in every month.
    assert all(b > a for a, b in zip(first.capital_p10, second.capital_p10, strict=True))
    assert all(b > a for a, b in zip(first.capital_p90, second.capital_p90, strict=True))


def test_a_scenario_that_is_no_clone_is_seeded_by_its_id(alice: User) -> None:
    scenario = ScenarioFactory.create(owner=alice)
    assert scenario.monte_carlo_seed is None
    assert services.scenario_seed(scenario=scenario) == scenario.pk
