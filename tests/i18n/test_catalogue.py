"""German is complete: every string in the code is in the catalogue, and translated."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.services import missing

ROOT = Path(__file__).resolve().parents[2]
GERMAN = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_every_german_entry_is_translated_and_none_is_fuzzy() -> None:
    catalogue = polib.pofile(str(GERMAN))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in de: {untranslated}"
    assert not fuzzy, f"fuzzy in de: {fuzzy}"


def test_placeholders_survive_translation() -> None:
    for entry in polib.pofile(str(GERMAN)).translated_entries():
        for token in ("%(year)s", "{{ name }}", "{{ gross }}", "{{ net }}", "{{ user }}"):
            assert (token in entry.msgid) == (token in entry.msgstr), (entry.msgid, token)


def test_the_catalogue_holds_every_string_of_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not shutil.which("xgettext"):
        missing("GNU gettext (xgettext) is needed to extract messages: apt-get install gettext")
    # makemessages writes into any locale folder under the working directory, so it
    # runs on a copy of the sources, never on the committed catalogue.
    source = tmp_path / "src"
    folders = (
        "accounts", "config", "finance", "income", "imports", "jobs", "scenarios", "reports",
        "portability", "households", "alerts", "templates",
    )  # fmt: skip
    for folder in folders:
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command(
            "makemessages",
            locale=["de"],
            verbosity=0,
        )
    extracted = {
        entry.msgid for entry in polib.pofile(str(source / "locale/de/LC_MESSAGES/django.po"))
    }
    committed = {entry.msgid for entry in polib.pofile(str(GERMAN))}
    assert not extracted - committed, (
        f"strings missing from locale/de (run `make messages` and translate): "
        f"{sorted(extracted - committed)}"
    )
    assert not committed - extracted, (
        f"obsolete strings in locale/de: {sorted(committed - extracted)}"
    )
