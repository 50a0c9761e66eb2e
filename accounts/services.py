"""Account writes that are ours, not django-allauth's: the profile made at sign-up."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from income.models import Profile


@transaction.atomic
def signup_profile_create(*, user: User, language: str, base_currency: str) -> Profile:
    """The new user's profile, in the language they signed up in.

    allauth saves the user; the profile (base currency, language) is ours, so it is made
    here, validated like every row (``full_clean``). A language the site does not offer
    falls back to the default rather than failing a sign-up.
    """
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    profile, _created = Profile.objects.get_or_create(user=user)
    profile.language = language
    profile.base_currency = base_currency
    profile.full_clean()
    profile.save()
    return profile
