"""``manage.py seed_demo``: a demo account with three years of passive income and two plans.

It lives in ``scenarios`` because it makes both floors of the demo: the sources and
payments (``income.demo``) and the plans built on them (``scenarios.demo``); ``income``
must not import ``scenarios``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from income.demo import demo_create
from scenarios.demo import demo_scenarios_create


class Command(BaseCommand):
    help = (
        "Create the user 'demo' with seven income sources, three years of payments and "
        "two scenarios to compare."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default=None, help="default: a random one, printed")
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when the user already exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        if User.objects.filter(username=username).exists():
            if options["if_missing"]:
                self.stdout.write(
                    f"Demo user '{username}' exists (its login was printed when created)."
                )
                return
            self.stderr.write(f"User '{username}' exists already; choose another --username.")
            raise SystemExit(1)
        password = options["password"] or secrets.token_urlsafe(9)
        with transaction.atomic():
            result = demo_create(username=username, password=password, today=timezone.localdate())
            plans = demo_scenarios_create(user=result.user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data created -> username: {username}  password: {password}  "
                f"({result.sources} sources, {result.payments} payments, 2 scenarios)"
            )
        )
        ids = ",".join(str(pk) for pk in plans.ids)
        self.stdout.write(f"Demo scenarios compared at {reverse('scenario_compare')}?ids={ids}")
