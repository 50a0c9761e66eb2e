"""The admin: every model is there for support, and admins load ECB rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from income.models import ExchangeRate
from tests.factories import EffortLogFactory, PaymentFactory, PeriodFactory, SourceFactory, category

ECB = (
    b"Date,USD,JPY,CHF,XYZ,\n"
    b"2025-11-21,1.1520,181.23,N/A,1.0,\n"
    b"2025-11-20,1.1500,180.00,0.9300,2.0,\n"
)


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def test_every_admin_page_renders(admin_client: Client, alice: User) -> None:
    source = SourceFactory.create(owner=alice, category=category("membership"))
    PaymentFactory.create(source=source)
    PeriodFactory.create(source=source)
    EffortLogFactory.create(source=source)
    ExchangeRate.objects.create(date=date(2025, 1, 1), currency="USD", rate=Decimal("1.1"))
    for model in ("income/incomesource", "income/payment", "income/subscriptionperiod",
                  "income/effortlog", "income/exchangerate", "income/incomecategory",
                  "income/taxprofile", "income/profile", "imports/paymentimport"):  # fmt: skip
        assert admin_client.get(f"/admin/{model}/").status_code == 200, model
        assert admin_client.get(f"/admin/{model}/?q=a").status_code == 200, model
    assert admin_client.get(f"/admin/income/incomesource/{source.pk}/change/").status_code == 200
    assert admin_client.get("/admin/django_celery_beat/periodictask/").status_code == 200


def test_ecb_rates_are_loaded_and_updated(admin_client: Client) -> None:
    ExchangeRate.objects.create(date=date(2025, 11, 21), currency="USD", rate=Decimal("9"))
    response = admin_client.post(
        "/admin/income/exchangerate/load-ecb/",
        {"file": SimpleUploadedFile("eurofxref-hist.csv", ECB)},
    )
    assert response.status_code == 302
    rates = {(r.date.isoformat(), r.currency): r.rate for r in ExchangeRate.objects.all()}
    assert rates == {
        ("2025-11-21", "USD"): Decimal("1.15200000"),
        ("2025-11-21", "JPY"): Decimal("181.23000000"),
        ("2025-11-20", "USD"): Decimal("1.15000000"),
        ("2025-11-20", "JPY"): Decimal("180.00000000"),
        ("2025-11-20", "CHF"): Decimal("0.93000000"),
    }


def test_a_file_that_is_not_from_the_ecb_is_refused(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/income/exchangerate/load-ecb/",
        {"file": SimpleUploadedFile("x.csv", b"Day,USD\n1,2\n")},
    )
    assert response.status_code == 200
    assert "The first column must be" in response.content.decode()
    assert ExchangeRate.objects.count() == 0


def test_users_cannot_reach_the_ecb_loader(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.get("/admin/income/exchangerate/load-ecb/")
    assert response.status_code == 302
