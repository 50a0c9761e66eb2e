"""An id in a query string or form that is no database id is a 400 or a 404, never a 500
(issue 19, finding 10: ``compare/?ids=`` with a 23-digit id; SQLite cannot hold an integer
past 2**63 and raised ``OverflowError``, and ``"²".isdigit()`` is true but ``int("²")``
fails).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from rest_framework.test import APIClient

from income.ids import MAX_ID, object_id, object_ids

HUGE = "1" * 23
NOT_ASCII = "\u00b2"  # superscript two: isdigit() is true, int() refuses it


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"/scenarios/compare/?ids={HUGE},1", 400),
        (f"/scenarios/compare/?ids={NOT_ASCII},1", 400),
        (f"/exports/payments.csv?source={HUGE}", 404),
        (f"/exports/payments.csv?source={NOT_ASCII}", 404),
        (f"/imports/new/?source={HUGE}", 200),
        (f"/imports/new/?source={NOT_ASCII}", 200),
    ],
)
def test_a_page_answers_an_id_that_is_no_id_without_a_500(
    alice: User, url: str, expected: int
) -> None:
    assert _client(alice).get(url).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("ids", [f"{HUGE},1", f"{NOT_ASCII},1", f"{2**63},1", "-1,1"])
def test_the_compare_api_answers_400_for_an_id_that_is_no_id(
    alice_api: APIClient, ids: str
) -> None:
    alice_api.raise_request_exception = False
    response = alice_api.get("/api/v1/scenarios/compare/", {"ids": ids})
    assert response.status_code == 400
    assert set(response.json()) == {"ids"}


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, NOT_ASCII])
def test_bulk_editing_payments_with_an_id_that_is_no_id_is_a_form_error(
    alice: User, value: str
) -> None:
    response = _client(alice).post("/payments/bulk/", {"ids": [value], "action": "delete"})
    assert response.status_code == 302  # back to the list, with the form's error
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Select at least one payment."]


def test_object_id_takes_database_ids_only() -> None:
    assert object_id("42") == 42
    assert object_id(str(MAX_ID)) == MAX_ID
    for text in ("", "0", "-1", " 1", "1.0", HUGE, str(MAX_ID + 1), NOT_ASCII, "\u0661"):
        assert object_id(text) is None, text
    assert object_ids(["3,1", "3"]) == [3, 1]
    with pytest.raises(ValueError, match="not an id"):
        object_ids([f"1,{HUGE}"])
