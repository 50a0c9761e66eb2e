"""Account deletion: the user and every row of theirs, in every app."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from config.access_log import access_log_forget


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account and every row of the user's, in every app.

    Every table of ours refers to the user with ``on_delete=CASCADE`` (sources and what
    hangs on them, scenarios, reports, jobs, digests, imports, tokens, the profile), so
    deleting the user deletes them with it; django-axes keeps its log-in records by the
    name typed, not by user, so they go separately (``config.access_log``).
    """
    access_log_forget(names=[user.username, user.email])
    user.delete()
