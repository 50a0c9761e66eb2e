"""A URL that answers htmx with a partial and a browser with a page says ``Vary: HX-Request``.

Without it a cache keyed on the URL alone, the browser's own included, may hand the
partial to a full page load (the back button shows a bare fragment) or the page to an
htmx swap. The views that branch on the header carry ``vary_on_headers("HX-Request")``;
this module finds them by behaviour, not by reading their code: every page the
every-page sweep opens (``tests/e2e/test_every_page.py``'s ``PAGES``, built from the demo
account) and every fragment htmx loads is asked twice, once as htmx, and wherever the two
answers differ both must name the header in ``Vary``. The URLs htmx posts to are checked
one by one, since a POST changes what a second request would see.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponse, HttpResponseBase
from django.test import Client
from django.utils.cache import has_vary_header

from income.models import AssetValue, Cost, FundYear, IncomeSource, Payment
from tests.e2e.test_every_page import (  # noqa: F401 (demo: a fixture)
    ADMIN_PAGES,
    PAGES,
    STAFF,
    USER,
    VISITOR,
    Demo,
    Visit,
    demo,
)
from tests.factories import SourceFactory, category

HTMX = {"HX-Request": "true"}
# The fragments htmx loads into a page (the sweep skips them): route -> URL.
FRAGMENTS = {
    "import_status": lambda d: f"/imports/{d.upload}/status/",
    "scenario_behind_plan": lambda d: "/scenarios/behind-plan/",
    "report_received": lambda d: "/reports/received/",
}
# The URLs htmx posts to, each checked by a test below.
POSTED = {
    "report_recompute", "payment_create", "asset_value_create", "cost_create",
    "fund_year_create", "scenario_preview",
}  # fmt: skip
# What differs between two renderings of the same page: per-request tokens, and the
# time since a moment ("Figures computed 11 seconds ago", Django's naturaltime).
TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|nonce="|"X-CSRFToken": ")[^"]*')
#: Every form ``naturaltime`` gives for a recent moment: "now", "a second ago",
#: "3 seconds ago", "a minute ago", "5 minutes ago" (a figure computed while the test
#: runs reads "now" on one request and "a second ago" on the next).
AGO = re.compile(r"\b(now|(an?|\d+)\s(second|minute|hour)s? ago)\b")
HX_TARGET = re.compile(r"""hx-(?:get|post)="\{% url '([\w:-]+)'""")


def normalised(response: HttpResponseBase) -> tuple[int, str]:
    if response.streaming:
        return response.status_code, "streamed"
    assert isinstance(response, HttpResponse)
    return response.status_code, AGO.sub("… ago", TOKENS.sub(r"\1…", response.content.decode()))


def varies_on_htmx(response: HttpResponseBase) -> bool:
    return has_vary_header(response, "HX-Request")


@pytest.fixture
def clients(demo: Demo) -> dict[str, Client]:  # noqa: F811
    user, staff = Client(), Client()
    user.force_login(demo.user)
    staff.force_login(User.objects.get(username="chefin"))
    return {VISITOR: Client(), USER: user, STAFF: staff}


def visits(d: Demo) -> list[tuple[str, Visit]]:
    pages = [(route, visit) for route, build in PAGES.items() for visit in build(d)]
    pages += [("admin", visit) for visit in ADMIN_PAGES]
    pages += [(route, Visit(route, url(d), USER)) for route, url in FRAGMENTS.items()]
    return pages


def test_every_page_that_answers_htmx_differently_varies_on_the_header(
    demo: Demo,  # noqa: F811
    clients: dict[str, Client],
) -> None:
    differing: set[str] = set()
    unsteady: list[str] = []
    missing: list[str] = []
    for route, visit in visits(demo):
        client = clients[visit.who]
        client.get(visit.url)  # shows the messages an earlier visit left
        plain = client.get(visit.url)
        htmx = client.get(visit.url, headers=HTMX)
        if normalised(plain) == normalised(htmx):
            continue
        if normalised(client.get(visit.url)) != normalised(plain):
            unsteady.append(f"{visit.name} ({visit.url})")
            continue
        differing.add(route)
        if not (varies_on_htmx(plain) and varies_on_htmx(htmx)):
            missing.append(f"{visit.name} ({visit.url})")
    assert not missing, f"a partial for htmx, a page otherwise, and no Vary: {missing}"
    assert not unsteady, f"differs between two plain requests; normalise what changes: {unsteady}"
    # The walk sees the page/partial pairs there are: it is not blind.
    assert {"report_job", "data_import_job"} <= differing


def test_every_url_htmx_requests_in_a_template_is_checked_here() -> None:
    templates = Path(settings.BASE_DIR) / "templates"
    targets = {
        name
        for template in templates.rglob("*.html")
        for name in HX_TARGET.findall(template.read_text(encoding="utf-8"))
    }
    assert targets, "no hx-get/hx-post found: has the pattern changed?"
    unchecked = sorted(targets - set(PAGES) - set(FRAGMENTS) - POSTED)
    assert not unchecked, f"htmx requests these; add them to FRAGMENTS or POSTED: {unchecked}"


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


def test_the_recompute_button_varies_on_the_header(alice_client: Client) -> None:
    plain = alice_client.post("/reports/recompute/")
    htmx = alice_client.post("/reports/recompute/", headers=HTMX)
    assert plain.status_code == 302  # to the job's page
    assert htmx.status_code == 200  # the progress partial
    assert varies_on_htmx(plain)
    assert varies_on_htmx(htmx)


def test_the_quick_add_varies_on_the_header(alice_client: Client) -> None:
    plain = alice_client.post("/payments/add/", {"amount": "not a number"})
    htmx = alice_client.post("/payments/add/", {"amount": "not a number"}, headers=HTMX)
    assert normalised(plain) != normalised(htmx)
    assert varies_on_htmx(plain)
    assert varies_on_htmx(htmx)
    assert not Payment.objects.exists()


def test_recording_a_value_varies_on_the_header(alice: User, alice_client: Client) -> None:
    source = SourceFactory.create(owner=alice)
    url = f"/sources/{source.pk}/values/new/"
    plain = alice_client.post(url, {"value": "not a number"})
    htmx = alice_client.post(url, {"value": "not a number"}, headers=HTMX)
    assert normalised(plain) != normalised(htmx)
    assert varies_on_htmx(plain)
    assert varies_on_htmx(htmx)
    assert not AssetValue.objects.exists()


def test_recording_a_cost_varies_on_the_header(alice: User, alice_client: Client) -> None:
    source = SourceFactory.create(owner=alice, category=category("rent"))
    url = f"/sources/{source.pk}/costs/new/"
    plain = alice_client.post(url, {"amount": "not a number"})
    htmx = alice_client.post(url, {"amount": "not a number"}, headers=HTMX)
    assert normalised(plain) != normalised(htmx)
    assert varies_on_htmx(plain)
    assert varies_on_htmx(htmx)
    assert not Cost.objects.exists()


def test_recording_a_fund_year_varies_on_the_header(alice: User, alice_client: Client) -> None:
    source = SourceFactory.create(owner=alice)
    IncomeSource.objects.filter(pk=source.pk).update(fund_type="equity")
    url = f"/sources/{source.pk}/fund-years/new/"
    plain = alice_client.post(url, {"units": "not a number"})
    htmx = alice_client.post(url, {"units": "not a number"}, headers=HTMX)
    assert normalised(plain) != normalised(htmx)
    assert varies_on_htmx(plain)
    assert varies_on_htmx(htmx)
    assert not FundYear.objects.exists()


def test_the_scenario_preview_answers_htmx_and_a_browser_alike(alice_client: Client) -> None:
    data = {"name": "Preview", "horizon_years": "10"}
    plain = alice_client.post("/scenarios/preview/", data)
    htmx = alice_client.post("/scenarios/preview/", data, headers=HTMX)
    assert plain.status_code == 200
    assert normalised(plain) == normalised(htmx)
