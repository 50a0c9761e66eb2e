"""``{% figure_label "average_month" %}``: a figure's label, linked to its definition."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from income.definitions import FIGURES

register = template.Library()


@register.simple_tag
def figure_label(key: str, text: str = "") -> SafeString:
    """The label (or ``text``) as a link to the figure's entry on the help page.

    The definition is the link's title too, so a pointer shows it without leaving the
    page; the link is for touch screens and for reading it whole. An unknown key is a
    ``KeyError``: a typo in a template fails its test instead of showing nothing.
    """
    figure = FIGURES[key]
    return format_html(
        '<a class="figure-label" href="{}#{}" title="{}">{}</a>',
        reverse("help_figures"),
        figure.anchor,
        figure.definition,
        text or figure.label,
    )
