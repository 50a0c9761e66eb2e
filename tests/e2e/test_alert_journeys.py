"""Issue 24's alerts journey in a browser: an overdue payout produces one ntfy message
and one webhook delivery with a valid signature.

A person adds an ntfy channel and a webhook on /settings/alerts/, reads the webhook's
signing secret off the page, tells the overdue rule to speak on the day, and presses
"Check now". The messages go to real local servers that speak ntfy's protocol and a
webhook receiver's (``tests/push_servers.py``); the signature is checked with the
secret as the page showed it, as a receiver would check it.

The tasks run as the other journeys run them: on a real Celery worker on PostgreSQL,
eagerly in the live server on SQLite (``tests/e2e/test_journeys.py``). The page with its
channels and log is photographed in English and German
(``test-artifacts/alerts-<width>-<language>.png``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from alerts.models import AlertDelivery, AlertEvent, DeliveryStatus
from alerts.signing import HEADER, SECRET_PREFIX, signature_valid
from finance.schedule import add_months, month_start
from income.models import IncomeSource
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.factories import SourceFactory, UserFactory, category
from tests.integration.workers import WorkerProcess
from tests.push_servers import ntfy_server, webhook_receiver

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_content"),
]

TOPIC = "ertrag-ada"
EVALUATED = re.compile(r"alerts\.tasks\.alerts_evaluate\[[^\]]+\] succeeded")


@pytest.fixture
def worker(request: pytest.FixtureRequest) -> WorkerProcess | None:
    """A real worker on PostgreSQL; on SQLite the tasks run eagerly in the live server."""
    if connection.vendor != "postgresql":
        return None
    start: Callable[[], WorkerProcess] = request.getfixturevalue("start_worker")
    return start()


@pytest.fixture
def push() -> Iterator[tuple[Any, Any]]:
    with ntfy_server() as ntfy, webhook_receiver() as hook:
        yield ntfy, hook


def wait_until(check: Callable[[], bool], *, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def overdue_payout(owner: User) -> None:
    """Rent paid monthly since last month, and nothing came: last month is overdue."""
    last_month = add_months(month_start(timezone.localdate()), -1)
    SourceFactory.create(
        owner=owner, name="Flat Lindenstraße", category=category("rent"),
        payout_rhythm="monthly", start_date=last_month,
    )  # fmt: skip


def add_channel(page: Any, **fields: str) -> None:
    """Fill the "Add a channel" form (opening it when channels hide it) and send it."""
    form = page.locator("[data-testid=alert-channel-add]")
    if not form.is_visible():
        page.click("section[aria-labelledby=channels-heading] > details > summary")
    page.select_option("#id_kind", fields.pop("kind"))
    for name, value in fields.items():
        page.fill(f"#id_{name}", value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith("/settings/alerts/"), page.url
    assert page.locator(".field-invalid").count() == 0, page.inner_text("main")[:600]


def delivery_states(page: Any) -> list[str]:
    return [
        page.locator("[data-testid=alert-delivery]").nth(i).locator(".badge").inner_text()
        for i in range(page.locator("[data-testid=alert-delivery]").count())
    ]


def photograph(page: Any, language: str) -> None:
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == language
    screenshot(page, f"alerts-1280-{language}")


def test_an_overdue_payout_sends_one_ntfy_message_and_one_signed_webhook(
    page: Any, live_server: Any, push: tuple[Any, Any], worker: WorkerProcess | None
) -> None:
    ntfy, hook = push
    user = UserFactory.create(username="ada", language="en")
    overdue_payout(user)
    log_in(page, live_server.url, user.username)
    page.click("header a[href='/settings/']")
    page.wait_for_url(f"{live_server.url}/settings/")
    page.goto(f"{live_server.url}/settings/alerts/")
    assert page.locator("[data-testid=no-alert-channels]").is_visible()

    add_channel(page, kind="ntfy", name="Phone", url=ntfy.base, topic=TOPIC)
    add_channel(page, kind="webhook", name="Home automation", url=f"{hook.base}/hook")
    assert page.locator("[data-testid=alert-channel]").count() == 2
    webhook_row = page.locator("[data-testid=alert-channel]", has_text="Home automation")
    webhook_row.locator("[data-testid=webhook-secret] summary").click()
    secret = webhook_row.locator("[data-testid=webhook-secret] code").inner_text().strip()
    assert secret.startswith(SECRET_PREFIX)

    # The overdue rule speaks on the day the month's payout is late: no days of grace.
    rules = page.locator("[data-testid=alert-rules]")
    assert rules.locator("#id_overdue-enabled").is_checked()
    rules.locator("#id_overdue-days").fill("0")
    with page.expect_navigation():
        rules.locator("button[type=submit]").click()
    assert page.locator("#id_overdue-days").input_value() == "0"

    with page.expect_navigation():
        page.click("[data-testid=alerts-check]")
    wait_until(lambda: len(ntfy.received) >= 1 and len(hook.received) >= 1, what="the alerts")
    wait_until(
        lambda: AlertDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 2,
        what="the deliveries to be written down",
    )

    [pushed] = ntfy.received
    message = pushed.json()
    assert message["topic"] == TOPIC
    assert message["title"] == "Payout overdue: Flat Lindenstraße"
    assert "Flat Lindenstraße" in message["message"]
    assert message["click"].endswith(f"/sources/{IncomeSource.objects.get(owner=user).pk}/")

    [delivered] = hook.received
    assert delivered.path == "/hook"
    assert signature_valid(
        header=delivered.headers[HEADER.lower()], secret=secret, body=delivered.body,
        now=int(time.time()),
    )  # fmt: skip
    assert not signature_valid(
        header=delivered.headers[HEADER.lower()], secret=secret + "x", body=delivered.body,
        now=int(time.time()),
    )  # fmt: skip
    body = delivered.json()
    assert body["type"] == "overdue"
    assert body["data"]["source"] == "Flat Lindenstraße"
    assert delivered.headers["ertrag-event"] == "overdue"

    page.goto(f"{live_server.url}/settings/alerts/")
    assert delivery_states(page) == ["sent", "sent"]
    log = page.inner_text("[data-testid=alert-deliveries]")
    assert log.count("Payout overdue: Flat Lindenstraße") == 2
    photograph(page, "en")

    # Again: the payout was told once; nothing more is raised or sent.
    with page.expect_navigation():
        page.click("[data-testid=alerts-check]")
    if worker is not None:  # the second check is over when the worker says so
        wait_until(lambda: len(EVALUATED.findall(worker.log())) == 2, what="the second check")
    assert len(ntfy.requests) == 1
    assert len(hook.requests) == 1
    assert AlertEvent.objects.filter(owner=user).count() == 1
    assert page.locator("[data-testid=alert-delivery]").count() == 2

    page.click("form.language-switch button[value=de]")
    page.wait_for_function("() => document.documentElement.lang === 'de'")
    assert page.locator("[data-testid=alert-channel]").count() == 2
    assert len(delivery_states(page)) == 2
    photograph(page, "de")

    # On a phone the page fits its width and cuts no text.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    screenshot(page, "alerts-375-de")
