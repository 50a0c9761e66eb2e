"""The import help article says how billing exports come in (issue 23), once, in both
languages, before the mapping step's paragraph."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from income.models import HelpArticle

pytestmark = pytest.mark.django_db

STEP = importlib.import_module("imports.migrations.0010_help_importing_billing")


def test_the_shipped_article_explains_billing_exports_in_both_languages() -> None:
    article = HelpArticle.objects.get(slug="importing-statements")
    english, german = STEP.PARAGRAPH
    assert english in article.body_en
    assert german in article.body_de
    assert article.body_en.index(english) < article.body_en.index(STEP.BEFORE[0])
    assert article.body_de.index(german) < article.body_de.index(STEP.BEFORE[1])
    STEP.forwards(apps, None)  # again: nothing doubles
    article.refresh_from_db()
    assert article.body_en.count(english) == 1
    assert article.body_de.count(german) == 1


def test_an_article_rewritten_without_the_mapping_paragraph_gets_it_at_its_end() -> None:
    HelpArticle.objects.filter(slug="importing-statements").update(
        body_en="Our own words.", body_de="Unsere eigenen Worte."
    )
    STEP.forwards(apps, None)
    article = HelpArticle.objects.get(slug="importing-statements")
    assert article.body_en == f"Our own words.\n\n{STEP.PARAGRAPH[0]}"
    assert article.body_de == f"Unsere eigenen Worte.\n\n{STEP.PARAGRAPH[1]}"
