"""German for allauth's own texts speaks as the rest of the app does: "du", never "Sie".

allauth's German catalogue addresses the reader formally; ``locale_allauth/`` replaces
those entries. An allauth upgrade that adds a formal text, or renames one we replace,
fails here rather than slipping a "Sie" onto a page.
"""

from __future__ import annotations

import re
from pathlib import Path

import allauth
import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "locale_allauth" / "de" / "LC_MESSAGES" / "django.po"
ALLAUTH_GERMAN = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
FORMAL = re.compile(r"\b(Sie|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres|Ihnen)\b")


def _texts(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_formal_allauth_text_has_an_informal_replacement() -> None:
    replaced = {entry.msgid for entry in polib.pofile(str(OVERRIDES))}
    formal = [
        entry.msgid
        for entry in polib.pofile(str(ALLAUTH_GERMAN))
        if not entry.obsolete and any(FORMAL.search(text) for text in _texts(entry))
    ]
    assert formal, "allauth's catalogue moved: the check would pass on nothing"
    assert [msgid for msgid in formal if msgid not in replaced] == []


def test_every_replacement_still_exists_in_allauth_and_is_informal() -> None:
    upstream = {entry.msgid for entry in polib.pofile(str(ALLAUTH_GERMAN)) if not entry.obsolete}
    for entry in polib.pofile(str(OVERRIDES)):
        assert entry.msgid in upstream, f"allauth no longer has {entry.msgid!r}"
        for text in _texts(entry):
            assert text, entry.msgid
            assert not FORMAL.search(text), (entry.msgid, text)


def test_the_replacement_is_what_a_german_page_shows() -> None:
    with translation.override("de"):
        assert translation.gettext("Are you sure?") == "Bist du sicher?"
        assert translation.gettext("Your password has been reset.") == (
            "Dein Passwort wurde zurückgesetzt."
        )
