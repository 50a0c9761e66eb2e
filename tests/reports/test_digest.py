"""The weekly e-mail digest: its content in both languages, sent once a week, and the opt-out."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from finance.rounding import to_cents
from finance.schedule import add_months, month_start
from income import services
from income.demo import demo_create
from income.models import ExchangeRate, Payment, TaxProfile
from reports.digest import week as digests
from reports.digest.sending import digest_render, digest_send, digest_send_weekly
from reports.digest.week import digest_for, digest_week, independence_change, unsubscribe_token
from reports.models import DigestDelivery, ReportSnapshot
from reports.services import report_recompute
from reports.tasks import digest_send_weekly as digest_send_weekly_task
from scenarios.models import Scenario
from tests.factories import PaymentFactory, ScenarioFactory, SourceFactory, UserFactory, category

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
NBSP = "\u00a0"
# A Monday: the digest covers 23–29 March 2026, with the demo's quarterly ETF dividend
# (USD, on the 25th) and the membership and freelance payments of the 28th.
MONDAY = date(2026, 3, 30)
SITE = "https://ertrag.example"

CaptureOnCommit = Callable[..., Any]


def _opt_in(user: User, **fields: Any) -> User:
    services.profile_update(user=user, weekly_digest=True, **fields)
    return user


@pytest.fixture
def demo(db: None) -> User:
    """The demo user as of ``MONDAY``, opted in, with one source behind plan and overdue.

    The vending machine was planned at 400 a month from last June and never paid: its
    monthly payouts of the last three months are overdue, and the scenario it is linked
    to (made in November) flags it as behind plan.
    """
    user = demo_create(username="demo", password="demo-pass-12345", today=MONDAY).user
    machine = SourceFactory.create(
        owner=user, name="Vending machine", category=category("affiliate"),
        expected_monthly_amount=Decimal("400"), start_date=date(2025, 6, 1),
        payout_rhythm="monthly",
    )  # fmt: skip
    scenario = ScenarioFactory.create(owner=user, name="Machine plan", sources=[machine])
    Scenario.objects.filter(pk=scenario.pk).update(
        created_at=timezone.make_aware(datetime.combine(date(2025, 11, 15), time(12)))
    )
    return _opt_in(user)


def _expected_week_income(user: User) -> Decimal:
    """An independent oracle: each payment's net in euros at its month's ECB rate."""
    total = Decimal(0)
    for payment in Payment.objects.filter(
        source__owner=user, date__range=(date(2026, 3, 23), date(2026, 3, 29))
    ):
        net = payment.gross - payment.tax_withheld - payment.fees
        if payment.currency != "EUR":
            rate = (
                ExchangeRate.objects.filter(currency=payment.currency, date__lte=payment.date)
                .order_by("-date")
                .values_list("rate", flat=True)[0]
            )
            net = to_cents(net / rate)
        total += net
    return total


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", text)


# ----------------------------------------------------------------------------- the week


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 3, 30), date(2026, 3, 23)),  # the Monday the beat runs
        (date(2026, 4, 1), date(2026, 3, 23)),  # a retry on Wednesday: the same week
        (date(2026, 4, 5), date(2026, 3, 23)),  # still that week on Sunday
        (date(2026, 3, 29), date(2026, 3, 16)),  # the Sunday before: the week before
    ],
)
def test_the_digest_covers_the_full_week_before_todays_week(today: date, start: date) -> None:
    week = digest_week(today)
    assert (week.start, week.end) == (start, start + timedelta(days=6))
    assert week.start.weekday() == 0


@pytest.mark.parametrize(
    ("now", "before", "had_before", "change"),
    [
        (date(2031, 3, 1), date(2031, 5, 1), True, "earlier"),
        (date(2031, 7, 1), date(2031, 5, 1), True, "later"),
        (date(2031, 5, 1), date(2031, 5, 1), True, "unchanged"),
        (date(2031, 5, 1), None, True, "reached"),
        (None, date(2031, 5, 1), True, "lost"),
        (None, None, True, "not_reached"),
        (date(2031, 5, 1), None, False, "no_earlier"),
        (None, None, False, "no_earlier"),
    ],
)
def test_the_independence_move_is_named(
    now: date | None, before: date | None, had_before: bool, change: str
) -> None:
    assert independence_change(now=now, before=before, had_before=had_before) == change


# ----------------------------------------------------------------------------- content


def test_the_digest_sums_the_weeks_payments_in_the_base_currency(demo: User) -> None:
    digest = digest_for(owner=demo, today=MONDAY)
    assert (digest.week.start, digest.week.end) == (date(2026, 3, 23), date(2026, 3, 29))
    assert digest.currency == "EUR"
    assert [line.source for line in digest.income] == [
        "FTSE All-World ETF",
        "Freelance development",
        "Membership community",
    ]
    assert [line.passive for line in digest.income] == [True, False, True]
    assert digest.income_total == _expected_week_income(demo)
    assert digest.income_total == sum(line.net for line in digest.income)
    freelance = next(line for line in digest.income if not line.passive)
    assert digest.passive_total == digest.income_total - freelance.net
    assert digest.missing_rates == []


def test_the_digest_names_overdue_payouts_and_sources_behind_plan(demo: User) -> None:
    digest = digest_for(owner=demo, today=MONDAY)
    assert [(line.source, line.month) for line in digest.overdue] == [
        ("Vending machine", date(2025, 12, 1)),
        ("Vending machine", date(2026, 1, 1)),
        ("Vending machine", date(2026, 2, 1)),
    ]
    assert [(line.scenario, line.source) for line in digest.behind_plan] == [
        ("Machine plan", "Vending machine")
    ]
    assert digest.behind_plan[0].shortfall > 0


def _snapshot(owner: User, month: date, independence: date | None, **fields: Any) -> None:
    ReportSnapshot.objects.create(
        owner=owner, month=month, currency="EUR", independence_month=independence,
        fingerprint="test", **{"computed_at": timezone.now(), **fields},
    )  # fmt: skip


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def test_the_independence_month_is_compared_with_the_figure_from_before_the_week(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(digests, "independence_month", lambda **_kw: date(2031, 3, 1))
    services.profile_update(user=alice, monthly_expenses=Decimal("2000"))
    assert digest_for(owner=alice, today=MONDAY).independence.change == "no_earlier"

    # recomputed during the week: not a figure from before it
    _snapshot(alice, date(2026, 3, 1), date(2031, 5, 1), computed_at=_at(date(2026, 3, 24)))
    assert digest_for(owner=alice, today=MONDAY).independence.change == "no_earlier"

    # a month closed before the week holds the figure of its end
    _snapshot(
        alice, date(2026, 2, 1), date(2031, 5, 1),
        computed_at=_at(date(2026, 3, 24)), closed_at=_at(date(2026, 3, 1)),
    )  # fmt: skip
    move = digest_for(owner=alice, today=MONDAY).independence
    assert (move.change, move.now, move.before) == ("earlier", date(2031, 3, 1), date(2031, 5, 1))

    # the current month, last computed before the week, is the more recent figure
    ReportSnapshot.objects.filter(owner=alice, month=date(2026, 3, 1)).update(
        computed_at=_at(date(2026, 3, 20)), independence_month=date(2031, 3, 1)
    )
    assert digest_for(owner=alice, today=MONDAY).independence.change == "unchanged"


def test_the_english_digest_formats_amounts_and_dates_in_english(demo: User) -> None:
    digest = digest_for(owner=demo, today=MONDAY)
    with override_settings(SITE_URL=SITE):
        rendered = digest_render(digest=digest, language="en")
    total = digest.income_total
    assert total >= 1000  # so the grouping shows
    whole, cents = f"{total:.2f}".split(".")
    amount = f"€{int(whole):,}.{cents}"
    # Day first, as a European reads it (issue 18, item 5), not Django's "March 23, 2026".
    assert rendered.subject == f"Your Ertrag week from 23 March 2026: {amount} received"
    for body in (rendered.text, rendered.html):
        assert amount in body
        assert "23 March 2026" in body
        assert "29 March 2026" in body
        assert "Vending machine: December 2025" in body
        assert "Vending machine (Machine plan):" in body
        assert "short of the plan" in body
        assert "Hello demo," in body
    assert "FTSE All-World ETF" in rendered.html
    assert "Freelance development (active income): €" in rendered.text
    _assert_links(demo, rendered.text, rendered.html)


def test_the_german_digest_formats_amounts_and_dates_in_german(demo: User) -> None:
    services.profile_update(user=demo, language="de")
    digest = digest_for(owner=demo, today=MONDAY)
    with override_settings(SITE_URL=SITE):
        rendered = digest_render(digest=digest, language="de")
    whole, cents = f"{digest.income_total:.2f}".split(".")
    amount = f"{int(whole):,}".replace(",", ".") + f",{cents}{NBSP}€"
    assert amount in rendered.subject
    assert "23. März 2026" in rendered.subject
    for body in (rendered.text, rendered.html):
        assert amount in body
        assert "23. März 2026" in body
        assert "29. März 2026" in body
        assert "Dezember 2025" in body
        assert "überfällig" in body
        assert "Hinter dem Plan" in body
        assert "€" + whole not in body  # never the English order
    assert '<html lang="de">' in rendered.html
    assert "Quelle" in rendered.html
    assert "Netto" in rendered.html
    _assert_links(demo, rendered.text, rendered.html)


def _assert_links(user: User, text: str, html: str) -> None:
    # The token carries the time it was signed: the one in the mail names the user.
    found = re.search(rf"{re.escape(SITE)}/digest/unsubscribe/([^/\s]+)/", text)
    assert found is not None
    assert digests.user_for_unsubscribe_token(token=found.group(1)) == user
    assert f'href="{found.group(0)}"' in html
    assert f"{SITE}/dashboard/" in text
    assert all(link.startswith(SITE) for link in _links(text) + _links(html))
    # inline styles only: nothing for a mail client to fetch
    for tag in ("<link", "<script", "<img", "<style", "url("):
        assert tag not in html


def test_the_rendered_digests_are_kept_as_artifacts(demo: User) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    digest = digest_for(owner=demo, today=MONDAY)
    for language in ("en", "de"):
        rendered = digest_render(digest=digest, language=language)
        (ARTIFACTS / f"digest-{language}.html").write_text(rendered.html, encoding="utf-8")
        (ARTIFACTS / f"digest-{language}.txt").write_text(
            f"Subject: {rendered.subject}\n\n{rendered.text}", encoding="utf-8"
        )
    assert "Vending machine" in (ARTIFACTS / "digest-de.html").read_text(encoding="utf-8")


def test_a_quiet_week_still_says_so(alice: User) -> None:
    _opt_in(alice)
    rendered = digest_render(digest=digest_for(owner=alice, today=MONDAY), language="en")
    assert "No payments were recorded this week." in rendered.text
    assert "Nothing is overdue." in rendered.text
    assert "Enter your monthly expenses in the settings" in rendered.text
    assert "€0.00" in rendered.subject


# ----------------------------------------------------------------------------- sending


@pytest.fixture
def recipients(alice: User, bob: User) -> dict[str, User]:
    """alice opted in; bob did not; carol has no address; dave's account is disabled."""
    _opt_in(alice)
    carol = _opt_in(UserFactory.create(username="carol", email=""))
    dave = _opt_in(UserFactory.create(username="dave"))
    User.objects.filter(pk=dave.pk).update(is_active=False)
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave}


def test_the_weekly_run_sends_once_per_opted_in_user(
    recipients: dict[str, User], django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_weekly(today=MONDAY) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_weekly(today=MONDAY + timedelta(days=2)) == 0  # same week
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]
    message = mail.outbox[0]
    assert message.subject.startswith("Your Ertrag week from 23 March 2026")
    assert "/digest/unsubscribe/" in message.body
    assert [alt[1] for alt in message.alternatives] == ["text/html"]  # type: ignore[attr-defined]
    delivery = DigestDelivery.objects.get()
    assert (delivery.owner, delivery.week, delivery.language) == (
        recipients["alice"],
        date(2026, 3, 23),
        "en",
    )


def test_the_next_week_gets_its_own_digest(
    recipients: dict[str, User], django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_weekly(today=MONDAY) == 1
        assert digest_send_weekly(today=MONDAY + timedelta(days=7)) == 1
    assert len(mail.outbox) == 2


def test_a_digest_goes_out_in_the_users_language(
    alice: User, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    _opt_in(alice, language="de")
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(owner=alice, today=MONDAY)
    assert "23. März 2026" in mail.outbox[0].subject
    assert "0,00\u00a0€" in mail.outbox[0].subject
    assert DigestDelivery.objects.get().language == "de"


def test_a_run_that_loses_the_claim_sends_nothing(
    alice: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    """Another worker inserts the marker while this one renders: the insert decides."""
    _opt_in(alice)
    real = digests.digest_for

    def racing(**kwargs: Any) -> digests.Digest:
        DigestDelivery.objects.create(owner=alice, week=date(2026, 3, 23), language="en")
        return real(**kwargs)

    monkeypatch.setattr("reports.digest.sending.digest_for", racing)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(owner=alice, today=MONDAY) is False
    assert mail.outbox == []
    assert DigestDelivery.objects.count() == 1


def test_a_failed_digest_claims_nothing_and_the_others_still_go(
    alice: User,
    bob: User,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    _opt_in(alice)
    _opt_in(bob)
    real = digests.digest_for

    def broken_for_alice(*, owner: User, today: date) -> digests.Digest:
        if owner == alice:
            raise ValueError("bad data")
        return real(owner=owner, today=today)

    monkeypatch.setattr("reports.digest.sending.digest_for", broken_for_alice)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_weekly(today=MONDAY) == 1
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]
    assert list(DigestDelivery.objects.values_list("owner__username", flat=True)) == ["bob"]


def test_the_beat_task_sends_through_celery_once_a_week(
    recipients: dict[str, User], django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_weekly_task.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_weekly_task.delay().get() == 0
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]
    assert DigestDelivery.objects.get().week == digest_week(timezone.localdate()).start


def test_the_beat_schedule_names_the_task() -> None:
    from config.celery import app

    assert "reports.tasks.digest_send_weekly" in app.tasks
    assert digest_send_weekly_task.name == "reports.tasks.digest_send_weekly"


# ----------------------------------------------------------------------------- opting out


def _unsubscribe_path(user: User) -> str:
    return f"/digest/unsubscribe/{unsubscribe_token(user=user)}/"


def test_opening_the_link_changes_nothing(alice: User) -> None:
    _opt_in(alice)
    response = Client().get(_unsubscribe_path(alice))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="digest-unsubscribe"' in html
    assert 'method="post"' in html
    alice.profile.refresh_from_db()
    assert alice.profile.weekly_digest is True


def test_confirming_opts_out_without_logging_in(alice: User) -> None:
    _opt_in(alice)
    client = Client(enforce_csrf_checks=True)
    path = _unsubscribe_path(alice)
    client.get(path)
    response = client.post(path, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 200
    assert "You will not get the digest any more." in response.content.decode()
    alice.profile.refresh_from_db()
    assert alice.profile.weekly_digest is False
    # the link keeps working, and says so
    assert "is switched off" in client.get(path).content.decode()


def test_the_page_speaks_the_users_language(alice: User) -> None:
    _opt_in(alice, language="de")
    html = Client().get(_unsubscribe_path(alice)).content.decode()
    assert '<html lang="de"' in html
    assert "Anmelden" in html  # the navigation, in German


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature
        lambda token: signing.TimestampSigner().sign_object(
            signing.TimestampSigner(salt=digests.UNSUBSCRIBE_SALT).unsign_object(token) + 1
        ),
        lambda token: "not-a-token",
    ],
    ids=["changed-signature", "unsalted-other-user", "garbage"],
)
def test_a_tampered_token_changes_nothing(
    alice: User, bob: User, tamper: Callable[[str], str]
) -> None:
    _opt_in(alice)
    _opt_in(bob)
    path = f"/digest/unsubscribe/{tamper(unsubscribe_token(user=alice))}/"
    client = Client()
    assert client.get(path).status_code == 400
    response = client.post(path)
    assert response.status_code == 400
    assert 'data-testid="digest-unsubscribe-invalid"' in response.content.decode()
    for user in (alice, bob):
        user.profile.refresh_from_db()
        assert user.profile.weekly_digest is True


def test_the_page_does_not_show_the_email_address(alice: User) -> None:
    _opt_in(alice)
    html = Client().get(_unsubscribe_path(alice)).content.decode()
    assert 'data-testid="digest-unsubscribe"' in html
    assert "alice@example.com" not in html


def _token_signed_days_ago(user: User, days: int) -> str:
    """A token as ``unsubscribe_token`` made it ``days`` ago (its signer's clock set back)."""
    signed_at = int((timezone.now() - timedelta(days=days)).timestamp())

    class SignedThen(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(signed_at)

    return SignedThen(salt=digests.UNSUBSCRIBE_SALT).sign_object(user.pk)


def test_a_token_older_than_ninety_days_is_refused(alice: User) -> None:
    _opt_in(alice)
    path = f"/digest/unsubscribe/{_token_signed_days_ago(alice, 91)}/"
    assert Client().get(path).status_code == 400
    assert Client().post(path).status_code == 400
    alice.profile.refresh_from_db()
    assert alice.profile.weekly_digest is True


def test_a_token_younger_than_ninety_days_works(alice: User) -> None:
    _opt_in(alice)
    path = f"/digest/unsubscribe/{_token_signed_days_ago(alice, 89)}/"
    assert Client().get(path).status_code == 200


def test_a_token_of_the_old_kind_without_a_timestamp_is_refused(alice: User) -> None:
    """Before expiry, tokens had no timestamp; one of those must not work for ever."""
    _opt_in(alice)
    old = signing.Signer(salt=digests.UNSUBSCRIBE_SALT).sign_object(alice.pk)
    assert Client().get(f"/digest/unsubscribe/{old}/").status_code == 400


def test_a_token_of_a_deleted_user_is_refused(alice: User) -> None:
    path = _unsubscribe_path(alice)
    alice.delete()
    assert Client().post(path).status_code == 400


# ----------------------------------------------------------------------------- opting in


def _settings_form(**extra: str) -> dict[str, Any]:
    return {
        "base_currency": "EUR",
        "language": "en",
        "monthly_expenses": "2000",
        "hourly_value": "40",
        "default_tax_profile": TaxProfile.objects.get(slug="de-capital-gains").pk,
        **extra,
    }


def test_the_settings_page_switches_the_digest_on_and_off(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get("/settings/").content.decode()
    assert 'name="weekly_digest"' in html
    assert "Send me a weekly e-mail digest" in html
    assert "Every Monday morning" in html
    assert client.post("/settings/", _settings_form(weekly_digest="on")).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.weekly_digest is True
    assert client.post("/settings/", _settings_form()).status_code == 302
    alice.profile.refresh_from_db()
    assert alice.profile.weekly_digest is False


def test_the_settings_page_warns_without_an_address(client: Client, db: None) -> None:
    user = UserFactory.create(username="noaddress", email="")
    client.force_login(user)
    assert 'data-testid="digest-needs-email"' in client.get("/settings/").content.decode()


def test_the_api_switches_the_digest_on_and_off(alice_api: APIClient, alice: User) -> None:
    assert alice_api.get("/api/v1/me/").json()["weekly_digest"] is False
    response = alice_api.patch("/api/v1/me/", {"weekly_digest": True}, format="json")
    assert (response.status_code, response.json()["weekly_digest"]) == (200, True)
    alice.profile.refresh_from_db()
    assert alice.profile.weekly_digest is True
    alice_api.patch("/api/v1/me/", {"weekly_digest": False}, format="json")
    alice.profile.refresh_from_db()
    assert alice.profile.weekly_digest is False


def test_an_independent_user_is_told_since_when_not_a_projected_month(alice: User) -> None:
    # 1,500 a month for the 12 months before MONDAY's month, expenses 1,000: a month is
    # covered once its TTM reaches 12,000, from the 8th paid month on (8 × 1,500). The
    # last complete month: 18,000 / 12,000 = 150.0 %, 1,500.00 − 1,000.00 = 500.00 spare.
    services.profile_update(user=alice, monthly_expenses=Decimal("1000"))
    source = SourceFactory.create(owner=alice, name="ETF", start_date=date(2020, 1, 1))
    first = add_months(month_start(MONDAY), -12)
    for n in range(12):
        PaymentFactory.create(source=source, date=add_months(first, n), gross=Decimal("1500"))
    report_recompute(owner=alice, today=MONDAY)

    move = digest_for(owner=alice, today=MONDAY).independence
    assert move.since is not None
    assert move.since.since == add_months(first, 7)
    with override_settings(SITE_URL=SITE):
        text = digest_render(digest=digest_for(owner=alice, today=MONDAY), language="en").text
    assert f"You are independent since {add_months(first, 7):%B %Y}" in " ".join(text.split())
    assert "150.0%" in text
    assert "€500.00 a month to spare" in text
