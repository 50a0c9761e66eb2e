"""Statements in (PRODUCT.md §8): every preset file imports with no step, to the right
sources; a statement twice or two overlapping ones add nothing twice; the sources a file
names are created once and remembered; a saved mapping reads the next file by itself;
"import the good rows" keeps them and lists the others."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from imports import services, writing
from imports.models import ImportMapping, SourceAlias
from imports.parsing.presets import PRESETS
from imports.sources import alias_key
from income.models import IncomeSource, Payment
from tests.factories import SourceFactory

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = sorted(FIXTURES.glob("*.expected.json"))


def booked(owner: User) -> Counter[tuple[object, ...]]:
    """Every payment of ``owner`` with the value that named its source."""
    alias = {a.source_id: a.value for a in SourceAlias.objects.filter(owner=owner)}
    return Counter(
        (p.date.isoformat(), str(p.gross), str(p.tax_withheld), str(p.fees), p.currency,
         alias[p.source_id])
        for p in Payment.objects.filter(source__owner=owner)
    )  # fmt: skip


@pytest.mark.parametrize("path", EXPECTED, ids=[p.name.split(".")[0] for p in EXPECTED])
def test_a_preset_file_imports_with_no_mapping_step(alice: User, path: Path) -> None:
    expected = json.loads(path.read_text())
    summary = writing.payments_import(
        owner=alice, data=path.with_suffix("").with_suffix(".csv").read_bytes()
    )

    assert summary.reading.preset is not None
    assert summary.reading.preset.key == expected["preset"]
    assert summary.created == len(expected["payments"])
    assert booked(alice) == Counter(
        (p["date"], p["gross"], p["tax_withheld"], p["fees"], p["currency"],
         alias_key(p["source"]))
        for p in expected["payments"]
    )  # fmt: skip
    preset = PRESETS[expected["preset"]]
    platform = alias_key(preset.options.source_fallback or "")
    for source in IncomeSource.objects.filter(owner=alice).select_related("category"):
        own_rows = SourceAlias.objects.get(source=source).value != platform
        wanted = preset.category if own_rows else (preset.fallback_category or preset.category)
        assert source.category.slug == wanted, source.name
    assert summary.created_sources == IncomeSource.objects.filter(owner=alice).count()


def test_a_statement_twice_adds_nothing(alice: User) -> None:
    data = (FIXTURES / "trade_republic.csv").read_bytes()
    first = writing.payments_import(owner=alice, data=data)
    again = writing.payments_import(owner=alice, data=data)
    assert first.created > 0
    assert (again.created, again.duplicates, again.created_sources) == (0, first.created, 0)


@pytest.mark.parametrize("key", ["trade_republic", "ibkr_flex_cash", "paypal_de", "dkb"])
def test_two_overlapping_statements_add_nothing_twice(alice: User, bob: User, key: str) -> None:
    """The rows of the middle third are in both files; each payment is booked once."""
    lines = (FIXTURES / f"{key}.csv").read_bytes().splitlines(keepends=True)
    header_at = json.loads((FIXTURES / f"{key}.expected.json").read_text())["header_line"]
    head, rows = lines[:header_at], lines[header_at:]
    third = len(rows) // 3
    early = b"".join(head + rows[: 2 * third])
    late = b"".join(head + rows[third:])

    writing.payments_import(owner=alice, data=early)
    writing.payments_import(owner=alice, data=late)
    writing.payments_import(owner=bob, data=b"".join(lines))

    assert booked(alice) == booked(bob)


def test_sources_are_created_once_and_remembered_by_their_value(alice: User) -> None:
    data = (FIXTURES / "trade_republic.csv").read_bytes()
    writing.payments_import(owner=alice, data=data)
    sources = {s.pk: s for s in IncomeSource.objects.filter(owner=alice)}
    for source in sources.values():
        source.name = f"renamed {source.pk}"
        source.save()
    Payment.objects.all().delete()

    again = writing.payments_import(owner=alice, data=data)

    assert again.created_sources == 0
    assert set(IncomeSource.objects.filter(owner=alice).values_list("pk", flat=True)) == set(
        sources
    )


def test_a_source_chosen_in_the_preview_receives_its_rows(alice: User) -> None:
    flat = SourceFactory.create(owner=alice, name="Flat Leipzig")
    data = (FIXTURES / "dkb.csv").read_bytes()
    expected = json.loads((FIXTURES / "dkb.expected.json").read_text())
    payer = expected["payments"][0]["source"]

    writing.payments_import(owner=alice, data=data, sources={alias_key(payer): {"source": flat.pk}})

    rows = sum(1 for p in expected["payments"] if p["source"] == payer)
    assert Payment.objects.filter(source=flat).count() == rows
    assert SourceAlias.objects.get(owner=alice, value=alias_key(payer)).source == flat


def test_a_category_chosen_in_the_preview_is_the_new_sources(alice: User) -> None:
    data = (FIXTURES / "dkb.csv").read_bytes()
    payer = json.loads((FIXTURES / "dkb.expected.json").read_text())["payments"][0]["source"]
    writing.payments_import(
        owner=alice, data=data, sources={alias_key(payer): {"category": "rent"}}
    )
    assert IncomeSource.objects.get(owner=alice, name=payer).category.slug == "rent"


UNKNOWN_LAYOUT = (
    "Kontoauszug Tagesgeld Musterbank\n"
    "Konto;DE00 1234 5678 9012 3456 78\n"
    "Erstellt;2025-07-01T08:00:00\n"
    "\n"
    "Zeitpunkt;Vorfall;Gegenpartei;Summe EUR;Info\n"
    "2025-06-30T23:59:59;Zinsgutschrift;Musterbank;12,3456;Zinsen Juni\n"
    "2025-06-15T10:00:00;Überweisung;Ich;-500,00;Sparen\n"
    "2025-06-01T09:12:00;Mieteingang;Jana Wolff;750,00;Miete Juni\n"
    "2025-05-31T23:59:59;Zinsgutschrift;Musterbank;11,50;Zinsen Mai\n"
)
MAPPING: dict[str, Any] = {
    "columns": {"date": 0, "type": 1, "source": 2, "gross": 3, "note": 4},
    "guess": False,
    "types": {"Zinsgutschrift": "income", "Mieteingang": "income", "Überweisung": "skip:transfer"},
}


def test_an_unknown_layout_imports_through_the_mapping_and_the_saved_mapping_reads_the_next(
    alice: User,
) -> None:
    upload = services.payment_import_upload(
        owner=alice, filename="tagesgeld.csv", content=UNKNOWN_LAYOUT.encode(), source=None
    )
    services.payment_import_configure(
        upload=upload, source=None, mapping=MAPPING, save_as="Musterbank Tagesgeld"
    )
    preview = services.payment_import_preview(upload=upload)
    assert preview.result.ok
    assert [(s.line, s.reason) for s in preview.result.skipped] == [(7, "transfer")]
    summary = writing.payments_import(
        owner=alice, data=UNKNOWN_LAYOUT.encode(), mapping=upload.mapping
    )
    assert summary.created == 3
    interest = Payment.objects.get(date="2025-06-30")
    assert interest.gross == Decimal("12.35")  # 12,3456 rounded half up, with a warning
    assert summary.result.warnings

    saved = ImportMapping.objects.get(owner=alice)
    assert saved.name == "Musterbank Tagesgeld"
    next_month = UNKNOWN_LAYOUT.replace("Erstellt;2025-07-01T08:00:00\n", "").replace(
        "2025-06", "2025-07"
    )
    later = writing.payments_import(owner=alice, data=next_month.encode())
    assert later.reading.saved == saved
    assert later.created == 2  # the July rows; May's interest was imported before
    assert Payment.objects.filter(date__month=7).count() == 2


def test_the_good_rows_are_imported_on_request_and_the_others_listed(alice: User) -> None:
    source = SourceFactory.create(owner=alice)
    data = "Datum;Betrag;Notiz\n31.12.2025;10,00;gut\n31.13.2025;5,00;kaputt\n01.12.2025;7,00;gut\n"

    with pytest.raises(writing.ImportRejected):
        writing.payments_import(owner=alice, data=data.encode(), source=source)
    assert Payment.objects.count() == 0

    summary = writing.payments_import(owner=alice, data=data.encode(), source=source, partial=True)
    assert (summary.created, summary.rejected) == (2, 1)
    upload = services.payment_import_upload(
        owner=alice, filename="x.csv", content=data.encode(), source=source
    )
    rejected = services.payment_import_rejected_lines(upload=upload)
    assert rejected.splitlines() == [
        "line;reasons;Datum;Betrag;Notiz",
        "3;This date does not exist.;31.13.2025;5,00;kaputt",
    ]
