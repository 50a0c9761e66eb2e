"""Settings fail loudly: production without secrets, and Celery limits in the wrong order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 60


def import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = import_settings(DJANGO_DEBUG="false", ALLOWED_HOSTS="ertrag.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = import_settings(DJANGO_DEBUG="false", SECRET_KEY=GOOD_SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_with_both() -> None:
    result = import_settings(
        DJANGO_DEBUG="false", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="ertrag.example"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_a_bad_boolean_is_an_error_not_a_default() -> None:
    result = import_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_time_limits_above_the_visibility_timeout_fail_the_checks(
    settings: pytest.FixtureRequest,
) -> None:
    settings.CELERY_TASK_TIME_LIMIT = 4000  # type: ignore[attr-defined]
    settings.CELERY_VISIBILITY_TIMEOUT = 3600  # type: ignore[attr-defined]
    with pytest.raises(SystemCheckError, match=r"ertrag\.E002"):
        call_command("check")


def test_the_shipped_configuration_passes_the_checks() -> None:
    call_command("check", fail_level="WARNING")


def test_production_settings_pass_the_deploy_check() -> None:
    """``manage.py check --deploy``: secure cookies, HSTS, SSL redirect, the schema's
    warnings; the content security policy is django-csp's own check."""
    clean = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: the browser tests' own (Playwright), not deployment's.
        if k
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_DEBUG",
            "SECURE_HSTS_PRELOAD",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": "k3y-" + "0123456789abcdefghij" * 3,
            "ALLOWED_HOSTS": "ertrag.example",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_misspelled_variable_stops_start_up_with_the_name_it_meant() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "REPORT_RECOMPUTE_DELAY": "3"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "ertrag.E005" in result.stderr
    assert "Did you mean REPORTS_RECOMPUTE_DELAY?" in result.stderr


def test_every_name_in_the_env_file_must_be_one_of_ours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from config import checks

    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=true\nCELERY_BROKER_DIRR=var/broker\nFOO=1\n")
    monkeypatch.setattr(checks, "ENV_FILE", env_file)
    errors = checks.check_environment_names(None)
    assert [error.msg for error in errors] == [
        "CELERY_BROKER_DIRR (in .env) is not a setting Ertrag reads.",
        "FOO (in .env) is not a setting Ertrag reads.",
    ]
    assert errors[0].hint == "Did you mean CELERY_BROKER_DIR?"
