"""factory_boy factories. Rows are made through the services, as the app makes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from factory.base import Factory
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory

from income import services
from income.models import EffortLog, IncomeCategory, IncomeSource, Payment, SubscriptionPeriod
from scenarios import services as scenario_services
from scenarios.models import Scenario

PASSWORD = "correct-horse-battery-9"


def category(slug: str) -> IncomeCategory:
    """A category shipped by the data migration (``income/migrations/0003``)."""
    return IncomeCategory.objects.get(slug=slug)


class UserFactory(Factory[User]):
    class Meta:
        model = User

    username = Sequence(lambda n: f"user{n}")
    email = LazyAttribute(lambda o: f"{o.username}@example.com")
    password = PASSWORD
    language = "en"
    base_currency = "EUR"

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return services.user_register(**kwargs)


class SourceFactory(Factory[IncomeSource]):
    class Meta:
        model = IncomeSource

    owner = SubFactory(UserFactory)
    name = Sequence(lambda n: f"Source {n}")
    category = LazyFunction(lambda: category("etf-dividends"))
    currency = "EUR"
    start_date = date(2024, 1, 1)

    @classmethod
    def _create(cls, model_class: type[IncomeSource], *args: Any, **kwargs: Any) -> IncomeSource:
        return services.source_create(**kwargs)


class PaymentFactory(Factory[Payment]):
    class Meta:
        model = Payment

    source = SubFactory(SourceFactory)
    date = date(2025, 3, 15)
    gross = Decimal("100.00")

    @classmethod
    def _create(cls, model_class: type[Payment], *args: Any, **kwargs: Any) -> Payment:
        return services.payment_create(owner=kwargs["source"].owner, **kwargs)


class PeriodFactory(Factory[SubscriptionPeriod]):
    class Meta:
        model = SubscriptionPeriod

    source = SubFactory(SourceFactory, category=LazyFunction(lambda: category("membership")))
    month = date(2025, 1, 1)
    subscribers_start = 100

    @classmethod
    def _create(
        cls, model_class: type[SubscriptionPeriod], *args: Any, **kwargs: Any
    ) -> SubscriptionPeriod:
        return services.period_create(owner=kwargs["source"].owner, **kwargs)


class EffortLogFactory(Factory[EffortLog]):
    class Meta:
        model = EffortLog

    source = SubFactory(SourceFactory)
    month = date(2025, 1, 1)
    hours = Decimal("3.50")

    @classmethod
    def _create(cls, model_class: type[EffortLog], *args: Any, **kwargs: Any) -> EffortLog:
        return services.effort_log_create(owner=kwargs["source"].owner, **kwargs)


class ScenarioFactory(Factory[Scenario]):
    class Meta:
        model = Scenario

    owner = SubFactory(UserFactory)
    name = Sequence(lambda n: f"Plan {n}")
    starting_capital = Decimal("10000")
    monthly_contribution = Decimal("250")
    annual_return = Decimal("0.05")
    horizon_years = 20

    @classmethod
    def _create(cls, model_class: type[Scenario], *args: Any, **kwargs: Any) -> Scenario:
        return scenario_services.scenario_create(**kwargs)
