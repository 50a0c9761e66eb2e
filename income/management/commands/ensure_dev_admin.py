"""Create the development admin once and print its login that one time.

``make run`` calls this on every start; only the first start creates the account, so
the password is shown once and never stored in a file.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from income.services.users import profile_get_or_create


class Command(BaseCommand):
    help = "Create the development superuser 'admin' with a random password (DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("ensure_dev_admin only runs with DJANGO_DEBUG=true.")
        user_model = get_user_model()
        if user_model._default_manager.filter(username="admin").exists():
            self.stdout.write(
                "Dev admin 'admin' exists (its password was printed when it was created; "
                "reset it with `.venv/bin/python manage.py changepassword admin`)."
            )
            return
        password = secrets.token_urlsafe(12)
        user = user_model._default_manager.create_superuser(
            username="admin", email="admin@localhost", password=password
        )
        profile_get_or_create(user=user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dev admin created -> username: admin  password: {password}  "
                "(shown only this once)"
            )
        )
