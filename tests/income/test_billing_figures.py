"""One MRR per subscription source (issue 23): a source with billing data takes its MRR,
subscribers, churn, ARPU and LTV from its subscriptions wherever its figures are shown —
the dashboard, the reports, the API — as its page and ``subscription-metrics`` show them,
not from its hand-typed months."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from income import services
from income.billing import subscription_metrics
from income.models import IncomeSource
from income.report_inputs import report_inputs
from income.reporting import overview_of
from tests.factories import SourceFactory, category

D = Decimal
pytestmark = pytest.mark.django_db
AS_OF = date(2026, 4, 20)


@pytest.fixture
def club(alice: User) -> IncomeSource:
    """A membership with a hand-typed month that says 999 € MRR, and billing data that
    says otherwise: three members at 10 € a month from January, one of whom left at the
    end of February, and one yearly member at 120 € from March."""
    source = SourceFactory.create(
        owner=alice, name="Club", category=category("membership"), currency="EUR",
        price_per_subscriber=D("9.00"), current_subscribers=111,
    )  # fmt: skip
    services.period_create(
        owner=alice, source=source, month=date(2026, 3, 1), subscribers_start=100,
        new_subscribers=11, churned_subscribers=0, revenue=D("999.00"),
    )  # fmt: skip

    def member(number: int, **fields: object) -> services.NewCustomer:
        return services.NewCustomer(
            external_id=f"m{number}",
            subscriptions=(services.NewSubscription(fields={"external_id": "s", **fields}),),
        )

    services.billing_bulk_create(
        owner=alice,
        source=source,
        customers=[
            member(1, amount=D(10), started=date(2026, 1, 5)),
            member(2, amount=D(10), started=date(2026, 1, 6)),
            member(3, amount=D(10), started=date(2026, 1, 7), ended=date(2026, 3, 1)),
            member(4, amount=D(120), interval="year", started=date(2026, 3, 2)),
        ],
    )
    return source


def test_the_dashboard_and_the_reports_take_the_sources_mrr_from_its_billing_data(
    alice: User, club: IncomeSource
) -> None:
    figures = next(
        s for s in overview_of(report_inputs(owner=alice, as_of=AS_OF)).sources if s.source == club
    )
    metrics = subscription_metrics(source=club, base="EUR", as_of=AS_OF)
    # April: members 1 and 2 at 10 €, member 4 at 120 / 12 = 10 €: 30 €, not the 999 €
    # typed for March nor 111 × 9 €.
    assert figures.mrr == metrics.mrr == D("30.00")
    assert figures.arr == metrics.arr == D("360.00")
    assert figures.subscribers == metrics.paying == 3
    assert figures.arpu == metrics.arpa == D("10.00")
    # March, the last complete month: member 3 left of the three paying at its start.
    assert metrics.complete is not None
    assert metrics.complete.customer_churn is not None
    assert figures.churn_rate == round(metrics.complete.customer_churn, 4)
    assert figures.churn_rate == D("0.3333")
    assert figures.ltv == metrics.ltv


def test_the_api_gives_the_same_mrr_on_the_dashboard_and_in_the_metrics(
    alice_api: APIClient, club: IncomeSource
) -> None:
    dashboard = alice_api.get("/api/v1/dashboard/", {"as_of": AS_OF.isoformat()}).json()
    row = next(s for s in dashboard["sources"] if s["id"] == club.pk)
    metrics = subscription_metrics(source=club, base="EUR", as_of=AS_OF)
    assert D(row["mrr"]) == metrics.mrr
    assert D(row["arpu"]) == metrics.arpa


def test_a_source_without_billing_data_keeps_its_hand_typed_figures(alice: User) -> None:
    typed = SourceFactory.create(
        owner=alice, name="Typed", category=category("membership"),
        price_per_subscriber=D("9.00"), current_subscribers=10,
    )  # fmt: skip
    figures = next(
        s for s in overview_of(report_inputs(owner=alice, as_of=AS_OF)).sources if s.source == typed
    )
    assert figures.mrr == D("90.00")
    assert figures.subscribers == 10


def test_loading_the_billing_data_costs_two_queries_for_any_number_of_sources(
    alice: User, club: IncomeSource
) -> None:
    with CaptureQueriesContext(connection) as one:
        report_inputs(owner=alice, as_of=AS_OF)
    second = SourceFactory.create(owner=alice, name="Club 2", category=category("saas"))
    services.billing_bulk_create(
        owner=alice,
        source=second,
        customers=[
            services.NewCustomer(
                external_id=f"c{n}",
                subscriptions=(
                    services.NewSubscription(fields={"amount": D(5), "started": date(2026, 1, 1)}),
                ),
            )
            for n in range(20)
        ],
    )
    with CaptureQueriesContext(connection) as two:
        inputs = report_inputs(owner=alice, as_of=AS_OF)
    assert len(two) == len(one)
    assert {source_id: len(rows) for source_id, rows in inputs.billing.items()} == {
        club.pk: 4,
        second.pk: 20,
    }


def test_a_user_without_a_subscription_source_loads_no_billing_data(alice: User) -> None:
    SourceFactory.create(owner=alice, name="ETF")
    with CaptureQueriesContext(connection) as queries:
        inputs = report_inputs(owner=alice, as_of=AS_OF)
    assert inputs.billing == {}
    assert not any("billingsubscription" in q["sql"].lower() for q in queries.captured_queries)
