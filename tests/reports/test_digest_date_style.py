"""The weekly digest writes its days in the reader's date style, as their pages do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core import mail

from income import services
from reports.digest.sending import digest_render, digest_send
from reports.digest.week import digest_for

MONDAY = date(2026, 3, 30)  # the digest covers Monday 23 to Sunday 29 March 2026


def test_the_english_digest_writes_the_week_day_first(alice: User) -> None:
    text = digest_render(digest=digest_for(owner=alice, today=MONDAY), language="en").text
    assert "from 23 March 2026 to 29 March 2026" in text


def test_the_digest_follows_the_iso_style(alice: User) -> None:
    digest = digest_for(owner=alice, today=MONDAY)
    rendered = digest_render(digest=digest, language="de", date_style="iso")
    assert "2026-03-23" in rendered.text
    assert "2026-03-23" in rendered.html


def test_a_sent_digest_uses_the_profiles_date_style(
    alice: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    services.profile_update(user=alice, weekly_digest=True, date_style="dmy")
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send(owner=alice, today=MONDAY)
    assert "from 23/03/2026 to 29/03/2026" in mail.outbox[0].body
