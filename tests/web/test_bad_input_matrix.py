"""Bad input in the browser's forms and in CSV imports: a clear error, nothing saved.

The browser half of the matrix (the API half is tests/api/test_bad_input_matrix.py):
each form answers a bad value with the form again, its error next to the field, and
no table gains or loses a row. A bad CSV file is refused as a whole: the upload keeps
the line and the reason, and not one payment of it is written (the import is atomic).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from imports.models import ImportStatus, PaymentImport
from income.models import IncomeSource
from tests.api.test_bad_input_matrix import row_counts
from tests.factories import SourceFactory, category


@dataclass(frozen=True)
class Form:
    name: str
    url: str
    data: dict[str, Any]
    field: str


@dataclass(frozen=True)
class Sources:
    mine: IncomeSource
    subscription: IncomeSource
    bobs: IncomeSource


def source_form(**bad: Any) -> dict[str, Any]:
    return {
        "name": "Depot",
        "category": "<etf>",
        "currency": "EUR",
        "status": "active",
        "start_date": "2024-01-01",
        "payout_rhythm": "monthly",
        **bad,
    }


def payment_form(**bad: Any) -> dict[str, Any]:
    return {"source": "<mine>", "date": "2025-03-01", "gross": "100.00", **bad}


def scenario_form(**bad: Any) -> dict[str, Any]:
    return {
        "name": "Plan",
        "starting_capital": "10000",
        "monthly_contribution": "100",
        "annual_return": "5",
        "compounding": "yearly",
        "payout": "reinvest",
        "inflation": "2",
        "horizon_years": "20",
        **bad,
    }


def bad(label: str, url: str, good: Callable[..., dict[str, Any]], /, **value: Any) -> Form:
    """The form's good data with the one field ``value`` names made bad."""
    (field,) = value
    return Form(label, url, good(**value), field)


def settings_form(**bad: Any) -> dict[str, Any]:
    return {"base_currency": "EUR", "language": "en", **bad}


def period_form(**bad: Any) -> dict[str, Any]:
    return {"month": "2025-01", "subscribers_start": "10", **bad}


NEW_SOURCE, ADD_PAYMENT, NEW_SCENARIO = "/sources/new/", "/payments/add/", "/scenarios/new/"
FORMS = [
    bad("source: yield as a word", NEW_SOURCE, source_form, expected_yield="viel"),
    bad("source: yield of 2000 %", NEW_SOURCE, source_form, expected_yield="2000"),
    bad("source: churn of 150 %", NEW_SOURCE, source_form, monthly_churn_rate="150"),
    bad("source: 30 February", NEW_SOURCE, source_form, start_date="2025-02-30"),
    bad("source: a category that does not exist", NEW_SOURCE, source_form, category="999999"),
    bad("source: NaN capital", NEW_SOURCE, source_form, invested_capital="NaN"),
    bad("payment: negative tax on a receipt", ADD_PAYMENT, payment_form, tax_withheld="-5"),
    bad("payment: negative fees on a receipt", ADD_PAYMENT, payment_form, fees="-5"),
    bad("payment: NaN gross", ADD_PAYMENT, payment_form, gross="NaN"),
    bad("payment: 1e30 gross", ADD_PAYMENT, payment_form, gross="1e30"),
    bad("payment: another user's source", ADD_PAYMENT, payment_form, source="<bobs>"),
    bad("scenario: 500 years", NEW_SCENARIO, scenario_form, horizon_years="500"),
    bad("scenario: return of -150 %", NEW_SCENARIO, scenario_form, annual_return="-150"),
    bad("scenario: another user's source", NEW_SCENARIO, scenario_form, sources="<bobs>"),
    bad("settings: negative expenses", "/settings/", settings_form, monthly_expenses="-1"),
    bad(
        "period: more churned than there were",
        "/sources/<subscription>/periods/new/",
        period_form,
        churned_subscribers="50",
    ),
]

GOOD_CSV = "Datum;Betrag;Notiz\n01.03.2025;100,00;Dividende\n"
CSV_FILES = {
    "a formula in a note": "Datum;Betrag;Notiz\n01.03.2025;100,00;=cmd|' /C calc'!A0\n",
    "a formula behind a tab": 'Datum;Betrag;Notiz\n01.03.2025;100,00;\t=HYPERLINK("x")\n',
    "30 February": "Datum;Betrag\n30.02.2025;100,00\n",
    "a NaN amount": "Date,Gross\n2025-03-01,NaN\n",
    "an infinite amount": "Date,Gross\n2025-03-01,Infinity\n",
    "a 1e30 amount": "Date,Gross\n2025-03-01,1e30\n",
    # A negative amount is no error since statements (a debit, or a reversal): see
    # tests/imports. Tax above the gross still is.
    "tax withheld above the gross": "Date,Gross,Tax\n2025-03-01,10.00,20.00\n",
    "an unknown currency": "Date,Gross,Currency\n2025-03-01,100.00,XYZ\n",
    "one good row and one bad": "Date,Gross\n2025-03-01,100.00\n2025-03-02,abc\n",
    "no amount column": "Date,Note\n2025-03-01,hello\n",
    "not text at all": "\x00\x01\x02\xff" * 50,
}


@pytest.fixture
def sources(alice: User, bob: User) -> Sources:
    return Sources(
        mine=SourceFactory.create(owner=alice),
        subscription=SourceFactory.create(owner=alice, category=category("membership")),
        bobs=SourceFactory.create(owner=bob),
    )


def fill(value: Any, sources: Sources) -> Any:
    placeholders: dict[str, Callable[[], Any]] = {
        "<etf>": lambda: category("etf-dividends").pk,
        "<mine>": lambda: sources.mine.pk,
        "<bobs>": lambda: sources.bobs.pk,
    }
    return placeholders[value]() if value in placeholders else value


def test_the_browser_matrix_and_the_csv_matrix_together_have_twenty_five_cases() -> None:
    assert len(FORMS) + len(CSV_FILES) >= 25


@pytest.mark.parametrize("form", FORMS, ids=[form.name for form in FORMS])
def test_a_bad_form_shows_its_error_and_saves_nothing(
    client: Client, alice: User, sources: Sources, form: Form
) -> None:
    client.force_login(alice)
    url = form.url.replace("<subscription>", str(sources.subscription.pk))
    data = {key: fill(value, sources) for key, value in form.data.items()}
    before = row_counts()
    response = client.post(url, data)
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert f'id="id_{form.field}_error"' in html, f"no error shown at {form.field}"
    assert 'aria-invalid="true"' in html
    assert row_counts() == before


@pytest.mark.parametrize("name", list(CSV_FILES))
def test_a_bad_csv_is_refused_whole_with_its_reason_and_writes_no_payment(
    alice_api: APIClient,
    alice: User,
    sources: Sources,
    django_capture_on_commit_callbacks: Any,
    name: str,
) -> None:
    before = {k: v for k, v in row_counts().items() if k != "imports.PaymentImport"}
    content = CSV_FILES[name].encode("latin-1")
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post(
            "/api/v1/imports/",
            {"file": _file(content), "source": sources.mine.pk},
            format="multipart",
        )
    assert response.status_code in (202, 400), response.content[:300]
    if response.status_code == 400:
        assert "file" in response.json()
    else:
        upload = PaymentImport.objects.get(pk=response.json()["id"])
        assert upload.status == ImportStatus.REJECTED
        assert upload.errors, "a rejected import says why"
        assert all(error["message"] for error in upload.errors)
    assert {k: v for k, v in row_counts().items() if k != "imports.PaymentImport"} == before


def test_the_good_csv_of_the_matrix_is_imported(
    alice_api: APIClient, sources: Sources, django_capture_on_commit_callbacks: Any
) -> None:
    """The files above fail for their one fault: without it, a file is imported."""
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post(
            "/api/v1/imports/",
            {"file": _file(GOOD_CSV.encode()), "source": sources.mine.pk},
            format="multipart",
        )
    upload = PaymentImport.objects.get(pk=response.json()["id"])
    assert (upload.status, upload.created_rows) == (ImportStatus.DONE, 1)


def test_an_oversize_upload_is_refused_in_the_browser(
    client: Client, alice: User, sources: Sources, settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(alice)
    before = row_counts()
    response = client.post(
        "/imports/new/",
        {"file": _file((GOOD_CSV * 100).encode()), "source": sources.mine.pk},
    )
    # 413 Payload Too Large, refused before the body is read (issue 19, finding 5).
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert row_counts() == before


def _file(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bank.csv", content, content_type="text/csv")
