"""A category keeps its chart colour whatever the language (issue 18: colours swapped
between English and German because the series were coloured by their place in a list
sorted by translated name)."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.factories import PaymentFactory, SourceFactory, category


def _colors(client: Client, language: str) -> dict[str, int]:
    client.cookies["ertrag_language"] = language
    html = client.get("/dashboard/").content.decode()
    match = re.search(r'id="by-category-data"[^>]*>(.*?)</script>', html, re.S)
    assert match
    return {set_["label"]: set_["color"] for set_ in json.loads(match.group(1))["datasets"]}


def test_a_category_has_the_same_colour_in_english_and_german(client: Client, alice: User) -> None:
    today = timezone.localdate()
    # Sorted by translated name the three series stand in another order in each language.
    for slug, amount in (("rent", "750"), ("etf-dividends", "120"), ("licences", "80")):
        source = SourceFactory.create(
            owner=alice, category=category(slug), start_date=date(2020, 1, 1)
        )
        PaymentFactory.create(source=source, date=today.replace(day=1), gross=Decimal(amount))
    client.force_login(alice)
    english, german = _colors(client, "en"), _colors(client, "de")
    by_slug_en = {
        slug: english[category(slug).name_en] for slug in ("rent", "etf-dividends", "licences")
    }
    by_slug_de = {
        slug: german[category(slug).name_de] for slug in ("rent", "etf-dividends", "licences")
    }
    assert by_slug_en == by_slug_de
    assert len(set(by_slug_en.values())) == 3
