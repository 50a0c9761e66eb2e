"""The body of a help article: plain text from the admin, shown as paragraphs and lists."""

from __future__ import annotations

from itertools import groupby

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

LIST_ITEM = "- "


def _block_html(lines: list[str]) -> str:
    """One block of escaped lines: runs of "- " lines become a list, the rest a paragraph."""
    parts: list[str] = []
    for is_list, run in groupby(lines, key=lambda line: line.startswith(LIST_ITEM)):
        if is_list:
            items = "".join(f"<li>{line.removeprefix(LIST_ITEM).strip()}</li>" for line in run)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "\n".join(run) + "</p>")
    return "".join(parts)


def help_body_html(text: str) -> SafeString:
    """Paragraphs (split by blank lines) and "- " lists, with every character escaped.

    Admins write plain text, never HTML: the text is escaped first, and only the
    tags added here are markup. Line endings of a browser's textarea (CRLF) are
    normalised so a blank line is found either way.
    """
    escaped = str(escape(text)).replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[list[str]] = [[]]
    for raw in escaped.split("\n"):
        line = raw.strip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return mark_safe("".join(_block_html(block) for block in blocks if block))  # noqa: S308


@register.filter
def help_body(text: str) -> SafeString:
    """``{{ article.body|help_body }}``; see ``help_body_html``."""
    return help_body_html(text)
