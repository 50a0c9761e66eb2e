"""The ownership harness's household axis (issue 24): a member sees shared rows, a
non-member sees 404 for all of them, and sharing never opens the owner's own routes.

alice shares a source and a scenario into her household; bob is her member; carol is in
no household, or in another one. Every household route is in one of the tables below:
``SHARED_ROWS`` (a route with an id that shows one shared row), ``SHARED_LISTS`` (a route
that lists shared rows) or ``NOT_SHARED_ROWS`` with the reason; a household route that is
in none fails ``test_every_household_route_is_in_the_tables`` by name, as the main
harness (``tests/test_ownership.py``) fails a route with an id it does not know.

Then every owner-only route of the main harness, with its own builder of alice's object:
bob, her household member, gets the same 404 as any stranger, while alice shares every
source and scenario she has with the household to edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import get_resolver, reverse

from households.models import ShareRole
from households.selectors import membership_of
from households.services import scenario_share, source_share
from income.models import IncomeSource
from scenarios.models import Scenario
from tests.conftest import token_client
from tests.factories import PaymentFactory, ScenarioFactory, SourceFactory, UserFactory
from tests.households.members import household_with, shared_scenario, shared_source
from tests.test_ownership import OWNED_ROUTES, POST_ACTIONS, WRITE_METHODS

#: How a household route's name starts (the pages' and the API's).
HOUSEHOLD_PREFIXES = ("household", "api-household")
SOURCE_NAME = "AlicesSharedDepot"
SCENARIO_NAME = "AlicesSharedPlan"


def _source(alice: User, role: str) -> IncomeSource:
    source = SourceFactory.create(owner=alice, name=SOURCE_NAME)
    shared_source(source, role)
    return source


def _scenario(alice: User, role: str) -> Scenario:
    scenario = ScenarioFactory.create(owner=alice, name=SCENARIO_NAME)
    shared_scenario(scenario, role)
    return scenario


def _payment(alice: User, role: str) -> dict[str, Any]:
    return {"pk": PaymentFactory.create(source=_source(alice, role)).pk}


@dataclass(frozen=True)
class SharedRow:
    """A route with an id that shows one row alice shared: ``build(alice, role)`` shares
    it and returns the kwargs for ``reverse()``; ``writes`` are the methods an "edit"
    share takes (a "view" share answers them 404, as a row that is not shared)."""

    build: Callable[[User, str], dict[str, Any]]
    writes: tuple[str, ...] = ()


SHARED_ROWS: dict[str, SharedRow] = {
    "api-household-source": SharedRow(lambda alice, role: {"pk": _source(alice, role).pk}),
    "api-household-source-payments": SharedRow(
        lambda alice, role: {"pk": _source(alice, role).pk}, writes=("post",)
    ),
    "api-household-payment": SharedRow(_payment, writes=("delete",)),
    "api-household-scenario": SharedRow(
        lambda alice, role: {"pk": _scenario(alice, role).pk}, writes=("patch",)
    ),
    "household_source": SharedRow(
        lambda alice, role: {"pk": _source(alice, role).pk}, writes=("post",)
    ),
    "household_scenario": SharedRow(
        lambda alice, role: {"pk": _scenario(alice, role).pk}, writes=("post",)
    ),
}

#: Routes that list what is shared with the caller's household: the name of alice's
#: shared source (or scenario) shows for bob, never for carol.
SHARED_LISTS: dict[str, str] = {
    "api-household-sources": SOURCE_NAME,
    "api-household-scenarios": SCENARIO_NAME,
    "api-household-dashboard": SOURCE_NAME,
    "household_dashboard": SOURCE_NAME,
    "household": SOURCE_NAME,
}

OWN_HOUSEHOLD = (
    "the caller's own household, or an action on it with the ids in the body, checked "
    "against it (tests/api/test_household_api.py, tests/web/)"
)
NOT_SHARED_ROWS: dict[str, str] = {
    "household_join": "an invitation's token, not a shared row: tests/test_ownership.py",
    "api-household-invitation": "an invitation of the caller's household, not a shared "
    "row: tests/test_ownership.py (a stranger's 404)",
    "api-household-member-remove": "a member of the caller's household, not a shared row: "
    "tests/test_ownership.py (a stranger's 404)",
    "api-household-shares": "the caller's own sharing: ids that are not theirs are unknown "
    "(tests/api/test_household_api.py)",
    **dict.fromkeys(
        (
            "api-household",
            "api-household-leave",
            "api-household-invitations",
            "api-household-join",
            "household_create",
            "household_invite",
            "household_invitation_revoke",
            "household_member_remove",
            "household_leave",
            "household_joint",
            "household_shares",
        ),
        OWN_HOUSEHOLD,
    ),
}


def household_route_names() -> set[str]:
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    return {name for name in names if name.startswith(HOUSEHOLD_PREFIXES)}


def test_every_household_route_is_in_the_tables() -> None:
    known = set(SHARED_ROWS) | set(SHARED_LISTS) | set(NOT_SHARED_ROWS)
    missing = sorted(household_route_names() - known)
    assert not missing, (
        "Household routes the household axis does not exercise; add each to SHARED_ROWS, "
        f"SHARED_LISTS (or NOT_SHARED_ROWS with a reason): {missing}"
    )


def test_the_tables_name_only_routes_that_exist() -> None:
    tables = set(SHARED_ROWS) | set(SHARED_LISTS) | set(NOT_SHARED_ROWS)
    assert not tables - household_route_names()


# ----------------------------------------------------------------------------- the clients


def _browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(user: User, url: str) -> Any:
    return token_client(user).get(url) if url.startswith("/api/") else _browser(user).get(url)


def _write(user: User, url: str, method: str) -> int:
    if url.startswith("/api/"):
        client: Any = token_client(user)
        return int(getattr(client, method)(url, {}, format="json").status_code)
    return int(getattr(_browser(user), method)(url, {}).status_code)


@pytest.fixture
def carol_kinds(db: None) -> dict[str, User]:
    """carol in no household, and carol in another household that shares its own."""
    alone = UserFactory.create(username="carol", email="carol@example.com")
    elsewhere = UserFactory.create(username="carola", email="carola@example.com")
    household_with(elsewhere, name="Elsewhere")
    shared_source(SourceFactory.create(owner=elsewhere), ShareRole.EDIT)
    return {"in no household": alone, "in another household": elsewhere}


@pytest.fixture
def home(alice: User, bob: User) -> None:
    household_with(alice, bob, name="Home")


# ----------------------------------------------------------------------------- shared rows


@pytest.mark.parametrize("role", [ShareRole.VIEW, ShareRole.EDIT])
@pytest.mark.parametrize("route_name", sorted(SHARED_ROWS))
def test_a_member_sees_a_shared_row(
    route_name: str, role: str, alice: User, bob: User, home: None
) -> None:
    url = reverse(route_name, kwargs=SHARED_ROWS[route_name].build(alice, role))
    assert _get(bob, url).status_code == 200, url
    assert _get(alice, url).status_code == 200, url


@pytest.mark.parametrize("route_name", sorted(SHARED_ROWS))
def test_a_view_share_takes_no_writes(route_name: str, alice: User, bob: User, home: None) -> None:
    url = reverse(route_name, kwargs=SHARED_ROWS[route_name].build(alice, ShareRole.VIEW))
    for method in SHARED_ROWS[route_name].writes:
        assert _write(bob, url, method) == 404, (method, url)
    assert _get(bob, url).status_code == 200, url  # still there, unchanged


@pytest.mark.parametrize("carol_kind", ["in no household", "in another household"])
@pytest.mark.parametrize("route_name", sorted(SHARED_ROWS))
def test_a_non_member_gets_404_for_a_shared_row(
    route_name: str, carol_kind: str, alice: User, home: None, carol_kinds: dict[str, User]
) -> None:
    carol = carol_kinds[carol_kind]
    url = reverse(route_name, kwargs=SHARED_ROWS[route_name].build(alice, ShareRole.EDIT))
    assert _get(carol, url).status_code == 404, url
    methods = WRITE_METHODS if url.startswith("/api/") else ("post",)
    for method in methods:
        assert _write(carol, url, method) in (404, 405), (method, url)
    assert _get(alice, url).status_code == 200, url  # nothing carol sent changed it


# ----------------------------------------------------------------------------- shared lists


def _share_both(alice: User) -> None:
    _source(alice, ShareRole.VIEW)
    _scenario(alice, ShareRole.VIEW)


@pytest.mark.parametrize("route_name", sorted(SHARED_LISTS))
def test_a_member_finds_the_shared_rows_listed(
    route_name: str, alice: User, bob: User, home: None
) -> None:
    _share_both(alice)
    response = _get(bob, reverse(route_name))
    assert response.status_code == 200
    assert SHARED_LISTS[route_name] in response.content.decode()


@pytest.mark.parametrize("carol_kind", ["in no household", "in another household"])
@pytest.mark.parametrize("route_name", sorted(SHARED_LISTS))
def test_a_non_member_finds_none_of_them(
    route_name: str, carol_kind: str, alice: User, home: None, carol_kinds: dict[str, User]
) -> None:
    _share_both(alice)
    carol = carol_kinds[carol_kind]
    response = _get(carol, reverse(route_name))
    if membership_of(user=carol) is None and route_name.startswith("api-"):
        assert response.status_code == 404
    assert response.status_code in (200, 302, 404)
    assert SHARED_LISTS[route_name] not in response.content.decode()


# ----------------------------------------------------------------------------- the owner's own


OWNER_ONLY_ROUTES = sorted(set(OWNED_ROUTES) - household_route_names())


def _share_everything(alice: User) -> None:
    """Every source and scenario alice has, shared with her household to edit."""
    for source in IncomeSource.objects.filter(owner=alice):
        source_share(source=source, by=alice, role=ShareRole.EDIT)
    for scenario in Scenario.objects.filter(owner=alice):
        scenario_share(scenario=scenario, by=alice, role=ShareRole.EDIT)


def test_the_owner_only_routes_are_the_main_harness_without_the_households() -> None:
    assert len(OWNER_ONLY_ROUTES) > 40
    assert not set(OWNER_ONLY_ROUTES) & (set(SHARED_ROWS) | set(NOT_SHARED_ROWS))


@pytest.mark.parametrize("route_name", OWNER_ONLY_ROUTES)
def test_sharing_never_opens_the_owners_own_routes(
    route_name: str, alice: User, bob: User, home: None
) -> None:
    url = reverse(route_name, kwargs=OWNED_ROUTES[route_name](alice))
    _share_everything(alice)
    if route_name in POST_ACTIONS:
        assert _write(bob, url, "post") == 404, url
        return
    assert _get(bob, url).status_code == 404, url
    methods = WRITE_METHODS if url.startswith("/api/") else ("post",)
    for method in methods:
        assert _write(bob, url, method) in (404, 405), (method, url)
    assert _get(alice, url).status_code == 200, url
