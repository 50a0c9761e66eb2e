"""GET /api/v1/help/: the help articles for mobile apps, public, in the caller's language."""

from __future__ import annotations

from rest_framework.test import APIClient

from income.models import HelpArticle


def test_the_list_is_public_and_in_english(api_client: APIClient, db: None) -> None:
    response = api_client.get("/api/v1/help/?limit=100")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["slug"] for row in rows][:2] == ["passive-income", "passive-examples"]
    first = rows[0]
    assert set(first) == {"slug", "title", "summary", "body", "updated_at"}
    assert first["title"] == "What counts as passive income"


def test_the_list_in_german(api_client: APIClient, db: None) -> None:
    rows = api_client.get("/api/v1/help/?limit=100", HTTP_ACCEPT_LANGUAGE="de").json()["results"]
    titles = {row["slug"]: row["title"] for row in rows}
    assert titles["solopreneurs"] == "Was zu Solopreneuren passt"


def test_an_article_by_slug_in_both_languages(api_client: APIClient, db: None) -> None:
    english = api_client.get("/api/v1/help/key-figures/").json()
    assert english["title"] == "Key figures: MRR, ROI and churn"
    assert "- Churn rate:" in english["body"]  # plain text, as the admin wrote it
    german = api_client.get("/api/v1/help/key-figures/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert german["title"] == "Kennzahlen: MRR, ROI und Churn"
    assert "Churn-Rate" in german["body"]


def test_an_unpublished_or_unknown_article_is_404(api_client: APIClient, db: None) -> None:
    HelpArticle.objects.filter(slug="solopreneurs").update(is_published=False)
    assert api_client.get("/api/v1/help/solopreneurs/").status_code == 404
    assert api_client.get("/api/v1/help/nope/").status_code == 404
    slugs = [row["slug"] for row in api_client.get("/api/v1/help/?limit=100").json()["results"]]
    assert "solopreneurs" not in slugs


def test_it_is_read_only(api_client: APIClient, db: None) -> None:
    assert api_client.post("/api/v1/help/", {"slug": "x"}, format="json").status_code == 405
    assert api_client.delete("/api/v1/help/key-figures/").status_code == 405
