"""One account per username, whatever its case: a unique index on ``LOWER(username)``.

The sign-up checks ``username__iexact`` before saving, but two sign-ups at once both
passed the check (six case variants of one name gave six accounts, issue 20); only the
database can refuse the second. ``auth.User`` is Django's model, so the index is plain
SQL both SQLite and PostgreSQL understand, not a ``UniqueConstraint`` in its ``Meta``.

Accounts that already share a name in another case are not merged or deleted here:
each may hold a person's data, and which one to keep is a decision for whoever runs
the site. The migration stops with the list of them instead; rename all but one (the
admin's user page), then migrate again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower

INDEX = "accounts_user_username_any_case"


def refuse_existing_duplicates(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("auth", "User")
    clashes = (
        user_model.objects.annotate(folded=Lower("username"))
        .values("folded")
        .annotate(accounts=Count("id"))
        .filter(accounts__gt=1)
        .values_list("folded", flat=True)
    )
    groups = [
        ", ".join(
            f"{row['username']!r} (id {row['id']})"
            for row in user_model.objects.annotate(folded=Lower("username"))
            .filter(folded=folded)
            .order_by("id")
            .values("id", "username")
        )
        for folded in clashes
    ]
    if groups:
        raise RuntimeError(
            "Usernames must be unique in any case, and these accounts share one: "
            + "; ".join(groups)
            + ". Rename all but one of each group (Django admin, Users), then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_duplicates, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (LOWER(username))",
            f"DROP INDEX {INDEX}",
        ),
    ]
