"""The import help article says how the import tells foreign from German tax (issue 22),
and an article an administrator rewrote keeps their words."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from income.models import HelpArticle

pytestmark = pytest.mark.django_db

STEP = importlib.import_module("imports.migrations.0008_help_importing_foreign_tax")


def test_the_shipped_article_names_the_foreign_tax_in_both_languages() -> None:
    article = HelpArticle.objects.get(slug="importing-statements")
    assert "recorded as its foreign tax" in article.body_en
    assert "als ausländische Steuer erfasst" in article.body_de
    STEP.forwards(apps, None)  # again: nothing doubles
    article.refresh_from_db()
    assert article.body_en.count("recorded as its foreign tax") == 1
    assert article.body_de.count("auch eine Spalte mit dem ausländischen Teil") == 1


def test_an_article_an_administrator_rewrote_is_left_as_it_is() -> None:
    HelpArticle.objects.filter(slug="importing-statements").update(
        body_en="Our own words.", body_de="Unsere eigenen Worte."
    )
    STEP.forwards(apps, None)
    article = HelpArticle.objects.get(slug="importing-statements")
    assert (article.body_en, article.body_de) == ("Our own words.", "Unsere eigenen Worte.")
