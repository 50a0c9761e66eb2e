"""Help and glossary articles (admin content): public, like the calculator."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from income import selectors
from income.definitions import GROUPS
from income.models import HelpArticle


def help_index(request: HttpRequest) -> HttpResponse:
    return render(request, "income/help/index.html", {"articles": selectors.help_article_list()})


def help_figures(request: HttpRequest) -> HttpResponse:
    """The page "How every figure is computed": ``income.definitions``, linked from labels."""
    return render(request, "income/help/figures.html", {"groups": GROUPS})


def help_article(request: HttpRequest, slug: str) -> HttpResponse:
    """One article; read on every request, so an admin's edit shows at once."""
    try:
        article = selectors.help_article_get(slug=slug)
    except HelpArticle.DoesNotExist as missing:
        raise Http404 from missing
    return render(request, "income/help/article.html", {"article": article})
