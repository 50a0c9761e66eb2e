"""``accounts/migrations/0003``: accounts that already share an address stop the migration
with a list of them; nothing is merged or changed."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection

migration = importlib.import_module("accounts.migrations.0003_email_unique_in_any_case")


def test_shared_addresses_stop_the_migration_with_their_list(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {migration.INDEX}")  # as before the migration
    User.objects.create(username="ann", email="ann@example.com")
    User.objects.create(username="ann2", email="ANN@example.com")
    User.objects.create(username="solo", email="solo@example.com")
    User.objects.create(username="none1", email="")
    User.objects.create(username="none2", email="")
    with pytest.raises(RuntimeError) as refused:
        migration.refuse_existing_duplicates(apps, None)
    message = str(refused.value)
    assert "'ann'" in message
    assert "'ann2'" in message
    assert "solo" not in message
    assert "none1" not in message
    assert User.objects.count() == 5


def test_without_shared_addresses_the_migration_goes_on(db: None) -> None:
    User.objects.create(username="ann", email="ann@example.com")
    User.objects.create(username="none1", email="")
    User.objects.create(username="none2", email="")
    migration.refuse_existing_duplicates(apps, None)
