"""Requests at the same moment keep every change, make no duplicate and get no 5xx.

Issue 20: a PATCH read the row outside its transaction and wrote all of it back, so of
two simultaneous PATCHes of different fields one was lost (20 of 20 trials on
PostgreSQL); parallel sign-ups with one name made one account each; parallel payments
with one external id, or records of one month, answered 500; of 20 parallel DELETEs of
one payment several answered 204. The app runs here as in production (gunicorn, two
processes of eight threads, ``tests/integration/served.py``) on a database file of the
test's own or, on PostgreSQL, the test database; every race is real threads sending at
once, released together by a barrier.
"""

from __future__ import annotations

import json
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier
from typing import Any

import pytest

from tests.integration.served import App, race_server, send

#: Run in the app's own environment: alice with a token, a source of each kind she
#: needs, a payment, a scenario and a profile.
SETUP = """
import json
from datetime import date
from decimal import Decimal
from django.contrib.auth.models import User
from income import services
from income.models import IncomeCategory
from scenarios.services import scenario_create
alice = User.objects.create_user("alice", "alice@example.com", "pw-alice-12345")
token, _expiry = services.api_token_create(user=alice)
def source(slug, name):
    return services.source_create(
        owner=alice, name=name, category=IncomeCategory.objects.get(slug=slug),
        currency="EUR", start_date=date(2020, 1, 1),
    )
etf, course = source("etf-dividends", "ETF"), source("saas", "SaaS")
blog = source("affiliate", "Blog")
day = date(2023, 1, 1)
payment = services.payment_create(owner=alice, source=etf, date=day, gross=Decimal(10))
period = services.period_create(owner=alice, source=course, month=day, subscribers_start=10)
effort = services.effort_log_create(owner=alice, source=blog, month=day, hours=Decimal(5))
value = services.asset_value_create(owner=alice, source=etf, date=day, value=Decimal(1000))
scenario = scenario_create(owner=alice, name="Plan")
services.profile_update(user=alice, monthly_expenses=Decimal(1000))
print("SETUP " + json.dumps({
    "token": token, "etf": etf.pk, "course": course.pk, "blog": blog.pk,
    "payment": payment.pk, "period": period.pk, "effort": effort.pk, "value": value.pk,
    "scenario": scenario.pk,
}))
"""

USERS_NAMED = """
import json
from django.contrib.auth.models import User
names = User.objects.filter(username__iexact=%r).values_list("username", flat=True)
print("USERS " + json.dumps(list(names)))
"""


@pytest.fixture
def served(tmp_path: Path, shipped_content: None) -> Iterator[App]:
    def make_users(app: App) -> None:
        app.users = [app.shell(SETUP, "SETUP")]

    with race_server(tmp_path, setup=make_users) as app:
        yield app


def at_once(
    app: App, method: str, path: str, bodies: list[dict[str, Any] | None], *, token: str | None
) -> list[tuple[int, str]]:
    """One request per body, from as many threads, released together by a barrier."""
    start = Barrier(len(bodies))

    def run(body: dict[str, Any] | None) -> tuple[int, str]:
        start.wait()
        return send(f"{app.url}{path}", method, token, body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(run, bodies))


def statuses(answers: list[tuple[int, str]]) -> Counter[int]:
    return Counter(status for status, _text in answers)


def no_5xx(answers: list[tuple[int, str]]) -> None:
    failures = [(status, text) for status, text in answers if status >= 500]
    assert not failures, f"{len(failures)} answered 5xx, e.g. {failures[:2]}"


def get(app: App, path: str) -> dict[str, Any]:
    status, text = send(f"{app.url}{path}", "GET", app.users[0]["token"])
    assert status == 200, text
    body: dict[str, Any] = json.loads(text)
    return body


#: Per resource: its path, and two fields with the values two clients set at once.
PATCHES: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "source": ("/api/v1/sources/{etf}/", {"name": "ETF world"}, {"notes": "monthly"}),
    "payment": ("/api/v1/payments/{payment}/", {"gross": "12.50"}, {"note": "January"}),
    "period": (
        "/api/v1/subscription-periods/{period}/",
        {"new_subscribers": 3},
        {"revenue": "99.00"},
    ),
    "effort log": ("/api/v1/effort-logs/{effort}/", {"hours": "7.50"}, {"note": "posts"}),
    "asset value": ("/api/v1/asset-values/{value}/", {"value": "1200.00"}, {"note": "year end"}),
    "scenario": ("/api/v1/scenarios/{scenario}/", {"name": "Plan B"}, {"description": "safe"}),
    "profile": ("/api/v1/me/", {"monthly_expenses": "1500.00"}, {"hourly_value": "40.00"}),
}


def test_parallel_patches_of_different_fields_keep_every_change(served: App) -> None:
    token = served.users[0]["token"]
    for name, (template, first, second) in PATCHES.items():
        path = template.format(**served.users[0])
        for _trial in range(5):
            answers = at_once(served, "PATCH", path, [first, second], token=token)
            assert statuses(answers) == {200: 2}, (name, answers)
            stored = get(served, path)
            for field, value in {**first, **second}.items():
                assert stored[field] == value, (name, field, stored[field])
            # The next trial changes the values again, so a lost update shows.
            first = {key: _changed(value) for key, value in first.items()}
            second = {key: _changed(value) for key, value in second.items()}


def _changed(value: Any) -> Any:
    if isinstance(value, int):
        return value + 1
    if value.replace(".", "").isdigit():
        return f"{float(value) + 1:.2f}"
    return value + "+"


def test_twenty_parallel_patches_of_twenty_fields_keep_all_twenty(served: App) -> None:
    fields: dict[str, Any] = {
        "name": "Dividends", "notes": "kept", "platform": "Broker", "country": "DE",
        "tax_rate": "0.250000", "invested_capital": "10000.00", "expected_yield": "0.030000",
        "reinvest": True, "purchase_price": "5000.00", "monthly_rent": "100.00",
        "vacancy_rate": "0.050000", "management_fee_rate": "0.010000",
        "monthly_running_costs": "10.00", "price_per_subscriber": "5.00",
        "current_subscribers": 7, "new_subscribers_per_month": 2,
        "expected_monthly_amount": "30.00", "upfront_investment": "200.00",
        "setup_hours": "4.00", "monthly_costs": "3.00",
    }  # fmt: skip
    path = f"/api/v1/sources/{served.users[0]['etf']}/"
    names = list(fields)
    bodies: list[dict[str, Any] | None] = [{name: fields[name]} for name in names]
    answers = at_once(served, "PATCH", path, bodies, token=served.users[0]["token"])
    assert statuses(answers) == {200: len(names)}, answers
    stored = get(served, path)
    assert {name: stored[name] for name in names} == fields


def test_twenty_parallel_sign_ups_with_one_name_and_address_make_one_account(
    served: App,
) -> None:
    body = {"username": "dave", "email": "dave@example.com", "password": "a-long-passphrase-42"}
    answers = at_once(served, "POST", "/api/v1/auth/register/", [body] * 20, token=None)
    no_5xx(answers)
    assert statuses(answers) == {201: 1, 400: 19}, answers
    refused = [json.loads(text) for status, text in answers if status == 400]
    assert all(set(error) == {"username"} for error in refused), refused[:2]
    assert served.shell(USERS_NAMED % "dave", "USERS") == ["dave"]


def test_six_case_variants_of_one_username_at_once_make_one_account(served: App) -> None:
    variants = ["erin", "Erin", "ERIN", "eRin", "erIN", "ErIn"]
    bodies: list[dict[str, Any] | None] = [
        {"username": name, "email": f"erin{n}@example.com", "password": "a-long-passphrase-42"}
        for n, name in enumerate(variants)
    ]
    answers = at_once(served, "POST", "/api/v1/auth/register/", bodies, token=None)
    no_5xx(answers)
    assert statuses(answers) == {201: 1, 400: 5}, answers
    assert len(served.shell(USERS_NAMED % "erin", "USERS")) == 1


def test_parallel_payments_with_one_external_id_make_one_and_refuse_the_rest(
    served: App,
) -> None:
    user = served.users[0]
    body = {"source": user["etf"], "date": "2024-03-01", "gross": "5.00", "external_id": "tx-1"}
    answers = at_once(served, "POST", "/api/v1/payments/", [body] * 20, token=user["token"])
    no_5xx(answers)
    assert statuses(answers) == {201: 1, 400: 19}, answers
    assert all(
        set(json.loads(text)) == {"external_id"} for status, text in answers if status == 400
    ), answers
    listed = get(served, f"/api/v1/payments/?source={user['etf']}&limit=100")
    assert [row["external_id"] for row in listed["results"]].count("tx-1") == 1


def test_parallel_records_of_one_month_make_one_and_refuse_the_rest(served: App) -> None:
    user = served.users[0]
    for path, source, extra in (
        ("/api/v1/effort-logs/", "blog", {"hours": "2.00"}),
        ("/api/v1/subscription-periods/", "course", {"subscribers_start": 4}),
    ):
        body = {"source": user[source], "month": "2024-05-01", **extra}
        answers = at_once(served, "POST", path, [body] * 20, token=user["token"])
        no_5xx(answers)
        assert statuses(answers) == {201: 1, 400: 19}, (path, answers)
        bodies = [text for status, text in answers if status == 400]
        odd = [text for text in bodies if set(json.loads(text)) != {"month"}]
        assert not odd, (path, odd)
        listed = get(served, f"{path}?source={user[source]}&limit=100")
        assert [row["month"] for row in listed["results"]].count("2024-05-01") == 1


def test_twenty_parallel_deletes_of_one_row_answer_one_204(served: App) -> None:
    """The single payment delete keeps its ``Undo-Token``; the others are 404s."""
    user = served.users[0]
    for template in (
        "/api/v1/payments/{payment}/",
        "/api/v1/effort-logs/{effort}/",
        "/api/v1/scenarios/{scenario}/",
        "/api/v1/sources/{blog}/",
    ):
        path = template.format(**user)
        answers = at_once(served, "DELETE", path, [None] * 20, token=user["token"])
        assert statuses(answers) == {204: 1, 404: 19}, (path, answers)
        assert send(f"{served.url}{path}", "GET", user["token"])[0] == 404


def test_parallel_undos_of_one_delete_restore_it_once(served: App) -> None:
    """Of ten undos of one deletion at once one restores; the others get the typed 400
    of a used token, as a second undo does after the first (issue 20)."""
    user = served.users[0]
    body = {"source": user["etf"], "date": "2024-07-01", "gross": "8.00", "external_id": "u-1"}
    status, text = send(f"{served.url}/api/v1/payments/", "POST", user["token"], body)
    assert status == 201, text
    path = f"/api/v1/payments/{json.loads(text)['id']}/"
    for _trial in range(3):
        request = urllib.request.Request(  # noqa: S310 (the test's own server)
            f"{served.url}{path}",
            method="DELETE",
            headers={"Authorization": f"Token {user['token']}"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            token = response.headers["Undo-Token"]
        answers = at_once(
            served, "POST", "/api/v1/payments/undo/", [{"token": token}] * 10, token=user["token"]
        )
        no_5xx(answers)
        assert statuses(answers) == {200: 1, 400: 9}, answers
        refused = {text for status, text in answers if status == 400}
        assert refused == {'{"token":["These payments were already restored."]}'}, refused
        listed = get(served, f"/api/v1/payments/?source={user['etf']}&limit=100")
        assert [row["external_id"] for row in listed["results"]].count("u-1") == 1
