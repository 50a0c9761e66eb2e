"""A billing export imported into a subscription source (issue 23): where its customers
go, what a second import of it, or of next month's, changes, all or nothing, and the
analytics that come out of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from finance.errors import DomainError
from imports import jobs, services
from imports.billing import BillingPreview, BillingRejected, billing_file_import
from imports.models import ImportStatus, PaymentImport, SourceAlias
from income.billing import subscription_metrics
from income.models import BillingSubscription, Customer, IncomeSource, SubscriptionPause
from tests.factories import SourceFactory, category

pytestmark = pytest.mark.django_db
BILLING = Path(__file__).resolve().parent / "fixtures" / "billing"
STRIPE = (BILLING / "stripe_subscriptions.csv").read_bytes()


def stripe_with(*replacements: tuple[str, str]) -> bytes:
    text = STRIPE.decode()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text.encode()


def test_an_export_without_a_chosen_source_creates_one_named_after_the_platform(
    alice: User,
) -> None:
    summary = billing_file_import(
        owner=alice, data=STRIPE, source=None, preset="stripe_subscriptions", partial=False
    )
    source = summary.source
    assert (source.name, source.category.slug, source.currency) == ("Stripe", "saas", "EUR")
    assert source.start_date == date(2024, 1, 10)  # the earliest subscription's start
    assert summary.created_sources == 1
    assert (summary.written.created, summary.written.updated, summary.written.unchanged) == (
        7, 0, 0
    )  # fmt: skip
    assert summary.written.customers_created == 6
    assert Customer.objects.filter(source=source).count() == 6
    anna = Customer.objects.get(source=source, external_id="cus_QaA01")
    assert anna.name == "Anna Berg"
    assert sorted(anna.subscriptions.values_list("external_id", "quantity")) == [
        ("sub_1PaA01", 1), ("sub_1PaA02", 3)
    ]  # fmt: skip
    paused = BillingSubscription.objects.get(external_id="sub_1PaG01")
    assert list(paused.pauses.values_list("starts", "ends")) == [(date(2024, 3, 1), None)]


def test_the_analytics_come_from_the_imported_subscriptions(alice: User) -> None:
    source = billing_file_import(
        owner=alice, data=STRIPE, source=None, preset="stripe_subscriptions", partial=False
    ).source
    metrics = subscription_metrics(source=source, base="EUR", as_of=date(2024, 4, 30))
    # End of April: Anna 19 + 3 seats × 5 = 34, Ben 240 / 12 = 20, Dora 19 (her trial
    # ended on 15 April), Frieda 19 (ends 20 May); Carla ended in March, Gert is paused.
    assert metrics.mrr == Decimal("92.00")
    assert metrics.paying == 4


def test_the_same_export_twice_changes_nothing(alice: User) -> None:
    first = billing_file_import(
        owner=alice, data=STRIPE, source=None, preset="stripe_subscriptions", partial=False
    )
    again = billing_file_import(
        owner=alice, data=STRIPE, source=None, preset="stripe_subscriptions", partial=False
    )
    assert again.source == first.source  # remembered: the platform's last import went there
    assert again.created_sources == 0
    assert (again.written.created, again.written.updated, again.written.unchanged) == (0, 0, 7)
    assert BillingSubscription.objects.count() == 7
    assert SubscriptionPause.objects.count() == 1
    assert IncomeSource.objects.filter(owner=alice).count() == 1


def test_next_months_export_records_the_cancellations_and_adds_the_new(alice: User) -> None:
    source = billing_file_import(
        owner=alice, data=STRIPE, source=None, preset="stripe_subscriptions", partial=False
    ).source
    later = stripe_with(
        # Anna cancels her seats, Gert resumes from 1 May, a new customer arrives.
        (
            "eur,month,5.00,past_due,,,2024-03-01 09:00,2024-03-01 09:00,2024-04-01 09:00,"
            "2024-05-01 09:00,,,,,false,seats",
            "eur,month,5.00,canceled,,,2024-03-01 09:00,2024-03-01 09:00,2024-04-01 09:00,"
            "2024-05-01 09:00,,,2024-04-20 10:00,2024-05-01 09:00,false,seats\n"
            "sub_1PaH01,cus_QaH01,Hedi Ilg,hedi@example.org,,price_1PaMonth,Ertrag Pro,1,eur,"
            "month,19.00,active,,,2024-05-03 08:00,2024-05-03 08:00,2024-05-03 08:00,"
            "2024-06-03 08:00,,,,,false,pro",
        ),
        (
            "Anna Berg,anna@example.org,,price_1PaMonth",
            "Anna Berg-Lind,anna@example.org,,price_1PaMonth",
        ),
    )
    summary = billing_file_import(
        owner=alice, data=later, source=source, preset="stripe_subscriptions", partial=False
    )
    assert (summary.written.created, summary.written.updated, summary.written.unchanged) == (
        1, 1, 6
    )  # fmt: skip
    seats = BillingSubscription.objects.get(external_id="sub_1PaA02")
    assert (seats.cancelled_on, seats.ended) == (date(2024, 4, 20), date(2024, 5, 1))
    assert Customer.objects.get(external_id="cus_QaA01").name == "Anna Berg-Lind"
    assert Customer.objects.filter(source=source).count() == 7


def test_customers_the_export_leaves_out_are_kept(alice: User) -> None:
    source = billing_file_import(
        owner=alice, data=STRIPE, source=None, preset="stripe_subscriptions", partial=False
    ).source
    header, first_row = STRIPE.decode().splitlines()[:2]
    billing_file_import(
        owner=alice, data=f"{header}\n{first_row}\n".encode(), source=source,
        preset="stripe_subscriptions", partial=False,
    )  # fmt: skip
    assert Customer.objects.filter(source=source).count() == 6


def test_a_file_with_an_error_writes_nothing_unless_the_good_rows_are_asked_for(
    alice: User,
) -> None:
    broken = stripe_with(("eur,year,240.00,active", "eur,year,lots,active"))
    with pytest.raises(BillingRejected) as rejected:
        billing_file_import(
            owner=alice, data=broken, source=None, preset="stripe_subscriptions", partial=False
        )
    assert [e.line for e in rejected.value.result.errors] == [3]
    assert not Customer.objects.exists()
    assert not IncomeSource.objects.filter(owner=alice).exists()
    summary = billing_file_import(
        owner=alice, data=broken, source=None, preset="stripe_subscriptions", partial=True
    )
    assert (summary.written.created, summary.rejected) == (6, 1)
    assert not Customer.objects.filter(external_id="cus_QaB01").exists()


def test_only_a_subscription_source_of_ones_own_takes_an_export(alice: User, bob: User) -> None:
    dividends = SourceFactory.create(owner=alice, name="ETF")
    with pytest.raises(DomainError) as refused:
        billing_file_import(
            owner=alice, data=STRIPE, source=dividends, preset="stripe_subscriptions",
            partial=False,
        )  # fmt: skip
    assert "source" in refused.value.field_errors
    bobs = SourceFactory.create(owner=bob, category=category("saas"))
    with pytest.raises(DomainError):
        billing_file_import(
            owner=alice, data=STRIPE, source=bobs, preset="stripe_subscriptions", partial=False
        )
    assert not Customer.objects.exists()


def test_a_chosen_source_is_remembered_for_the_platforms_next_export(alice: User) -> None:
    mine = SourceFactory.create(owner=alice, name="My SaaS", category=category("saas"))
    billing_file_import(
        owner=alice, data=STRIPE, source=mine, preset="stripe_subscriptions", partial=False
    )
    alias = SourceAlias.objects.get(owner=alice)
    assert alias.source == mine
    preview = services.statement_preview(owner=alice, content=STRIPE, source=None)
    assert isinstance(preview, BillingPreview)
    assert preview.target.source == mine
    assert preview.target.how == "remembered"
    assert preview.new_subscriptions == 0


def test_an_upload_is_recognised_previewed_and_imported_by_the_worker(
    alice: User, django_capture_on_commit_callbacks: object
) -> None:
    upload = services.payment_import_upload(
        owner=alice, filename="subscriptions.csv", content=STRIPE, source=None
    )
    assert (upload.preset, upload.kind) == ("stripe_subscriptions", "billing")
    preview = services.billing_upload_preview(upload=upload)
    assert (preview.target.how, preview.target.name) == ("create", "Stripe")
    assert (len(preview.result.rows), preview.new_subscriptions, preview.new_customers) == (
        7, 7, 6
    )  # fmt: skip
    done = jobs.payment_import_process(upload_id=jobs.payment_import_start(upload=upload).pk)
    assert done is not None
    done.refresh_from_db()
    assert done.status == ImportStatus.DONE
    assert (done.created_rows, done.updated_rows, done.duplicate_rows) == (7, 0, 0)
    assert (done.skipped_rows, done.rejected_rows, done.created_sources) == (1, 0, 1)
    assert done.source is not None
    assert done.source.name == "Stripe"


def test_a_rejected_upload_lists_its_lines_to_fix(alice: User) -> None:
    broken = stripe_with(("eur,year,240.00,active", "eur,year,lots,active"))
    upload = services.payment_import_upload(
        owner=alice, filename="subscriptions.csv", content=broken, source=None
    )
    jobs.payment_import_process(upload_id=jobs.payment_import_start(upload=upload).pk)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.REJECTED
    assert [(e["line"], e["field"]) for e in upload.errors] == [(3, "amount")]
    lines = services.payment_import_rejected_lines(upload=upload).splitlines()
    assert lines[0].startswith("line,reasons,id,Customer ID")
    assert lines[1].startswith("3,")
    assert "sub_1PaB01" in lines[1]
    assert not Customer.objects.exists()


def test_an_upload_into_a_source_that_takes_no_customers_is_refused(alice: User) -> None:
    dividends = SourceFactory.create(owner=alice, name="ETF")
    with pytest.raises(DomainError) as refused:
        services.payment_import_upload(
            owner=alice, filename="s.csv", content=STRIPE, source=dividends
        )
    assert "source" in refused.value.field_errors


@pytest.mark.parametrize(
    "name", ["patreon_members", "patreon_members_dollars", "polar_subscriptions",
             "baremetrics_template"],
)  # fmt: skip
def test_every_platforms_export_imports_into_its_category(alice: User, name: str) -> None:
    data = (BILLING / f"{name}.csv").read_bytes()
    upload = services.payment_import_upload(
        owner=alice, filename=f"{name}.csv", content=data, source=None
    )
    assert upload.preset == name
    jobs.payment_import_process(upload_id=jobs.payment_import_start(upload=upload).pk)
    upload.refresh_from_db()
    assert upload.status == ImportStatus.DONE, upload.errors
    assert upload.source is not None
    expected = "membership" if name.startswith("patreon") else "saas"
    assert upload.source.category.slug == expected
    assert (
        upload.created_rows
        == BillingSubscription.objects.filter(customer__source=upload.source).count()
        > 0
    )


def test_the_previews_second_visit_does_not_read_the_file_again(alice: User) -> None:
    """The reading is kept (issue 19: a statement's preview re-read a 100,000-row file on
    every visit); emptying the stored file shows it is not read twice."""
    upload = services.payment_import_upload(
        owner=alice, filename="subscriptions.csv", content=STRIPE, source=None
    )
    first = services.billing_upload_preview(upload=upload)
    PaymentImport.objects.filter(pk=upload.pk).update(content=b"")
    again = services.billing_upload_preview(
        upload=PaymentImport.objects.defer("content").get(pk=upload.pk)
    )
    assert again.result == first.result
    assert len(again.result.rows) == 7
