"""``/api/v1/household/``: a household for an app, as its pages have it (issue 24).

alice owns the household, bob is her member, carol is in another household (or none):
what alice shares bob sees and, with "can edit", changes; carol sees none of it, and a
"view" share takes no writes (404, as a row that is not shared).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from finance.schedule import add_months, month_start
from households.models import Household, Invitation, Membership, ShareRole
from households.selectors import household_of
from income.models import IncomeSource, Payment
from income.reporting import overview
from scenarios.models import Scenario
from tests.conftest import token_client
from tests.factories import PaymentFactory, ScenarioFactory, SourceFactory, UserFactory
from tests.households.members import (
    household_with,
    invitation_token,
    shared_scenario,
    shared_source,
)

HOUSEHOLD = "/api/v1/household/"


@pytest.fixture
def carol(db: None) -> User:
    return UserFactory.create(username="carol", email="carol@example.com")


@pytest.fixture
def home(alice: User, bob: User) -> Household:
    return household_with(alice, bob, name="Home")


def _months_ago(n: int) -> date:
    return add_months(month_start(timezone.localdate()), -n).replace(day=15)


# ----------------------------------------------------------------------------- the household


def test_a_caller_in_no_household_gets_404(alice_api: APIClient) -> None:
    assert alice_api.get(HOUSEHOLD).status_code == 404
    for path in ("shares/", "sources/", "scenarios/", "dashboard/", "invitations/"):
        assert alice_api.get(HOUSEHOLD + path).status_code == 404, path
    assert alice_api.post(HOUSEHOLD + "leave/").status_code == 404
    assert alice_api.patch(HOUSEHOLD, {"name": "X"}, format="json").status_code == 404


def test_it_makes_a_household_with_the_caller_as_owner(alice: User, alice_api: APIClient) -> None:
    response = alice_api.post(HOUSEHOLD, {"name": " Home "}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Home"
    assert body["role"] == "owner"
    assert body["joint_assessment"] is False
    assert [(m["id"], m["username"], m["role"]) for m in body["members"]] == [
        (alice.pk, "alice", "owner")
    ]
    assert alice_api.get(HOUSEHOLD).json() == body


def test_a_second_household_is_refused(alice_api: APIClient, home: Household) -> None:
    response = alice_api.post(HOUSEHOLD, {"name": "Another"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"household"}
    assert Household.objects.count() == 1


@pytest.mark.parametrize("name", ["", "x" * 101, 7])
def test_a_bad_name_is_a_400(alice_api: APIClient, name: Any) -> None:
    response = alice_api.post(HOUSEHOLD, {"name": name}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name"}
    assert not Household.objects.exists()


def test_a_member_sees_the_household_with_their_role(bob_api: APIClient, home: Household) -> None:
    body = bob_api.get(HOUSEHOLD).json()
    assert body["id"] == home.pk
    assert body["role"] == "member"
    assert [m["username"] for m in body["members"]] == ["alice", "bob"]


def test_the_owner_renames_and_marks_a_couple_jointly_assessed(
    alice_api: APIClient, home: Household
) -> None:
    response = alice_api.patch(HOUSEHOLD, {"name": "Us", "joint_assessment": True}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["joint_assessment"]) == ("Us", True)
    home.refresh_from_db()
    assert (home.name, home.joint_assessment) == ("Us", True)


def test_a_member_cannot_change_the_household(bob_api: APIClient, home: Household) -> None:
    response = bob_api.patch(HOUSEHOLD, {"name": "Mine"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"household"}
    home.refresh_from_db()
    assert home.name == "Home"


def test_joint_assessment_is_for_two(alice: User, alice_api: APIClient) -> None:
    household_with(alice)
    response = alice_api.patch(HOUSEHOLD, {"joint_assessment": True}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"joint_assessment"}


# ----------------------------------------------------------------------------- invitations


def test_an_invitation_is_mailed_and_its_token_never_answered(
    alice_api: APIClient, home: Household, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_api.post(
            HOUSEHOLD + "invitations/", {"email": "dora@example.com"}, format="json"
        )
    assert response.status_code == 201, response.content
    (sent,) = mail.outbox
    assert sent.to == ["dora@example.com"]
    link = re.search(r"https?://\S+/household/join/(\S+?)/", str(sent.body))
    assert link is not None, sent.body
    token = link.group(1)
    assert token not in response.content.decode()
    listed = alice_api.get(HOUSEHOLD + "invitations/").json()
    assert [row["email"] for row in listed["results"]] == ["dora@example.com"]
    assert token not in str(listed)
    assert set(listed["results"][0]) == {"id", "email", "invited_by", "created_at", "expires_at"}


def test_only_the_owner_invites_and_withdraws(
    alice_api: APIClient, bob_api: APIClient, home: Household, alice: User
) -> None:
    refused = bob_api.post(HOUSEHOLD + "invitations/", {"email": "x@example.com"}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"household"}
    invitation_token(household=home, by=alice, email="dora@example.com")
    invitation = Invitation.objects.get(email="dora@example.com")
    url = f"{HOUSEHOLD}invitations/{invitation.pk}/"
    assert bob_api.get(url).status_code == 200  # members see who is invited
    assert bob_api.delete(url).status_code == 400
    assert alice_api.delete(url).status_code == 204
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_another_households_invitation_is_404(alice: User, home: Household, carol: User) -> None:
    invitation_token(household=home, by=alice, email="dora@example.com")
    invitation = Invitation.objects.get(email="dora@example.com")
    household_with(carol, name="Elsewhere")
    carol_api = token_client(carol)
    assert carol_api.get(f"{HOUSEHOLD}invitations/{invitation.pk}/").status_code == 404
    assert carol_api.delete(f"{HOUSEHOLD}invitations/{invitation.pk}/").status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


@pytest.mark.parametrize("email", ["not an address", "", "a" * 250 + "@example.com"])
def test_a_bad_address_is_a_400(alice_api: APIClient, home: Household, email: str) -> None:
    response = alice_api.post(HOUSEHOLD + "invitations/", {"email": email}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email"}
    assert not Invitation.objects.filter(accepted_at__isnull=True).exists()


def test_the_invited_person_joins_with_the_token(alice: User, carol: User, home: Household) -> None:
    token = invitation_token(household=home, by=alice, email="carol@example.com")
    carol_api = token_client(carol)
    response = carol_api.post(HOUSEHOLD + "join/", {"token": token}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "member"
    assert [m["username"] for m in response.json()["members"]] == ["alice", "bob", "carol"]
    again = carol_api.post(HOUSEHOLD + "join/", {"token": token}, format="json")
    assert again.status_code == 404  # used: found no more, as the invitation's page


def test_an_unknown_token_finds_nothing(alice: User, carol: User, home: Household) -> None:
    token = invitation_token(household=home, by=alice, email="carol@example.com")
    Invitation.objects.filter(email="carol@example.com").delete()
    carol_api = token_client(carol)
    for sent in (token, "x" * 43, "nope"):
        response = carol_api.post(HOUSEHOLD + "join/", {"token": sent}, format="json")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert not Membership.objects.filter(user=carol).exists()


def test_another_address_is_a_400_under_token(alice: User, carol: User, home: Household) -> None:
    token = invitation_token(household=home, by=alice, email="dora@example.com")
    response = token_client(carol).post(HOUSEHOLD + "join/", {"token": token}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"token"}
    assert not Membership.objects.filter(user=carol).exists()


def test_a_member_of_a_household_must_leave_it_to_join_another(
    alice: User, carol: User, home: Household
) -> None:
    household_with(carol, name="Elsewhere")
    token = invitation_token(household=home, by=alice, email="carol@example.com")
    response = token_client(carol).post(HOUSEHOLD + "join/", {"token": token}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"token"}
    assert household_of(user=carol).name == "Elsewhere"  # type: ignore[union-attr]


# ----------------------------------------------------------------------------- leaving


def test_a_member_leaves_and_their_shares_leave_with_them(
    bob: User, bob_api: APIClient, home: Household
) -> None:
    shared_source(SourceFactory.create(owner=bob))
    assert bob_api.post(HOUSEHOLD + "leave/").status_code == 204
    assert bob_api.get(HOUSEHOLD).status_code == 404
    assert not home.sources.exists()


def test_an_owner_who_leaves_hands_the_household_on(
    alice_api: APIClient, bob_api: APIClient, home: Household
) -> None:
    assert alice_api.post(HOUSEHOLD + "leave/").status_code == 204
    body = bob_api.get(HOUSEHOLD).json()
    assert body["role"] == "owner"
    assert [m["username"] for m in body["members"]] == ["bob"]


def test_the_owner_removes_a_member(
    alice_api: APIClient, bob: User, bob_api: APIClient, home: Household
) -> None:
    response = alice_api.post(f"{HOUSEHOLD}members/{bob.pk}/remove/")
    assert response.status_code == 200
    assert [m["username"] for m in response.json()["members"]] == ["alice"]
    assert bob_api.get(HOUSEHOLD).status_code == 404


def test_a_member_cannot_remove_and_a_stranger_is_not_found(
    alice: User, bob_api: APIClient, alice_api: APIClient, carol: User, home: Household
) -> None:
    refused = bob_api.post(f"{HOUSEHOLD}members/{alice.pk}/remove/")
    assert refused.status_code == 400
    assert set(refused.json()) == {"household"}
    assert alice_api.post(f"{HOUSEHOLD}members/{carol.pk}/remove/").status_code == 404
    assert home.members.count() == 2


def test_removing_oneself_is_leaving(alice: User, alice_api: APIClient, home: Household) -> None:
    assert alice_api.post(f"{HOUSEHOLD}members/{alice.pk}/remove/").status_code == 204
    assert alice_api.get(HOUSEHOLD).status_code == 404


# ----------------------------------------------------------------------------- sharing


def test_shares_are_set_in_one_call_and_read_back(
    alice: User, alice_api: APIClient, home: Household
) -> None:
    depot, flat, old = (SourceFactory.create(owner=alice, name=n) for n in ("Depot", "Flat", "Old"))
    plan = ScenarioFactory.create(owner=alice, name="Plan")
    shared_source(old)
    body = {
        "sources": [{"id": depot.pk, "role": "view"}, {"id": flat.pk, "role": "edit"}],
        "scenarios": [{"id": plan.pk, "role": "edit"}],
    }
    response = alice_api.put(HOUSEHOLD + "shares/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == body  # by name; "Old" left out: no longer shared
    assert alice_api.get(HOUSEHOLD + "shares/").json() == body
    assert set(home.sources.values_list("source__name", "role")) == {
        ("Depot", "view"),
        ("Flat", "edit"),
    }
    cleared = alice_api.put(HOUSEHOLD + "shares/", {"sources": [], "scenarios": []}, format="json")
    assert cleared.json() == {"sources": [], "scenarios": []}
    assert not home.sources.exists()
    assert not home.scenarios.exists()


def test_shares_are_the_callers_own(
    alice: User, bob: User, bob_api: APIClient, home: Household
) -> None:
    """Each member sets their own: bob's shares are his, and alice's stay hers."""
    shared_source(SourceFactory.create(owner=alice, name="Depot"))
    assert bob_api.get(HOUSEHOLD + "shares/").json() == {"sources": [], "scenarios": []}
    bobs = SourceFactory.create(owner=bob, name="Bike")
    response = bob_api.put(
        HOUSEHOLD + "shares/",
        {"sources": [{"id": bobs.pk, "role": "view"}], "scenarios": []},
        format="json",
    )
    assert response.status_code == 200
    assert set(home.sources.values_list("source__name", flat=True)) == {"Depot", "Bike"}


@pytest.mark.parametrize("field", ["sources", "scenarios"])
def test_another_persons_id_is_unknown_and_nothing_changes(
    alice: User, alice_api: APIClient, carol: User, home: Household, field: str
) -> None:
    mine = SourceFactory.create(owner=alice)
    shared_source(mine)
    theirs: IncomeSource | Scenario = (
        SourceFactory.create(owner=carol)
        if field == "sources"
        else ScenarioFactory.create(owner=carol)
    )
    body: dict[str, Any] = {"sources": [], "scenarios": []}
    body[field] = [{"id": theirs.pk, "role": "view"}]
    response = alice_api.put(HOUSEHOLD + "shares/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert "does not exist" in str(response.json()[field])
    assert list(home.sources.values_list("source", flat=True)) == [mine.pk]


DEPOT = "<depot>"


@pytest.mark.parametrize(
    "sources",
    [
        [{"id": DEPOT, "role": "view"}, {"id": DEPOT, "role": "edit"}],
        [{"id": DEPOT, "role": "own"}],
        [{"id": DEPOT}],
        {"id": DEPOT, "role": "view"},
        [{"id": "1", "role": "view"}],
        [{"id": DEPOT, "role": "view"}] * 1001,
    ],
    ids=["twice", "unknown role", "no role", "not a list", "id as text", "too many"],
)
def test_a_malformed_sharing_is_a_400_naming_sources(
    alice: User, alice_api: APIClient, home: Household, sources: Any
) -> None:
    depot = SourceFactory.create(owner=alice)

    def resolved(value: Any) -> Any:
        if isinstance(value, list):
            return [resolved(item) for item in value]
        if isinstance(value, dict):
            return {key: resolved(item) for key, item in value.items()}
        return depot.pk if value == DEPOT else value

    body = {"sources": resolved(sources), "scenarios": []}
    response = alice_api.put(HOUSEHOLD + "shares/", body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"sources"}
    assert not home.sources.exists()


def test_both_lists_are_required(alice_api: APIClient, home: Household) -> None:
    response = alice_api.put(HOUSEHOLD + "shares/", {"sources": []}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"scenarios"}


# ----------------------------------------------------------------------------- shared sources


def _depot_with_payments(alice: User) -> IncomeSource:
    depot = SourceFactory.create(owner=alice, name="Depot")
    for months, gross in ((1, "100.00"), (2, "50.00"), (13, "999.00")):
        PaymentFactory.create(source=depot, date=_months_ago(months), gross=Decimal(gross))
    return depot


def test_a_member_sees_the_shared_sources_with_the_owners_figures(
    alice: User, bob_api: APIClient, home: Household
) -> None:
    depot = _depot_with_payments(alice)
    SourceFactory.create(owner=alice, name="Private")
    shared_source(depot)
    rows = bob_api.get(HOUSEHOLD + "sources/").json()
    (figures,) = [
        item
        for item in overview(owner=alice, as_of=timezone.localdate()).sources
        if item.source == depot
    ]
    assert rows == [
        {
            "id": depot.pk,
            "name": "Depot",
            "category": "etf-dividends",
            "owner": "alice",
            "role": "view",
            "currency": "EUR",
            "net_ttm": str(figures.net_ttm),
            "average_month": "12.50",
            "last_month": "100.00",
        }
    ]
    assert figures.net_ttm == Decimal("150.00")
    assert bob_api.get(f"{HOUSEHOLD}sources/{depot.pk}/").json() == rows[0]


def test_an_unshared_or_foreign_source_is_404(
    alice: User, bob_api: APIClient, carol: User, home: Household
) -> None:
    private = SourceFactory.create(owner=alice)
    household_with(carol, name="Elsewhere")
    elsewhere = SourceFactory.create(owner=carol)
    shared_source(elsewhere, ShareRole.EDIT)
    for source in (private, elsewhere):
        assert bob_api.get(f"{HOUSEHOLD}sources/{source.pk}/").status_code == 404
        assert bob_api.get(f"{HOUSEHOLD}sources/{source.pk}/payments/").status_code == 404


def test_a_view_share_lists_payments_and_takes_none(
    alice: User, bob_api: APIClient, home: Household
) -> None:
    depot = _depot_with_payments(alice)
    shared_source(depot, ShareRole.VIEW)
    listed = bob_api.get(f"{HOUSEHOLD}sources/{depot.pk}/payments/").json()
    assert [row["gross"] for row in listed["results"]] == ["100.00", "50.00", "999.00"]
    payment = Payment.objects.filter(source=depot).first()
    assert payment is not None
    assert bob_api.get(f"{HOUSEHOLD}payments/{payment.pk}/").status_code == 200
    body = {"date": "2026-01-05", "gross": "10.00"}
    assert bob_api.post(f"{HOUSEHOLD}sources/{depot.pk}/payments/", body).status_code == 404
    assert bob_api.delete(f"{HOUSEHOLD}payments/{payment.pk}/").status_code == 404
    assert depot.payments.count() == 3


def test_an_edit_share_takes_payments_as_the_owners(
    alice: User, bob_api: APIClient, home: Household
) -> None:
    depot = SourceFactory.create(owner=alice, currency="EUR")
    shared_source(depot, ShareRole.EDIT)
    response = bob_api.post(
        f"{HOUSEHOLD}sources/{depot.pk}/payments/",
        {"date": "2026-01-05", "gross": "10.00", "note": "by bob"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["source"] == depot.pk
    assert response.json()["currency"] == "EUR"
    assert "confirm_duplicate" not in response.json()
    payment = Payment.objects.get(pk=response.json()["id"])
    assert (payment.source.owner, payment.note) == (alice, "by bob")
    twin = bob_api.post(
        f"{HOUSEHOLD}sources/{depot.pk}/payments/",
        {"date": "2026-01-05", "gross": "10.00"},
        format="json",
    )
    assert twin.status_code == 400
    assert set(twin.json()) == {"confirm_duplicate"}
    assert bob_api.delete(f"{HOUSEHOLD}payments/{payment.pk}/").status_code == 204
    assert not depot.payments.exists()


def test_a_bad_payment_is_a_400_and_saves_nothing(
    alice: User, bob_api: APIClient, home: Household
) -> None:
    depot = SourceFactory.create(owner=alice)
    shared_source(depot, ShareRole.EDIT)
    for body, field in (
        ({"date": "2026-02-30", "gross": "1.00"}, "date"),
        ({"date": "2026-01-05", "gross": "NaN"}, "gross"),
        ({"date": "2026-01-05", "gross": "1.00", "tax_withheld": "5.00"}, "tax_withheld"),
    ):
        response = bob_api.post(f"{HOUSEHOLD}sources/{depot.pk}/payments/", body, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
    assert not depot.payments.exists()


def test_a_payment_of_an_unshared_source_is_404(
    alice: User, bob_api: APIClient, home: Household
) -> None:
    payment = PaymentFactory.create(source=SourceFactory.create(owner=alice))
    assert bob_api.get(f"{HOUSEHOLD}payments/{payment.pk}/").status_code == 404
    assert bob_api.delete(f"{HOUSEHOLD}payments/{payment.pk}/").status_code == 404
    assert Payment.objects.filter(pk=payment.pk).exists()


# ----------------------------------------------------------------------------- scenarios


def test_a_member_reads_a_shared_scenario_and_changes_it_with_edit(
    alice: User, bob_api: APIClient, home: Household
) -> None:
    depot = SourceFactory.create(owner=alice)
    plan = ScenarioFactory.create(owner=alice, name="Plan", sources=[depot])
    shared_scenario(plan, ShareRole.EDIT)
    ScenarioFactory.create(owner=alice, name="Private")
    listed = bob_api.get(HOUSEHOLD + "scenarios/").json()
    assert [(row["name"], row["owner"], row["role"]) for row in listed] == [
        ("Plan", "alice", "edit")
    ]
    assert "sources" not in listed[0]
    url = f"{HOUSEHOLD}scenarios/{plan.pk}/"
    response = bob_api.patch(url, {"monthly_contribution": "400.00", "sources": []}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["monthly_contribution"] == "400.00"
    plan.refresh_from_db()
    assert plan.monthly_contribution == Decimal("400.00")
    assert list(plan.sources.all()) == [depot]  # its owner's to choose


def test_a_view_scenario_takes_no_change(alice: User, bob_api: APIClient, home: Household) -> None:
    plan = ScenarioFactory.create(owner=alice, name="Plan")
    shared_scenario(plan, ShareRole.VIEW)
    url = f"{HOUSEHOLD}scenarios/{plan.pk}/"
    assert bob_api.get(url).status_code == 200
    assert bob_api.patch(url, {"name": "Mine"}, format="json").status_code == 404
    assert bob_api.put(url, {"name": "Mine"}, format="json").status_code == 405
    assert Scenario.objects.get(pk=plan.pk).name == "Plan"


def test_a_bad_scenario_change_is_a_400(alice: User, bob_api: APIClient, home: Household) -> None:
    plan = ScenarioFactory.create(owner=alice, name="Plan")
    shared_scenario(plan, ShareRole.EDIT)
    response = bob_api.patch(
        f"{HOUSEHOLD}scenarios/{plan.pk}/", {"horizon_years": 0}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"horizon_years"}
    assert Scenario.objects.get(pk=plan.pk).horizon_years == 20


# ----------------------------------------------------------------------------- dashboard


def test_the_dashboard_adds_up_the_shared_sources_per_currency(
    alice: User, bob: User, bob_api: APIClient, home: Household
) -> None:
    shared_source(_depot_with_payments(alice))
    bike = SourceFactory.create(owner=bob, name="Bike")
    PaymentFactory.create(source=bike, date=_months_ago(1), gross=Decimal("20.00"))
    shared_source(bike)
    body = bob_api.get(HOUSEHOLD + "dashboard/").json()
    assert body["name"] == "Home"
    assert body["last_month"] == add_months(month_start(timezone.localdate()), -1).isoformat()
    assert [(line["name"], line["owner"]) for line in body["lines"]] == [
        ("Bike", "bob"),
        ("Depot", "alice"),
    ]
    assert body["totals"] == [
        {
            "currency": "EUR",
            "net_ttm": "170.00",
            "average_month": "14.17",
            "last_month": "120.00",
        }
    ]


def test_carol_of_another_household_sees_nothing_of_alices(
    alice: User, carol: User, home: Household
) -> None:
    shared_source(_depot_with_payments(alice))
    household_with(carol, name="Elsewhere")
    carol_api = token_client(carol)
    assert carol_api.get(HOUSEHOLD + "sources/").json() == []
    assert carol_api.get(HOUSEHOLD + "dashboard/").json()["totals"] == []
    assert household_of(user=carol) != home


# ----------------------------------------------------------------------------- queries


@pytest.mark.parametrize("path", ["sources/", "scenarios/", "dashboard/", "payments"])
def test_a_list_costs_the_same_queries_for_more_rows(
    alice: User, bob_api: APIClient, home: Household, path: str
) -> None:
    depot = SourceFactory.create(owner=alice, name="Depot")
    shared_source(depot)
    url = f"{HOUSEHOLD}sources/{depot.pk}/payments/" if path == "payments" else HOUSEHOLD + path

    def more(n: int) -> int:
        for i in range(n):
            source = SourceFactory.create(owner=alice)
            PaymentFactory.create(source=source, date=_months_ago(1 + i % 3))
            PaymentFactory.create(source=depot, date=_months_ago(1 + i % 3), gross=Decimal(i + 1))
            shared_source(source)
            shared_scenario(ScenarioFactory.create(owner=alice))
        with CaptureQueriesContext(connection) as captured:
            assert bob_api.get(url).status_code == 200
        return len(captured)

    assert more(2) == more(6)
