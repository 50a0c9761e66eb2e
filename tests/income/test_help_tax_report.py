"""The help article the tax report links to ("What this report is and is not"), as the
data migration ``0021_help_tax_report`` ships it."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from income.models import HelpArticle

SLUG = "tax-report"


def html_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.usefixtures("shipped_content")
def test_the_shipped_article_is_published_in_both_languages() -> None:
    article = HelpArticle.objects.get(slug=SLUG)
    assert article.is_published
    for text in (
        article.title_en,
        article.title_de,
        article.summary_en,
        article.summary_de,
        article.body_en,
        article.body_de,
    ):
        assert text.strip()
    assert article.title_en != article.title_de
    assert article.body_en != article.body_de


@pytest.mark.usefixtures("shipped_content")
def test_the_report_page_links_to_the_article() -> None:
    assert reverse("help_article", args=[SLUG]) == "/help/tax-report/"


@pytest.mark.usefixtures("shipped_content")
def test_the_article_renders_in_english(client: Client) -> None:
    html = html_of(client, "/help/tax-report/")
    assert "<h1>The tax report: what it is and is not</h1>" in html
    assert "It is not tax advice, not a tax return" in html
    assert "<li>losses and loss pots (Verlustverrechnung)</li>" in html
    assert "&quot;of which foreign tax&quot;" in html
    assert 'href="/help/tax-report/"' in html_of(client, "/help/")


@pytest.mark.usefixtures("shipped_content")
def test_the_article_renders_in_german(client: Client) -> None:
    client.cookies["ertrag_language"] = "de"
    html = html_of(client, "/help/tax-report/")
    assert '<html lang="de"' in html
    assert "<h1>Der Steuerbericht: was er ist und was nicht</h1>" in html
    assert "keine Steuerberatung und keine Steuererklärung" in html
    assert "<li>Verluste und Verlusttöpfe (Verlustverrechnung)</li>" in html
    assert "„davon ausländische Steuer“" in html
    assert "The tax report: what it is and is not" not in html


@pytest.mark.usefixtures("shipped_content")
def test_the_german_text_says_du_in_lowercase() -> None:
    article = HelpArticle.objects.get(slug=SLUG)
    mid_sentence = re.compile(r"[^.!?:\n] (Du|Dein\w*|Dir|Dich)\b")
    for text in (article.title_de, article.summary_de, article.body_de):
        assert not mid_sentence.search(text), mid_sentence.search(text)
    assert " du " in article.body_de


@pytest.mark.usefixtures("shipped_content")
def test_running_the_migration_again_keeps_one_article() -> None:
    migration = importlib.import_module("income.migrations.0021_help_tax_report")
    migration.forwards(apps, None)
    assert HelpArticle.objects.filter(slug=SLUG).count() == 1


@pytest.mark.usefixtures("shipped_content")
def test_the_article_says_projections_tax_by_the_same_rules_once(client: Client) -> None:
    step = importlib.import_module("income.migrations.0023_help_tax_report_projections")
    step.forwards(apps, None)  # again: the paragraph is there once
    article = HelpArticle.objects.get(slug=SLUG)
    for body, paragraph, before in (
        (article.body_en, step.PARAGRAPH[0], "What the report does not do:"),
        (article.body_de, step.PARAGRAPH[1], "Was der Bericht nicht macht:"),
    ):
        assert body.count(paragraph) == 1
        assert body.index(paragraph) < body.index(before)
    assert "Projections use the same rules." in html_of(client, "/help/tax-report/")
    client.cookies["ertrag_language"] = "de"
    assert "Prognosen rechnen mit denselben Regeln." in html_of(client, "/help/tax-report/")
