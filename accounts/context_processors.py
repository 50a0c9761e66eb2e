"""What every page needs to know about accounts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def signup(request: HttpRequest) -> dict[str, bool]:
    """Whether to offer sign-up at all (``SIGNUP_OPEN``): a closed server shows no button."""
    return {"SIGNUP_OPEN": bool(settings.SIGNUP_OPEN)}
