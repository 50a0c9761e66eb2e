"""A subscription source's billing data (issue 23) goes out with the account's export and
comes back with its import: every customer, subscription and pause, each field as it was,
still pointing at its source, customer and subscription; a row that points at one the
file lacks is refused, and the import then writes nothing."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.generators import SchemaGenerator

from finance.errors import DomainError
from income import services
from income.models import BillingSubscription, Customer, IncomeSource, SubscriptionPause
from portability.document import VERSION
from portability.services.export import account_document, account_export
from portability.services.importing import account_import
from tests.factories import SourceFactory, UserFactory, category
from tests.portability.test_export_schema import _rows_of, _validator

D = Decimal
SUBSCRIPTION_COLUMNS = (
    "external_id", "plan", "amount", "currency", "interval", "interval_count", "quantity",
    "percent_off", "amount_off", "started", "trial_ends", "cancelled_on", "ended",
)  # fmt: skip


@pytest.fixture
def owner(alice: User) -> User:
    """Two subscription sources: a club with a customer on a paused monthly plan and a
    yearly one with every field set (trial, discounts, cancelled and ended), a SaaS in
    dollars with a nameless customer whose subscription has no id and an open pause."""
    club = SourceFactory.create(owner=alice, name="Club", category=category("membership"))
    ada = services.customer_create(owner=alice, source=club, external_id="cus_1", name="Ada")
    monthly = services.billing_subscription_create(
        owner=alice, customer=ada, external_id="sub_1", plan="Monthly", amount=D("9.90"),
        started=date(2024, 3, 1),
    )  # fmt: skip
    services.subscription_pause_create(
        owner=alice, subscription=monthly, starts=date(2024, 7, 1), ends=date(2024, 9, 1)
    )
    services.billing_subscription_create(
        owner=alice, customer=ada, external_id="sub_2", plan="Team yearly",
        amount=D("1188.00"), currency="CHF", interval="year", interval_count=2, quantity=5,
        percent_off=D("0.125"), amount_off=D("20.50"), started=date(2024, 1, 10),
        trial_ends=date(2024, 2, 10), cancelled_on=date(2025, 11, 3), ended=date(2026, 1, 10),
    )  # fmt: skip
    saas = SourceFactory.create(owner=alice, name="SaaS", category=category("saas"), currency="USD")
    nameless = services.customer_create(owner=alice, source=saas, external_id="lea@example.com")
    weekly = services.billing_subscription_create(
        owner=alice, customer=nameless, amount=D("3.00"), interval="week",
        started=date(2025, 5, 5),
    )  # fmt: skip
    services.subscription_pause_create(owner=alice, subscription=weekly, starts=date(2025, 8, 4))
    return alice


def billing_of(user: User) -> list[tuple[Any, ...]]:
    """Every customer with each subscription of theirs and that one's pauses, as values:
    ids differ between the two accounts, so rows are named by what they hang on."""
    rows: list[tuple[Any, ...]] = []
    for customer in Customer.objects.filter(source__owner=user).select_related("source"):
        subscriptions = []
        for subscription in customer.subscriptions.all():
            pauses = sorted(subscription.pauses.values_list("starts", "ends"))
            values = tuple(getattr(subscription, name) for name in SUBSCRIPTION_COLUMNS)
            subscriptions.append((values, pauses))
        rows.append(
            (customer.source.name, customer.external_id, customer.name, sorted(subscriptions))
        )
    return sorted(rows)


def counts_of(user: User) -> tuple[int, int, int, int]:
    return (
        IncomeSource.objects.filter(owner=user).count(),
        Customer.objects.filter(source__owner=user).count(),
        BillingSubscription.objects.filter(customer__source__owner=user).count(),
        SubscriptionPause.objects.filter(subscription__customer__source__owner=user).count(),
    )


def test_customers_subscriptions_and_pauses_come_back_with_every_field(owner: User) -> None:
    document = json.loads(json.dumps(account_document(user=owner)))  # through real JSON
    assert document["version"] == VERSION
    assert [len(document[t]) for t in ("customers", "billing_subscriptions")] == [2, 3]
    assert len(document["subscription_pauses"]) == 2
    assert isinstance(document["billing_subscriptions"][0]["amount"], str)
    fresh = UserFactory.create(username="neu")
    summary = account_import(user=fresh, document=document)
    counts = summary.counts
    assert (counts["customers"], counts["billing_subscriptions"]) == (2, 3)
    assert counts["subscription_pauses"] == 2
    assert counts_of(fresh) == counts_of(owner) == (2, 2, 3, 2)
    assert billing_of(fresh) == billing_of(owner)
    team = BillingSubscription.objects.get(customer__source__owner=fresh, external_id="sub_2")
    assert (team.percent_off, team.amount_off, team.currency) == (D("0.125"), D("20.50"), "CHF")


def test_the_export_holds_only_the_users_billing_rows_pointing_at_each_other(
    owner: User, bob: User
) -> None:
    club = SourceFactory.create(owner=bob, name="Bobs Club", category=category("membership"))
    services.customer_create(owner=bob, source=club, external_id="cus_bob")
    document = account_document(user=owner)
    assert "cus_bob" not in {c["external_id"] for c in document["customers"]}
    sources = {s["ref"] for s in document["sources"]}
    customers = {c["ref"] for c in document["customers"]}
    subscriptions = {s["ref"] for s in document["billing_subscriptions"]}
    assert {c["source"] for c in document["customers"]} <= sources
    assert {s["customer"] for s in document["billing_subscriptions"]} <= customers
    assert {p["subscription"] for p in document["subscription_pauses"]} <= subscriptions


@pytest.mark.parametrize(
    ("table", "reference", "problem"),
    [
        (
            "billing_subscriptions",
            "customer",
            "billing_subscriptions, row 2: customer: It refers to a customer that is not in the "
            "file.",
        ),
        (
            "subscription_pauses",
            "subscription",
            "subscription_pauses, row 2: subscription: It refers to a subscription that is not "
            "in the file.",
        ),
    ],
)
def test_a_row_pointing_at_one_the_file_lacks_is_refused_and_nothing_is_written(
    owner: User, table: str, reference: str, problem: str
) -> None:
    document = account_document(user=owner)
    rows = [dict(row) for row in document[table]]
    rows[1][reference] = 99999999
    fresh = UserFactory.create(username="neu")
    with pytest.raises(DomainError) as refused:
        account_import(user=fresh, document={**document, table: rows})
    assert refused.value.field_errors["file"] == [problem]
    assert counts_of(fresh) == (0, 0, 0, 0)


def test_a_customer_of_another_source_in_the_file_is_no_reference_across_accounts(
    owner: User, bob: User
) -> None:
    """A subscription's ``customer`` is a ref of the file, never an id of this database:
    one that names an existing customer (bob's) is refused like any unknown one."""
    club = SourceFactory.create(owner=bob, name="Bobs Club", category=category("membership"))
    bobs = services.customer_create(owner=bob, source=club, external_id="cus_bob")
    document = account_document(user=owner)
    refs = {c["ref"] for c in document["customers"]}
    assert bobs.pk not in refs
    rows = [dict(row) for row in document["billing_subscriptions"]]
    rows[0]["customer"] = bobs.pk
    fresh = UserFactory.create(username="neu")
    with pytest.raises(DomainError, match="billing_subscriptions, row 1: customer"):
        account_import(user=fresh, document={**document, "billing_subscriptions": rows})
    assert counts_of(fresh) == (0, 0, 0, 0)
    assert bobs.subscriptions.count() == 0


def test_an_export_from_before_billing_data_still_imports(owner: User) -> None:
    document = account_document(user=owner)
    del document["customers"], document["billing_subscriptions"]
    del document["subscription_pauses"]
    fresh = UserFactory.create(username="neu")
    summary = account_import(user=fresh, document=document)
    assert (summary.counts["customers"], summary.counts["subscription_pauses"]) == (0, 0)
    assert counts_of(fresh) == (2, 0, 0, 0)


def test_the_zip_has_a_csv_of_customers_subscriptions_and_pauses(owner: User) -> None:
    archive = zipfile.ZipFile(io.BytesIO(account_export(user=owner)))
    assert "lea@example.com" in archive.read("customers.csv").decode("utf-8-sig")
    assert "Team yearly" in archive.read("billing_subscriptions.csv").decode("utf-8-sig")
    assert "2024-07-01" in archive.read("subscription_pauses.csv").decode("utf-8-sig")


def test_the_billing_rows_match_the_schema_exactly_both_ways(owner: User) -> None:
    """The demo has no billing data, so the schema tests of a whole export cannot see
    these rows' types; here they are checked strictly, as the export writes them."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    schema: dict[str, Any] = json.loads(json.dumps(generated, cls=DjangoJSONEncoder))
    document = json.loads(json.dumps(account_document(user=owner)))
    for component in ("ExportDocument", "ImportDocumentRequest"):
        strict = _rows_of(schema, component)
        errors = list(_validator(schema, component, strict=strict).iter_errors(document))
        assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    rows = schema["components"]["schemas"]
    assert set(rows["ExportBillingSubscription"]["required"]) == {
        "ref", "customer", *SUBSCRIPTION_COLUMNS
    }  # fmt: skip
    assert rows["ImportSubscriptionPauseRequest"]["required"] == ["subscription"]
