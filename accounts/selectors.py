"""Account reads: never write."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from knox.models import AuthToken


def api_tokens_of(*, user: User) -> QuerySet[Any]:
    """The user's API tokens still in force, newest first, with their device names."""
    tokens: QuerySet[Any] = (
        AuthToken.objects.filter(user=user, expiry__gt=timezone.now())
        .select_related("device")
        .order_by("-created")
    )
    return tokens
