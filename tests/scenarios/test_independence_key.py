"""The key of the independence question is made of what the sources' models are built
from, not of the built models (issue 21): it must move whenever a model would, and stay
while none would, or a stored answer is reused for another question."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User

from finance.money import RateBook
from finance.tax.facts import KNOWN_FACTS
from income.models import IncomeSource, Profile
from scenarios.plans import CONVERTED_FIELDS, MODEL_FIELDS, source_models_of
from scenarios.selectors import IndependenceQuestion, independence_question
from tests.factories import SourceFactory, category

D = Decimal
TODAY = date(2025, 6, 15)
FACTS = KNOWN_FACTS[2025]
RATES = RateBook([("USD", date(2025, 6, 13), D("1.1000")), ("USD", date(2025, 6, 16), D("1.2"))])


class _Reads:
    """A source that notes every attribute read of it."""

    def __init__(self, source: IncomeSource) -> None:
        self.__dict__["_source"], self.__dict__["read"] = source, set()

    def __getattr__(self, name: str) -> Any:
        self.read.add(name)
        return getattr(self._source, name)


def _sources(owner: User) -> list[IncomeSource]:
    """One source of each calculation model, one of them in dollars."""
    return [
        SourceFactory.create(
            owner=owner, name="ETF", category=category("etf-dividends"), currency="USD",
            invested_capital=D(50000), expected_yield=D("0.03"),
        ),
        SourceFactory.create(
            owner=owner, name="Flat", category=category("rent"), monthly_rent=D(900),
            vacancy_rate=D("0.05"), management_fee_rate=D("0.08"), monthly_running_costs=D(50),
            purchase_price=D(200000), building_share=D("0.75"), completion_year=1990,
            acquired_on=date(2020, 3, 1),
        ),
        SourceFactory.create(
            owner=owner, name="Club", category=category("membership"), tax_rate=D("0.3"),
            price_per_subscriber=D(10), current_subscribers=40, new_subscribers_per_month=5,
            monthly_churn_rate=D("0.05"),
        ),
        SourceFactory.create(
            owner=owner, name="Book", category=category("licences"),
            expected_monthly_amount=D(120), annual_growth_rate=D("0.02"), monthly_costs=D(3),
        ),
    ]  # fmt: skip


@pytest.fixture
def profile(alice: User) -> Profile:
    """Alice's profile with expenses: without them there is no question."""
    profile = Profile.objects.get(user=alice)
    profile.monthly_expenses = D(2000)
    profile.marginal_tax_rate = D("0.42")  # rent and business income at it
    return profile


def _question(profile: Profile, sources: list[IncomeSource]) -> IndependenceQuestion:
    question = independence_question(
        profile=profile, sources=sources, rates=RATES, today=TODAY, facts=FACTS
    )
    assert question is not None
    return question


@pytest.mark.django_db
def test_the_models_read_nothing_of_a_source_that_the_key_leaves_out(
    alice: User, profile: Profile
) -> None:
    reading = [_Reads(source) for source in _sources(alice)]
    inputs = source_models_of(
        profile=profile,
        sources=reading,  # type: ignore[arg-type]
        rates=RATES,
        today=TODAY,
        facts=FACTS,
    )
    assert len(inputs.models) == 4
    read = set().union(*(source.read for source in reading))
    # The category's model and tax treatment and the flat tax rule (``tax_rate``, else
    # ``tax_profile``) are keyed by their results; ``category.slug`` only tags the source
    # for stress tests.
    assert read - {"category", "tax_rate", "tax_profile"} <= {*CONVERTED_FIELDS, *MODEL_FIELDS}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("ETF", "invested_capital", D(60000)),
        ("ETF", "expected_yield", D("0.04")),
        ("ETF", "reinvest", True),
        ("Flat", "monthly_rent", D(950)),
        ("Flat", "vacancy_rate", D("0.1")),
        ("Flat", "management_fee_rate", D("0.1")),
        ("Flat", "monthly_running_costs", D(60)),
        ("Flat", "end_date", date(2030, 1, 1)),
        ("Club", "price_per_subscriber", D(12)),
        ("Club", "current_subscribers", 41),
        ("Club", "new_subscribers_per_month", 6),
        ("Club", "monthly_churn_rate", D("0.06")),
        ("Club", "tax_rate", D("0.25")),
        ("Book", "expected_monthly_amount", D(130)),
        ("Book", "annual_growth_rate", D("0.03")),
        ("Book", "monthly_costs", D(4)),
        ("Book", "start_date", date(2025, 3, 1)),
        ("Book", "name", "Novel"),
        # The German tax year's inputs (issue 22): a fund's exemption, the building's
        # depreciation, a flat rule of the source's own.
        ("ETF", "fund_type", "equity"),
        ("Flat", "purchase_price", D(250000)),
        ("Flat", "building_share", D("0.8")),
        ("Flat", "completion_year", 2023),
        ("Flat", "acquired_on", date(1990, 3, 1)),
        ("Book", "tax_rate", D("0.3")),
    ],
)
def test_the_key_moves_with_every_input_of_a_model(
    alice: User, profile: Profile, name: str, field: str, value: object
) -> None:
    sources = _sources(alice)
    before = _question(profile, sources)
    models, key = before.sources, before.key  # both made before the change
    source = next(source for source in sources if source.name == name)
    setattr(source, field, value)
    after = _question(profile, sources)
    assert after.sources != models  # the model moved...
    assert after.key != key  # ...and so did the key


@pytest.mark.django_db
def test_the_key_moves_with_the_rate_of_the_day_the_models_are_converted_at(
    alice: User, profile: Profile
) -> None:
    sources = _sources(alice)
    on_friday = _question(profile, sources)
    monday = independence_question(
        profile=profile, sources=sources, rates=RATES, today=date(2025, 6, 16), facts=FACTS
    )
    assert monday is not None
    assert (monday.key, monday.sources) != (on_friday.key, on_friday.sources)
    # A day with the same rate, in the same month: the same question.
    saturday = independence_question(
        profile=profile, sources=sources, rates=RATES, today=date(2025, 6, 14), facts=FACTS
    )
    assert saturday is not None
    assert (saturday.key, saturday.sources) == (on_friday.key, on_friday.sources)


@pytest.mark.django_db
def test_the_key_moves_with_the_expenses_the_month_and_the_sources_counted(
    alice: User, profile: Profile
) -> None:
    sources = _sources(alice)
    key = _question(profile, sources).key
    assert _question(profile, sources).key == key  # made the same way twice: the same
    assert _question(profile, sources[:3]).key != key
    profile.monthly_expenses = D(2100)
    assert _question(profile, sources).key != key
    profile.monthly_expenses = D(2000)
    next_month = independence_question(
        profile=profile, sources=sources, rates=RATES, today=date(2025, 7, 1), facts=FACTS
    )
    assert next_month is not None
    assert next_month.key != key
    sources[3].status = "paused"  # no longer a current source
    assert _question(profile, sources).key != key


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("filing_status", "joint"),
        ("church_tax_rate", D("0.09")),
        ("marginal_tax_rate", D("0.30")),
    ],
)
def test_the_key_moves_with_the_persons_tax_situation(
    alice: User, profile: Profile, field: str, value: object
) -> None:
    sources = _sources(alice)
    before = _question(profile, sources)
    models, key = before.sources, before.key
    setattr(profile, field, value)
    after = _question(profile, sources)
    assert (after.sources != models, after.key != key) == (True, True)


@pytest.mark.django_db
def test_the_key_moves_with_the_tax_facts_and_without_them(alice: User, profile: Profile) -> None:
    sources = _sources(alice)
    before = _question(profile, sources)
    joint_2026 = independence_question(
        profile=profile, sources=sources, rates=RATES, today=TODAY, facts=KNOWN_FACTS[2026]
    )
    without = independence_question(
        profile=profile, sources=sources, rates=RATES, today=TODAY, facts=None
    )
    assert joint_2026 is not None
    assert without is not None
    # 2026 fixes the same rates as 2025: the models stay, the key names the year.
    assert (joint_2026.sources, joint_2026.key == before.key) == (before.sources, False)
    assert (without.sources != before.sources, without.key != before.key) == (True, True)
