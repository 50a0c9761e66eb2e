"""One account per e-mail address, whatever its case: a unique index on ``LOWER(email)``.

Sign-up looks the address up before saving, but twenty sign-ups at once with one address
all passed the look-up and made twenty accounts (issue 20); only the database can refuse
the second. Accounts without an address (``email = ''``: made in the shell, or by single
sign-on without one) are left out of the rule, so the index is partial. Plain SQL that
SQLite and PostgreSQL both understand, as ``0002`` does for usernames, because
``auth.User`` is Django's model.

Accounts that already share an address are not merged or changed here: each may hold a
person's data, and which one keeps the address is for whoever runs the site to decide.
The migration stops with the list of them instead; change the address of all but one
(Django admin, Users), then migrate again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

INDEX = "accounts_user_email_any_case"


def refuse_existing_duplicates(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("auth", "User")
    with_address = user_model.objects.exclude(email="").annotate(folded=Lower("email"))
    clashes = (
        with_address.values("folded")
        .annotate(accounts=Count("id"))
        .filter(accounts__gt=1)
        .order_by("folded")
        .values_list("folded", flat=True)
    )
    groups = [
        ", ".join(
            f"{row['username']!r} (id {row['id']}, {row['email']!r})"
            for row in with_address.filter(folded=folded)
            .order_by("id")
            .values("id", "username", "email")
        )
        for folded in clashes
    ]
    if groups:
        raise RuntimeError(
            "E-mail addresses must be unique in any case, and these accounts share one: "
            + "; ".join(groups)
            + ". Change the address of all but one of each group (Django admin, Users), "
            "then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_username_unique_in_any_case"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(email)) WHERE email <> ''",
            f"DROP INDEX {INDEX}",
        ),
    ]
