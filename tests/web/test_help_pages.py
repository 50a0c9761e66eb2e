"""/help/: the seed's glossary as admin-editable articles, linked from the forms."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from income.models import HelpArticle


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


def german(client: Client) -> Client:
    client.cookies["ertrag_language"] = "de"
    return client


def html_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_index_lists_the_shipped_articles_without_an_account(client: Client, db: None) -> None:
    html = html_of(client, "/help/")
    assert html.count("<h1>") == 1
    for slug in (
        "passive-income",
        "passive-examples",
        "active-examples",
        "solopreneurs",
        "passive-is-not-without-work",
        "key-figures",
    ):
        assert f'href="/help/{slug}/"' in html, slug
    assert "What counts as passive income" in html
    assert "without much further time from you" in html  # the summary


def test_the_index_is_in_german_with_the_german_ui(client: Client, db: None) -> None:
    html = html_of(german(client), "/help/")
    assert '<html lang="de"' in html
    assert "Was als passives Einkommen zählt" in html
    assert ">What counts as passive income</a>" not in html


def test_an_article_shows_its_body_as_paragraphs_and_a_list(client: Client, db: None) -> None:
    html = html_of(client, "/help/passive-examples/")
    assert html.count("<h1>") == 1
    assert "<h1>Examples of passive income</h1>" in html
    assert "<ul><li>dividends from equity ETFs</li>" in html
    assert "<p>Even these sources take some work" in html


def test_an_article_in_german(client: Client, db: None) -> None:
    html = html_of(german(client), "/help/passive-is-not-without-work/")
    assert "<h1>Passiv heißt nicht ohne Arbeit</h1>" in html
    assert "„Passiv“ bedeutet nicht „ohne Arbeit“" in html
    assert "<li>die Pflegestunden pro Monat und die laufenden Kosten</li>" in html


def test_the_nav_links_to_help_and_marks_it_current(client: Client, db: None) -> None:
    html = html_of(client, "/help/key-figures/")
    assert re.search(r'<a href="/help/" aria-current="page">Help</a>', html)
    assert 'href="/help/"' in html_of(client, "/calculator/")


def test_an_unknown_article_is_404(client: Client, db: None) -> None:
    assert client.get("/help/no-such-article/").status_code == 404


def test_an_unpublished_article_is_404_and_not_listed(client: Client, db: None) -> None:
    HelpArticle.objects.filter(slug="solopreneurs").update(is_published=False)
    assert client.get("/help/solopreneurs/").status_code == 404
    assert 'href="/help/solopreneurs/"' not in html_of(client, "/help/")


def test_html_from_the_admin_is_shown_escaped(client: Client, db: None) -> None:
    HelpArticle.objects.create(
        slug="danger",
        title_en="<b>Bold</b> title",
        title_de="Titel",
        summary_en="Summary <i>x</i>",
        summary_de="Zusammenfassung",
        body_en="Hello <script>alert(1)</script> & bye\n\n- item <img src=x onerror=alert(1)>",
        body_de="Hallo",
    )
    html = html_of(client, "/help/danger/")
    assert "<script>alert(1)</script>" not in html
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt; &amp; bye" in html
    assert "<li>item &lt;img src=x onerror=alert(1)&gt;</li>" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html
    assert "<b>Bold</b>" not in html


def test_an_admin_edit_shows_on_the_page_at_once(admin_client: Client) -> None:
    article = HelpArticle.objects.get(slug="passive-income")
    html_of(german(admin_client), "/help/passive-income/")  # seen before the edit
    url = reverse("admin:income_helparticle_change", args=[article.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "slug": article.slug,
            "is_published": "on",
            "sort_order": "0",
            "title_en": article.title_en,
            "summary_en": article.summary_en,
            "body_en": article.body_en,
            "title_de": article.title_de,
            "summary_de": article.summary_de,
            "body_de": "Neu geschrieben.\r\n\r\n- erster Punkt\r\n- zweiter Punkt",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = html_of(admin_client, "/help/passive-income/")
    assert "<p>Neu geschrieben.</p><ul><li>erster Punkt</li><li>zweiter Punkt</li></ul>" in html


def test_the_admin_lists_and_searches_articles(admin_client: Client) -> None:
    assert admin_client.get("/admin/income/helparticle/").status_code == 200
    found = admin_client.get("/admin/income/helparticle/?q=churn").content.decode()
    assert "key-figures" in found


def test_the_source_form_links_to_the_help_it_needs(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = html_of(client, "/sources/new/")
    assert 'href="/help/passive-income/"' in html
    assert 'href="/help/passive-is-not-without-work/"' in html


def test_settings_and_calculator_link_to_help(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert 'href="/help/passive-is-not-without-work/"' in html_of(client, "/settings/")
    calculator = html_of(client, "/calculator/")
    assert 'href="/help/key-figures/"' in calculator
    assert 'href="/help/passive-income/"' in calculator


def test_the_german_articles_say_du_in_lowercase_as_the_interface_does(db: None) -> None:
    mid_sentence = re.compile(r"[^.!?:\n] (Du|Dein\w*|Dir|Dich)\b")
    for article in HelpArticle.objects.all():
        for text in (article.title_de, article.summary_de, article.body_de):
            assert not mid_sentence.search(text), (article.slug, mid_sentence.search(text))
    work = HelpArticle.objects.get(slug="passive-is-not-without-work")
    assert work.body_de.startswith("Lass dich nicht blenden")


def test_the_lowercase_migration_leaves_an_article_an_admin_edited_alone(db: None) -> None:
    import importlib

    from django.apps import apps

    shipped = importlib.import_module("income.migrations.0008_seed_help_articles")
    lowercase = importlib.import_module("income.migrations.0009_help_articles_lowercase_du")
    shipped.forwards(apps, None)  # the capitalised seed text again
    HelpArticle.objects.filter(slug="solopreneurs").update(body_de="Von Hand, mit Dein und Dich.")
    lowercase.forwards(apps, None)
    assert HelpArticle.objects.get(slug="solopreneurs").body_de == "Von Hand, mit Dein und Dich."
    assert "Lass dich" in HelpArticle.objects.get(slug="passive-is-not-without-work").body_de
