"""Settings that keep a deployment private: debug off by default, no public key, answers
not cached, browser features off, mail that cannot hang, log-in records that expire."""

from __future__ import annotations

import os
import smtplib
import socket
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.html import format_html
from rest_framework.test import APIClient

from config.settings import dev_secret_key
from config.tasks import access_log_prune
from portability.services.deletion import account_delete

ROOT = Path(__file__).resolve().parents[2]
OLD_PUBLIC_KEY = "dev-only-insecure-key-change-me-in-production"


def _settings_value(name: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", f"from config import settings; print(settings.{name})"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# ----------------------------------------------------------------------------- debug and key


def test_debug_is_off_when_nothing_asks_for_it() -> None:
    result = _settings_value("DEBUG", SECRET_KEY="k" * 60, ALLOWED_HOSTS="ertrag.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_configuration_the_settings_refuse_to_start_with_no_key() -> None:
    result = _settings_value("DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_generates_its_key_once_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    first = dev_secret_key(path)
    assert len(first) >= 50
    assert dev_secret_key(path) == first
    assert path.stat().st_mode & 0o077 == 0  # only the owner reads it
    assert dev_secret_key(tmp_path / "other" / "secret_key") != first


def test_development_does_not_run_on_a_public_key() -> None:
    result = _settings_value("SECRET_KEY", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert key != OLD_PUBLIC_KEY
    assert len(key) >= 50


# ----------------------------------------------------------------------------- mail


def test_a_mail_server_that_never_answers_does_not_hold_the_sender() -> None:
    """A server that accepts the connection and then says nothing: the send gives up
    after ``EMAIL_TIMEOUT`` instead of waiting for ever."""
    assert settings.EMAIL_TIMEOUT == 10
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    outcome: list[BaseException | int] = []

    def send() -> None:
        try:
            outcome.append(mail.send_mail("s", "b", None, ["a@example.com"]))
        except BaseException as error:  # the outcome is what is asserted
            outcome.append(error)

    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=silent.getsockname()[1],
        EMAIL_TIMEOUT=0.5,
    ):
        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        sender.join(timeout=15)
    silent.close()
    assert not sender.is_alive(), "the send is still waiting on a silent mail server"
    assert outcome
    assert isinstance(outcome[0], TimeoutError | smtplib.SMTPServerDisconnected)
    assert "timed out" in str(outcome[0])


# ----------------------------------------------------------------------------- headers


def test_a_signed_in_page_is_neither_stored_nor_shared(client: Client, alice: User) -> None:
    client.force_login(alice)
    for path in ("/dashboard/", "/settings/data/", "/settings/data/export.zip"):
        response = client.get(path)
        assert response.status_code == 200, path
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, path
        assert "public" not in directives, path


def test_an_api_answer_to_a_token_is_neither_stored_nor_shared(alice_api: APIClient) -> None:
    for path in ("/api/v1/sources/", "/api/v1/me/export/"):
        response = alice_api.get(path)
        assert response.status_code == 200, path
        assert {"private", "no-store"} <= {
            d.strip() for d in response["Cache-Control"].split(",")
        }, path


def test_an_anonymous_page_may_be_cached(client: Client, db: None) -> None:
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_switches_off_the_browser_features_it_does_not_use(
    client: Client, db: None
) -> None:
    policy = client.get("/").headers["Permissions-Policy"]
    features = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
    # Passkeys (WebAuthn) stay possible on this origin.
    assert features["publickey-credentials-get"] == "(self)"
    assert features["publickey-credentials-create"] == "(self)"


# ----------------------------------------------------------------------------- help text


class _HelpForm(forms.Form):
    plain = forms.CharField(help_text="Use <b>bold</b> & <script>alert(1)</script>")
    built = forms.CharField(help_text=format_html("<ul><li>{}</li></ul>", "a < b"))


def test_help_text_is_escaped_unless_built_as_markup() -> None:
    html = render_to_string("partials/form_fields.html", {"form": _HelpForm()})
    assert "<script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in html
    # Markup built with format_html (Django's password rules list) stays markup.
    assert "<ul><li>a &lt; b</li></ul>" in html


# ----------------------------------------------------------------------------- log-in records


def _record(model: type[AccessLog] | type[AccessAttempt], username: str, days_ago: int) -> None:
    extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
    row = model.objects.create(
        username=username,
        ip_address="203.0.113.7",
        user_agent=f"browser {username} {days_ago}",
        http_accept="*/*",
        path_info="/login/",
        **(extra if model is AccessAttempt else {}),
    )
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days_ago))


def test_the_nightly_task_forgets_log_in_records_past_the_retention(db: None) -> None:
    assert settings.AXES_ACCESS_LOG_RETENTION_DAYS == 30
    _record(AccessLog, "alice", days_ago=31)
    _record(AccessLog, "alice", days_ago=29)
    _record(AccessAttempt, "bob", days_ago=45)
    assert access_log_prune.delay().get() == 2
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["alice"]
    assert not AccessAttempt.objects.exists()


@override_settings(AXES_ACCESS_LOG_RETENTION_DAYS=7)
def test_the_retention_is_a_setting(db: None) -> None:
    _record(AccessLog, "alice", days_ago=8)
    assert access_log_prune.delay().get() == 1


def test_deleting_an_account_deletes_its_log_in_records(alice: User, bob: User) -> None:
    _record(AccessLog, "alice", days_ago=1)
    _record(AccessLog, "ALICE@example.com", days_ago=2)
    _record(AccessAttempt, "Alice", days_ago=0)
    _record(AccessLog, "bob", days_ago=1)
    account_delete(user=alice)
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["bob"]
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("name", ["", None])
def test_forgetting_an_empty_name_deletes_nothing(db: None, name: str | None) -> None:
    from config.access_log import access_log_forget

    _record(AccessLog, "bob", days_ago=1)
    assert access_log_forget(names=[name] if name is not None else []) == 0
    assert AccessLog.objects.count() == 1


def test_the_clean_up_is_on_the_beat_schedule_every_night(db: None) -> None:
    from django_celery_beat.models import PeriodicTask

    from config.celery import app

    entry = PeriodicTask.objects.get(name="Log-ins: forget old records")
    assert entry.enabled
    assert entry.task == "config.tasks.access_log_prune"
    assert entry.task in app.tasks
    assert (entry.crontab.hour, entry.crontab.minute, entry.crontab.day_of_week) == ("3", "15", "*")
