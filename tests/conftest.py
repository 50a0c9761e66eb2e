"""Personas and clients shared by every test: alice owns things, bob must not see them."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from config.celery import app as celery_app
from income.services.users import api_token_create
from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _cache_per_worker(worker_id: str) -> Iterator[None]:
    """Give each xdist worker its own Redis database.

    ``cache.clear()`` flushes the whole database; shared between workers, one worker's
    clear would reset another's throttle counters in the middle of a test.
    """
    cache_settings = settings.CACHES["default"]
    if not str(cache_settings["BACKEND"]).endswith("RedisCache"):
        # The embedded file cache is shared by processes; each test process keeps its own.
        memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        with override_settings(CACHES={"default": memory}):
            yield
        return
    index = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    location = urlparse(str(cache_settings["LOCATION"]))._replace(path=f"/{2 + index}").geturl()
    with override_settings(CACHES={"default": {**cache_settings, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(_cache_per_worker: None) -> Iterator[None]:
    """Throttle counters and cached figures never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A test starts in the default language, whatever the test before it left active.

    A request whose view activates the user's language (log-in, the language switch)
    leaves it active in the test's thread; in a server the next request's middleware
    sets its own, but a test calling a service directly would read German messages.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """A cheap hasher: PBKDF2's million rounds cost most of the time of a test that makes
    a user. What is tested about passwords (checked, never stored plain) holds for any."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _eager_celery() -> Iterator[None]:
    """Unit tests run tasks in-process; tests/integration runs them on a real worker."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db: None) -> User:
    return UserFactory.create(username="alice", email="alice@example.com")


@pytest.fixture
def bob(db: None) -> User:
    return UserFactory.create(username="bob", email="bob@example.com")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def token_client(user: User) -> APIClient:
    client = APIClient()
    token, _expiry = api_token_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def alice_api(alice: User) -> APIClient:
    return token_client(alice)


@pytest.fixture
def bob_api(bob: User) -> APIClient:
    return token_client(bob)


SHIPPED_CONTENT = (
    "income.migrations.0003_seed_categories_and_tax_profiles",
    "income.migrations.0008_seed_help_articles",
    "income.migrations.0009_help_articles_lowercase_du",
    "income.migrations.0018_seed_tax_years",
    "income.migrations.0020_category_tax_treatment",
    "income.migrations.0021_help_tax_report",
    "income.migrations.0023_help_tax_report_projections",
    "imports.migrations.0003_help_importing",
    "imports.migrations.0008_help_importing_foreign_tax",
    "imports.migrations.0010_help_importing_billing",
    "households.migrations.0002_help_alerts_calendar_household",
)


@pytest.fixture
def shipped_content(transactional_db: None) -> None:
    """What the data migrations ship (categories, tax profiles, help articles), as a
    fresh database has them.

    A transactional test's flush empties every table. ``serialized_rollback`` is no way
    back for browser and worker tests: once Playwright has run its event loop in a test
    process, Django hands out new connection objects without the serialized copy, and
    where the copy survives, its content types collide with the ones the flush's
    post_migrate has created again. The migrations' own steps are idempotent
    (``update_or_create``), so running them again is.
    """
    from django.apps import apps

    for migration in SHIPPED_CONTENT:
        importlib.import_module(migration).forwards(apps, None)


@pytest.fixture
def postgres_url() -> str:
    """The test database's URL, for a process of ours (a worker, an app) to share it."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL, the second pass of .ci/run): a process of its "
            "own cannot reach pytest's in-memory SQLite test database"
        )
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"
