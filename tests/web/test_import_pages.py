"""Importing a statement in the browser: upload, preview and mapping, import, result.

Pressing "import" queues the file for a worker; the page then shows its progress and
polls the status partial until the import is over. Web tests run in a transaction,
so the task is sent (and, Celery being eager here, run) only inside
``django_capture_on_commit_callbacks(execute=True)``.

The preview form is posted as a browser posts it: every field of the rendered form
with its shown value (``form_data``), changed where the person changes something.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoCaptureOnCommitCallbacks

from imports import jobs, services
from imports.models import ImportMapping, ImportStatus, PaymentImport, SourceAlias
from income.models import IncomeSource, Payment
from income.progress import progress_report
from tests.factories import SourceFactory, category

FIXTURES = Path(__file__).resolve().parents[1] / "imports" / "fixtures"
GERMAN = "Datum;Betrag;Steuer;Notiz\n31.12.2025;1.234,56;185,18;Q4\n".encode("cp1252")
BROKEN = GERMAN + b"31.02.2025;5,00;0;kaputt\n"
# A layout no preset knows: account lines above the header, names no synonym matches,
# a type column, signed amounts and timestamps.
UNKNOWN_HEADER = "Zeitpunkt;Art der Buchung;Euro;Papier;Info"
UNKNOWN = (
    "Kontoauszug Musterbank\n"
    "Konto;DE12 3456 7890\n"
    "Zeitraum;01.01.2024 - 31.03.2024\n"
    "\n"
    f"{UNKNOWN_HEADER}\n"
    "2024-01-05T10:00:00;Gutschrift Ausschüttung;12,50;ETF A;Q4\n"
    "2024-01-10T11:00:00;Einzahlung;500,00;;Sparen\n"
    "2024-01-20T12:15:00;Storno Ausschüttung;-2,00;ETF A;Korrektur\n"
    "2024-02-01T09:30:00;Kauf;-250,00;ETF A;Kauf\n"
    "2024-03-01 08:00:00;Zahlung XY;3,10;ETF B;Sonder\n"
).encode()
UNKNOWN_NEXT = (
    "Kontoauszug Musterbank\n"
    "Zeitraum;01.04.2024 - 30.06.2024\n"
    f"{UNKNOWN_HEADER}\n"
    "2024-04-05T10:00:00;Gutschrift Ausschüttung;13,00;ETF A;Q1\n"
    "2024-05-10T11:00:00;Einzahlung;100,00;;Sparen\n"
    "2024-06-01 08:00:00;Zahlung XY;3,20;ETF B;Sonder\n"
).encode()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class _FormReader(HTMLParser):
    """The fields of one form as a browser submits them (without its buttons)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str] = {}
        self.select: str | None = None
        self.first_option: str | None = None
        self.selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            else:
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self.select, self.first_option, self.selected = name, None, False
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            if self.first_option is None:
                self.first_option = value
            if "selected" in a:
                self.data[self.select], self.selected = value, True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.selected:
                self.data[self.select] = self.first_option or ""
            self.select = None


def form_data(html: str, form_id: str = "import-form") -> dict[str, str]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.data


def upload(
    client: Client, content: bytes, source_pk: int | str = "", name: str = "bank.csv"
) -> PaymentImport:
    response = client.post(
        "/imports/new/", {"file": SimpleUploadedFile(name, content), "source": source_pk}
    )
    assert response.status_code == 302, response.content
    return PaymentImport.objects.latest("pk")


def preview(client: Client, imported: PaymentImport) -> str:
    response = client.get(f"/imports/{imported.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def post_preview(
    client: Client, imported: PaymentImport, action: str = "preview", **changes: Any
) -> Any:
    """The preview form as shown, with ``changes``, submitted by the button ``action``."""
    data: dict[str, Any] = {**form_data(preview(client, imported)), **changes, "action": action}
    return client.post(f"/imports/{imported.pk}/", {k: v for k, v in data.items() if v is not None})


def skipped_rows(html: str) -> list[tuple[int, str, str]]:
    """The skipped rows of a preview: (line, type value, reason as shown)."""
    table = html.split('data-testid="import-skipped"')[1].split("</table>")[0]
    cells = re.findall(
        r'<td>(\d+)</td>\s*<td class="hide-narrow">(.*?)</td>\s*<td>(.*?)(?:<small|</td>)', table
    )
    return [(int(line), value, unescape(reason)) for line, value, reason in cells]


def plan_choices(html: str) -> dict[str, str]:
    """Where the preview sends each source value's rows: ``source:<id>`` or ``category:<slug>``."""
    return {k: v for k, v in form_data(html).items() if k.startswith("plan_")}


def field_named(html: str, label: str) -> str:
    """The name of the type or source select labelled ``label`` (a value of the file)."""
    for name in form_data(html):
        if name.startswith(("type_", "plan_")) and f'<label for="id_{name}">{label}' in html:
            return name
    raise AssertionError(f"no field for {label!r}")


def queued(owner: User, content: bytes = GERMAN) -> PaymentImport:
    """An upload claimed for a worker that has not picked it up (its task is never sent)."""
    source = SourceFactory.create(owner=owner)
    upload = services.payment_import_upload(
        owner=owner, filename="bank.csv", content=content, source=source
    )
    return jobs.payment_import_start(upload=upload)


def running(owner: User) -> PaymentImport:
    upload = queued(owner)
    PaymentImport.objects.filter(pk=upload.pk).update(status=ImportStatus.RUNNING)
    upload.refresh_from_db()
    return upload


# ----------------------------------------------------------------------------- the upload page
def test_it_requires_login(client: Client) -> None:
    assert client.get("/imports/new/").status_code == 302


def test_the_upload_page_lists_the_presets_and_what_happens(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get("/imports/new/").content.decode()
    presets = html.split('data-testid="import-presets"')[1].split("</ul>")[0]
    assert "<strong>Trade Republic</strong>" in presets
    assert "Trade Republic transactions exported with pytr (German); " in presets
    assert presets.count("<strong>PayPal</strong>") == 1
    assert "PayPal activity report (German)" in html
    assert "Interactive Brokers Flex Query: cash transactions" in html
    assert "A payment is never imported twice" in html
    assert "listed with its reason" in html


def test_the_upload_page_speaks_german(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    html = client.get("/imports/new/").content.decode()
    assert "Zahlungen importieren" in html
    assert "Trade-Republic-Umsätze, mit pytr exportiert (deutsch)" in html
    assert "Trade Republic transactions exported" not in html


def test_the_source_in_the_address_is_preselected_if_it_is_yours(
    client: Client, alice: User, bob: User
) -> None:
    client.force_login(alice)
    mine = SourceFactory.create(owner=alice)
    html = client.get(f"/imports/new/?source={mine.pk}").content.decode()
    assert f'<option value="{mine.pk}" selected>' in html
    theirs = SourceFactory.create(owner=bob, name="Bob's flat")
    html = client.get(f"/imports/new/?source={theirs.pk}").content.decode()
    assert "Bob&#x27;s flat" not in html
    assert '<option value="" selected>' in html
    assert client.get("/imports/new/?source=x").status_code == 200


# ----------------------------------------------------------------------------- the preview
def test_a_preset_file_shows_its_name_its_skipped_rows_and_the_sources_to_create(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    imported = upload(client, fixture("trade_republic.csv"), name="pytr.csv")
    html = preview(client, imported)
    assert "Recognised as Trade Republic (pytr)" in html
    assert '<details class="card mapping" data-testid="import-mapping">' in html  # closed
    assert '<span class="kpi-value" data-testid="count-payments">7</span>' in html
    assert '<span class="kpi-value" data-testid="count-skipped">10</span>' in html
    assert skipped_rows(html) == [
        (2, "Einlage", "deposit"),
        (3, "Kauf", "buy"),
        (4, "Kauf", "buy"),
        (5, "Kauf", "buy"),
        (8, "Entnahme", "withdrawal"),
        (13, "Kauf", "buy"),
        (14, "Einlage", "deposit"),
        (16, "Steuerrückerstattung", "tax without an income row to merge into"),
        (17, "Verkauf", "sell"),
        (18, "Entnahme", "withdrawal"),
    ]
    sources = html.split('data-testid="import-sources"')[1].split("</section>")[0]
    for value in ("US7561091049", "DE0008404005", "Trade Republic"):
        assert value in sources
    assert "New source: ETF dividends" in sources
    assert '<br><span class="badge badge-refund">refund</span>' in html  # the reversed dividend
    assert "−€2.44" in html or "-€2.44" in html


def test_a_merged_tax_row_says_into_which_line(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = upload(client, fixture("ibkr_flex_cash.csv"))
    html = preview(client, imported)
    assert any(
        reason.startswith("withholding tax merged into its income row (into line")
        for _line, _value, reason in skipped_rows(html)
    )


def test_importing_a_preset_file_creates_its_sources_and_shows_the_counts(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    imported = upload(client, fixture("trade_republic.csv"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_preview(client, imported, "import")
    assert response.status_code == 302
    imported.refresh_from_db()
    assert (imported.status, imported.created_rows, imported.skipped_rows) == ("done", 7, 10)
    assert imported.created_sources == 3
    created = IncomeSource.objects.filter(owner=alice)
    assert {(source.name, source.category.slug) for source in created} == {
        ("Realty Income", "etf-dividends"),
        ("Allianz", "etf-dividends"),
        ("Trade Republic", "p2p-interest"),  # its interest: savings interest
    }
    html = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "7 payments imported." in html
    assert '<span class="kpi-value" data-testid="count-skipped">10</span>' in html
    assert '<span class="kpi-value" data-testid="count-sources">3</span>' in html
    assert "Download the rejected lines" not in html

    again = upload(client, fixture("trade_republic.csv"))
    assert all(v.startswith("source:") for v in plan_choices(preview(client, again)).values())
    with django_capture_on_commit_callbacks(execute=True):
        post_preview(client, again, "import")
    again.refresh_from_db()
    assert (again.created_rows, again.duplicate_rows, again.created_sources) == (0, 7, 0)
    assert Payment.objects.filter(source__owner=alice).count() == 7


def test_the_rows_of_a_value_go_to_the_source_chosen_for_it(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    realty = SourceFactory.create(owner=alice, name="My Realty Income")
    imported = upload(client, fixture("trade_republic.csv"))
    html = preview(client, imported)
    field = field_named(html, "Realty Income")
    interest = field_named(html, "Trade Republic")
    with django_capture_on_commit_callbacks(execute=True):
        post_preview(
            client, imported, "import",
            **{field: f"source:{realty.pk}", interest: "category:p2p-interest"},
        )  # fmt: skip
    imported.refresh_from_db()
    assert imported.created_rows == 7
    assert Payment.objects.filter(source=realty).count() == 4
    assert IncomeSource.objects.get(owner=alice, name="Trade Republic").category.slug == (
        "p2p-interest"
    )
    assert SourceAlias.objects.get(owner=alice, value="us7561091049").source == realty


def test_a_type_value_switched_to_income_changes_the_preview(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = upload(client, fixture("trade_republic.csv"))
    html = preview(client, imported)
    response = post_preview(client, imported, **{field_named(html, "Einlage"): "income"})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.mapping["types"]["Einlage"] == "income"
    assert imported.mapping["types"]["Dividende"] == "income"  # the preset's others kept
    assert imported.preset == "trade_republic"  # its row rule still applies
    html = preview(client, imported)
    assert "Your mapping, based on Trade Republic (pytr)" in html
    assert '<span class="kpi-value" data-testid="count-payments">9</span>' in html
    assert '<span class="kpi-value" data-testid="count-skipped">8</span>' in html

    assert post_preview(client, imported, "detected").status_code == 302
    imported.refresh_from_db()
    assert imported.mapping == {}
    assert "Recognised as Trade Republic (pytr)" in preview(client, imported)


def test_updating_without_a_change_keeps_the_detected_layout(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = upload(client, fixture("gumroad.csv"))
    assert post_preview(client, imported).status_code == 302
    imported.refresh_from_db()
    assert imported.mapping == {}
    assert "Recognised as Gumroad" in preview(client, imported)


def test_a_bad_value_is_a_400_that_changes_nothing(client: Client, alice: User, bob: User) -> None:
    client.force_login(alice)
    imported = upload(client, fixture("trade_republic.csv"))
    html = preview(client, imported)
    before = PaymentImport.objects.values().get(pk=imported.pk)
    bad = [
        {"column_date": "99"},
        {"number_format": "fr"},
        {"header_line": "0"},
        {field_named(html, "Einlage"): "skip:merged"},
        {field_named(html, "Realty Income"): f"source:{SourceFactory.create(owner=bob).pk}"},
        {field_named(html, "Realty Income"): "category:no-such-category"},
    ]
    for change in bad:
        response = post_preview(client, imported, "import", partial="on", **change)
        assert response.status_code == 400, change
        assert "nothing was changed" in response.content.decode(), change
        assert PaymentImport.objects.values().get(pk=imported.pk) == before, change
    assert Payment.objects.count() == 0


def test_a_file_with_a_broken_row_shows_the_line_and_imports_nothing(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, BROKEN, source.pk)
    html = preview(client, imported)
    assert "Rows with errors" in html
    assert "This date does not exist." in html
    assert "<td>3</td><td>Date</td>" in html
    with django_capture_on_commit_callbacks(execute=True):
        post_preview(client, imported, "import")
    assert Payment.objects.count() == 0
    imported.refresh_from_db()
    assert (imported.status, imported.rejected_rows) == ("rejected", 1)
    html = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "Nothing was imported: the file has errors." in html
    assert f'href="/imports/{imported.pk}/rejected.csv"' in html


def test_a_partial_import_imports_the_good_rows_and_offers_the_others(
    client: Client,
    alice: User,
    bob: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, BROKEN, source.pk)
    with django_capture_on_commit_callbacks(execute=True):
        post_preview(client, imported, "import", partial="on")
    imported.refresh_from_db()
    assert (imported.status, imported.created_rows, imported.rejected_rows) == ("done", 1, 1)
    html = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "1 payment imported." in html
    assert '<span class="kpi-value" data-testid="count-rejected">1</span>' in html
    assert "Download the rejected lines (CSV)" in html

    response = client.get(f"/imports/{imported.pk}/rejected.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "line;reasons;Datum;Betrag;Steuer;Notiz",
        "3;This date does not exist.;31.02.2025;5,00;0;kaputt",
    ]
    client.force_login(bob)
    assert client.get(f"/imports/{imported.pk}/rejected.csv").status_code == 404


def test_a_file_without_a_header_asks_for_the_mapping(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = upload(client, UNKNOWN)
    html = preview(client, imported)
    assert "Unknown layout: check the columns below" in html
    assert '<details class="card mapping" data-testid="import-mapping" open>' in html
    assert "No header row with a date and an amount column was found" in html
    assert 'data-testid="import-button" disabled' in html


def test_a_mapping_saved_for_an_unknown_layout_reads_the_next_file_with_no_step(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    imported = upload(client, UNKNOWN)
    # 1. the header line; its columns are then offered by position
    assert post_preview(client, imported, header_line="5").status_code == 302
    html = preview(client, imported)
    assert '<option value="0">1: Zeitpunkt</option>' in html
    assert '<option value="3">4: Papier</option>' in html
    # 2. the columns; the type column's values are then listed
    columns = {"column_date": "0", "column_type": "1", "column_gross": "2",
               "column_source": "3", "column_note": "4"}  # fmt: skip
    assert post_preview(client, imported, **columns).status_code == 302
    html = preview(client, imported)
    assert (7, "Einzahlung", "deposit") in skipped_rows(html)
    assert '<span class="kpi-value" data-testid="count-payments">2</span>' in html
    # 3. "Zahlung XY" is income too; saved under a name
    response = post_preview(
        client, imported, save_as="Musterbank", **{field_named(html, "Zahlung XY"): "income"}
    )
    assert response.status_code == 302
    saved = ImportMapping.objects.get(owner=alice)
    assert (saved.name, saved.header[:2]) == ("Musterbank", ["Zeitpunkt", "Art der Buchung"])
    html = preview(client, imported)
    assert '<span class="kpi-value" data-testid="count-payments">3</span>' in html
    assert "New source: Other passive income" in html
    with django_capture_on_commit_callbacks(execute=True):
        post_preview(client, imported, "import")
    imported.refresh_from_db()
    assert (imported.status, imported.created_rows, imported.created_sources) == ("done", 3, 2)
    payments = Payment.objects.filter(source__owner=alice).order_by("date")
    assert [(p.date, p.gross, p.source.name) for p in payments] == [
        (date(2024, 1, 5), Decimal("12.50"), "ETF A"),
        (date(2024, 1, 20), Decimal("-2.00"), "ETF A"),
        (date(2024, 3, 1), Decimal("3.10"), "ETF B"),
    ]

    following = upload(client, UNKNOWN_NEXT)
    html = preview(client, following)
    assert "Your saved mapping “Musterbank”" in html
    assert '<details class="card mapping" data-testid="import-mapping">' in html
    assert '<span class="kpi-value" data-testid="count-payments">2</span>' in html
    own = IncomeSource.objects.filter(owner=alice).values_list("pk", flat=True)
    assert sorted(plan_choices(html).values()) == sorted(f"source:{pk}" for pk in own)
    with django_capture_on_commit_callbacks(execute=True):
        post_preview(client, following, "import")
    following.refresh_from_db()
    assert (following.created_rows, following.created_sources) == (2, 0)

    listed = client.get("/imports/new/").content.decode()
    assert "Musterbank" in listed
    assert "Zeitpunkt · Art der Buchung · Euro · Papier · Info" in listed


def test_a_saved_mapping_can_be_deleted_by_its_owner_only(
    client: Client, alice: User, bob: User
) -> None:
    mapping = ImportMapping.objects.create(
        owner=alice, name="Musterbank", signature="x" * 32, header=["A", "B"], options={}
    )
    client.force_login(bob)
    assert client.post(f"/imports/mappings/{mapping.pk}/delete/").status_code == 404
    client.force_login(alice)
    assert client.get(f"/imports/mappings/{mapping.pk}/delete/").status_code == 405
    response = client.post(f"/imports/mappings/{mapping.pk}/delete/", follow=True)
    assert "The mapping “Musterbank” was deleted." in response.content.decode()
    assert not ImportMapping.objects.exists()


def test_the_preview_speaks_german(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    imported = upload(client, fixture("trade_republic.csv"))
    html = preview(client, imported)
    assert "Erkannt als Trade Republic (pytr)" in html
    assert (2, "Einlage", "Einzahlung") in skipped_rows(html)
    assert "Neue Quelle: ETF-Dividenden" in html
    assert "2,38" in html
    source = SourceFactory.create(owner=alice)
    broken = upload(client, BROKEN, source.pk)
    assert "Dieses Datum gibt es nicht." in preview(client, broken)


def test_the_preview_takes_as_many_queries_for_many_rows_as_for_few(
    client: Client, alice: User
) -> None:
    client.force_login(alice)

    def statement(rows: int) -> bytes:
        lines = ["Datum;Typ;Wert;Notiz;ISIN;Stück;Gebühren;Steuern"]
        lines += [f"2024-02-{1 + i % 28:02d}T10:00:00;Dividende;{i + 1},00;Aktie {i};"
                  f"DE{i:010d};1;;" for i in range(rows)]  # fmt: skip
        return "\n".join(lines).encode()

    counts = []
    for rows in (3, 60):
        imported = upload(client, statement(rows))
        with CaptureQueriesContext(connection) as queries:
            preview(client, imported)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# ----------------------------------------------------------------------------- progress
def test_pressing_import_queues_the_file_instead_of_importing_it_at_once(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN, source.pk)
    post_preview(client, imported, "import")
    imported.refresh_from_db()
    assert imported.status == ImportStatus.QUEUED
    assert Payment.objects.count() == 0
    page = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "Waiting for a worker…" in page
    assert '<progress id="import-progress-bar" max="100"' in page
    assert f'hx-get="/imports/{imported.pk}/status/"' in page
    assert 'hx-trigger="every 1s"' in page
    assert 'hx-swap="outerHTML"' in page
    assert f'<a href="/imports/{imported.pk}/" data-testid="import-refresh">Refresh</a>' in page


def test_a_queued_import_is_imported_once_even_if_import_is_pressed_twice(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    source = SourceFactory.create(owner=alice)
    imported = upload(client, GERMAN, source.pk)
    form = {**form_data(preview(client, imported)), "action": "import"}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(f"/imports/{imported.pk}/", form)
        client.post(f"/imports/{imported.pk}/", form)
    # The job's task is sent once; the import's end is announced once (alerts listen).
    assert [c.__qualname__.split(".")[0] for c in callbacks] == [
        "task_send_on_commit",
        "import_ended_announce",
    ]
    assert Payment.objects.count() == 1


def test_the_status_partial_shows_how_far_a_running_import_got(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = running(alice)
    progress_report(
        kind="import", job_id=imported.pk, phase="parse", done=8000, total=19000, start=0, end=50
    )
    response = client.get(f"/imports/{imported.pk}/status/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "HX-Refresh" not in response
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count('<section id="import-progress"') == 1
    assert '<progress id="import-progress-bar" max="100" value="21"' in html
    assert "Importing … 21 % (8,000 of 19,000 rows checked)" in html
    assert 'aria-live="polite"' in html
    assert 'hx-trigger="every 1s"' in html


def test_the_status_partial_tells_the_write_phase_apart(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = running(alice)
    progress_report(
        kind="import", job_id=imported.pk, phase="write", done=4000, total=19000, start=50, end=100
    )
    html = client.get(f"/imports/{imported.pk}/status/").content.decode()
    assert 'value="61"' in html
    assert "Importing … 61 % (4,000 of 19,000 payments saved)" in html


def test_a_running_import_without_progress_yet_shows_an_indeterminate_bar(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    imported = running(alice)
    html = client.get(f"/imports/{imported.pk}/status/").content.decode()
    assert "Importing …" in html
    assert "<progress " in html
    assert "value=" not in html.split("<progress ")[1].split(">")[0]


def test_the_progress_speaks_german_numbers(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    imported = running(alice)
    progress_report(
        kind="import", job_id=imported.pk, phase="parse", done=8000, total=19000, start=0, end=50
    )
    html = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "8.000" in html
    assert "19.000" in html


def test_the_status_partial_asks_for_a_refresh_when_the_import_is_done(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        imported = queued(alice)
    imported.refresh_from_db()
    assert imported.status == ImportStatus.DONE
    response = client.get(f"/imports/{imported.pk}/status/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    html = response.content.decode()
    assert "hx-get" not in html  # nothing polls any more
    assert f'href="/imports/{imported.pk}/"' in html


def test_a_rejected_import_shows_its_errors_after_the_refresh(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        imported = queued(alice, BROKEN)
    response = client.get(f"/imports/{imported.pk}/status/")
    assert response["HX-Refresh"] == "true"
    page = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "Nothing was imported: the file has errors." in page
    assert "This date does not exist." in page
    assert "<td>3</td>" in page


def test_a_failed_import_says_so_without_an_error_table(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = running(alice)
    jobs.payment_import_fail(upload_id=imported.pk, message="The import could not be finished.")
    assert client.get(f"/imports/{imported.pk}/status/")["HX-Refresh"] == "true"
    page = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "The import could not be finished, and nothing was imported." in page
    assert "the file has errors" not in page


def test_the_status_partial_is_for_the_owner_only(client: Client, alice: User, bob: User) -> None:
    imported = running(alice)
    assert client.get(f"/imports/{imported.pk}/status/").status_code == 302  # login first
    client.force_login(bob)
    assert client.get(f"/imports/{imported.pk}/status/").status_code == 404


def test_a_wrong_encoding_is_a_file_error(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = upload(client, "Datum;Betrag\n".encode("utf-16"))
    html = client.get(f"/imports/{imported.pk}/").content.decode()
    assert "The file is not text in UTF-8 or Windows-1252." in html


def test_the_category_of_new_sources_can_be_any_shipped_one(client: Client, alice: User) -> None:
    client.force_login(alice)
    imported = upload(client, fixture("gumroad.csv"))
    html = preview(client, imported)
    for slug in ("online-courses", "licences", "other-passive"):
        assert f'value="category:{slug}"' in html
    assert category("online-courses").name in html
