"""A billing export imported in the browser (issue 23): recognised at the upload, its
subscriptions previewed with where they go, imported by the worker into a subscription
source, and the result linking to that source's analytics.

Web tests run in a transaction, so the import task is sent (and, Celery being eager
here, run) only inside ``django_capture_on_commit_callbacks(execute=True)``. The preview
form is posted as a browser posts it (``post_preview``: every field as shown, changed
where the person changes something).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from imports.models import ImportStatus, PaymentImport
from imports.parsing.billing.presets import BILLING_PRESETS
from income.models import BillingSubscription, Customer, IncomeSource
from tests.factories import SourceFactory, category
from tests.web.test_import_pages import form_data, post_preview, preview, skipped_rows, upload

BILLING = Path(__file__).resolve().parents[1] / "imports" / "fixtures" / "billing"
STRIPE = (BILLING / "stripe_subscriptions.csv").read_bytes()
# Ben's yearly subscription (line 3) with an amount no one can read.
BROKEN = STRIPE.replace(b"eur,year,240.00,active", b"eur,year,lots,active")
AMOUNT_ERROR = "Enter the amount as a plain number, like 1234.56 or 1.234,56."
STRIPE_DESCRIPTION = "Stripe subscriptions export (Billing → Subscriptions → Export)"


def stripe_upload(
    client: Client, content: bytes = STRIPE, source_pk: int | str = ""
) -> PaymentImport:
    imported = upload(client, content, source_pk, name="subscriptions.csv")
    assert imported.is_billing
    assert (imported.preset, imported.kind) == ("stripe_subscriptions", "billing")
    return imported


def count(html: str, testid: str) -> int:
    """The figure of the KPI ``testid`` on a page."""
    found = re.search(rf'data-testid="{testid}">\s*(\d+)\s*<', html)
    assert found is not None, testid
    return int(found.group(1))


def target(html: str) -> str:
    """What the preview says about where the customers go, in one line."""
    found = re.search(r'data-testid="billing-target">(.*?)</p>', html, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def source_options(html: str) -> dict[str, str]:
    """The choices of the preview's source select: value → label."""
    select = html.split('name="source"')[1].split("</select>")[0]
    return dict(re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', select))


def errors_table(html: str) -> list[tuple[str, str, str]]:
    table = html.split('data-testid="import-errors"')[1].split("</table>")[0]
    return re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table)


def import_pressed(
    client: Client,
    imported: PaymentImport,
    on_commit: DjangoCaptureOnCommitCallbacks,
    **changes: str | None,
) -> str:
    """Press "Import" on the preview, let the worker run, and read the result page."""
    with on_commit(execute=True):
        response = post_preview(client, imported, "import", **changes)
    assert response.status_code == 302
    assert response["Location"] == reverse("import_detail", args=[imported.pk])
    imported.refresh_from_db()
    result = client.get(reverse("import_detail", args=[imported.pk]))
    assert result.status_code == 200
    return result.content.decode()


# ----------------------------------------------------------------------------- the upload page
def test_the_upload_page_lists_the_billing_presets(client: Client, alice: User) -> None:
    client.force_login(alice)
    html = client.get(reverse("import_upload")).content.decode()
    listed = html.split('data-testid="import-billing-presets"')[1].split("</ul>")[0]
    for product in ("Stripe", "Patreon", "Polar", "Baremetrics"):
        assert listed.count(f"<strong>{product}</strong>") == 1, product
    assert STRIPE_DESCRIPTION in listed
    assert "Patreon members export (Audience → Export CSV)" in listed
    assert "Subscription and member exports" in html
    # The statement presets' list stays the statements'.
    statements = html.split('data-testid="import-presets"')[1].split("</ul>")[0]
    assert STRIPE_DESCRIPTION not in statements


def test_the_billing_presets_are_described_in_german(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    html = client.get(reverse("import_upload")).content.decode()
    assert "Zahlungen importieren" in html
    listed = html.split('data-testid="import-billing-presets"')[1].split("</ul>")[0]
    assert listed.count("<strong>Stripe</strong>") == 1  # a product's name is not translated
    assert listed.count("<strong>Patreon</strong>") == 1
    english = [str(preset.description) for preset in BILLING_PRESETS.values()]
    assert [text for text in english if text in listed] == []
    assert "Subscription and member exports" not in html


# ----------------------------------------------------------------------------- the preview
def test_a_stripe_export_is_previewed_as_subscriptions_for_a_new_source(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    imported = stripe_upload(client)
    html = preview(client, imported)
    assert 'data-layout="billing"' in html
    assert "Recognised as Stripe (subscriptions)" in html
    assert count(html, "count-subscriptions") == 7
    assert count(html, "count-new-subscriptions") == 7
    assert count(html, "count-new-customers") == 6
    assert count(html, "count-skipped") == 1
    assert count(html, "count-errors") == 0
    assert skipped_rows(html) == [(6, "incomplete_expired", "subscription that was never paid")]
    assert target(html) == "A new subscription source “Stripe” is created for these customers."
    rows = html.split('data-testid="import-rows"')[1].split("</table>")[0]
    assert rows.count("<tr>") == 1 + 7  # the head and a row per subscription
    assert "Anna Berg" in rows
    assert "Emil Fahr" not in rows  # the skipped one
    assert 'data-testid="import-button"' in html
    assert 'data-testid="import-button" disabled' not in html
    assert not IncomeSource.objects.filter(owner=alice).exists()  # a preview writes nothing


def test_the_billing_preview_speaks_german(client: Client, alice: User) -> None:
    client.force_login(alice)
    client.cookies["ertrag_language"] = "de"
    imported = stripe_upload(client)
    response = client.get(reverse("import_detail", args=[imported.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Import-Vorschau" in html
    assert "Erkannt als Stripe (subscriptions)" in html
    assert "Vorschau aktualisieren" in html
    assert count(html, "count-subscriptions") == 7
    ((_line, _value, reason),) = skipped_rows(html)
    assert reason != "subscription that was never paid"
    assert "is created for these customers" not in target(html)


def test_one_of_ones_own_subscription_sources_can_be_chosen_and_is_kept(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    mine = SourceFactory.create(owner=alice, name="My SaaS", category=category("saas"))
    imported = stripe_upload(client)
    assert str(mine.pk) in source_options(preview(client, imported))
    response = post_preview(client, imported, "preview", source=str(mine.pk))
    assert response.status_code == 302
    imported.refresh_from_db()
    assert (imported.source, imported.status) == (mine, ImportStatus.UPLOADED)
    html = preview(client, imported)
    assert form_data(html)["source"] == str(mine.pk)
    assert target(html) == "The customers go to “My SaaS”."
    assert count(html, "count-new-customers") == 6
    assert not Customer.objects.exists()


def test_a_source_that_takes_no_customers_or_is_not_yours_is_not_accepted(
    client: Client, alice: User, bob: User
) -> None:
    client.force_login(alice)
    dividends = SourceFactory.create(owner=alice, name="ETF", category=category("etf-dividends"))
    bobs = SourceFactory.create(owner=bob, name="Bob's SaaS", category=category("saas"))
    imported = stripe_upload(client)
    offered = source_options(preview(client, imported))
    assert str(dividends.pk) not in offered
    assert str(bobs.pk) not in offered
    before = PaymentImport.objects.values().get(pk=imported.pk)
    for refused in (dividends, bobs):
        for action in ("preview", "import"):
            response = post_preview(client, imported, action, source=str(refused.pk))
            assert response.status_code == 400, (refused.name, action)
            html = response.content.decode()
            assert 'class="error" id="id_source_error"' in html
            assert PaymentImport.objects.values().get(pk=imported.pk) == before
    assert not Customer.objects.exists()
    assert not IncomeSource.objects.filter(owner=alice).exclude(pk=dividends.pk).exists()


def test_an_export_uploaded_into_a_source_that_takes_no_customers_is_refused(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    dividends = SourceFactory.create(owner=alice, name="ETF", category=category("etf-dividends"))
    response = client.post(
        reverse("import_upload"),
        {"file": SimpleUploadedFile("subscriptions.csv", STRIPE), "source": dividends.pk},
    )
    assert response.status_code == 400
    assert "belong to a subscription source" in response.content.decode()
    assert not PaymentImport.objects.exists()


# ----------------------------------------------------------------------------- the import
def test_importing_creates_the_source_and_the_result_links_to_it(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    imported = stripe_upload(client)
    html = import_pressed(client, imported, django_capture_on_commit_callbacks)
    assert imported.status == ImportStatus.DONE
    created = IncomeSource.objects.get(owner=alice)
    assert (created.name, created.category.slug) == ("Stripe", "saas")
    assert imported.source == created
    assert Customer.objects.filter(source=created).count() == 6
    assert BillingSubscription.objects.filter(customer__source=created).count() == 7
    assert count(html, "count-created") == 7
    assert count(html, "count-updated") == 0
    assert count(html, "count-duplicates") == 0
    assert count(html, "count-skipped") == 1
    assert count(html, "count-rejected") == 0
    assert count(html, "count-sources") == 1
    assert "7 subscriptions imported." in html
    link = reverse("source_detail", args=[created.pk])
    assert re.search(rf'href="{link}"[^>]*data-testid="import-see-customers"', html)
    assert 'data-testid="import-see-payments"' not in html
    assert client.get(link).status_code == 200


def test_the_same_export_again_finds_every_subscription_already_there(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    import_pressed(client, stripe_upload(client), django_capture_on_commit_callbacks)
    stripe = IncomeSource.objects.get(owner=alice)

    again = stripe_upload(client)
    html = preview(client, again)
    assert count(html, "count-subscriptions") == 7
    assert count(html, "count-new-subscriptions") == 0
    assert count(html, "count-new-customers") == 0
    assert target(html) == "The customers go to “Stripe”, where this platform's last import went."
    html = import_pressed(client, again, django_capture_on_commit_callbacks)
    assert (again.status, again.source) == (ImportStatus.DONE, stripe)
    assert count(html, "count-created") == 0
    assert count(html, "count-updated") == 0
    assert count(html, "count-duplicates") == 7
    assert count(html, "count-sources") == 0
    assert "7 subscriptions were already there as the file states them." in html
    assert IncomeSource.objects.filter(owner=alice).count() == 1
    assert BillingSubscription.objects.count() == 7


def test_a_broken_row_is_shown_and_stops_the_whole_file(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    imported = stripe_upload(client, BROKEN)
    html = preview(client, imported)
    assert count(html, "count-subscriptions") == 6
    assert count(html, "count-errors") == 1
    assert errors_table(html) == [("3", "Price per period", AMOUNT_ERROR)]
    assert "Nothing is imported while a row has an error, unless you import the good rows." in html
    assert 'data-testid="import-button" disabled' not in html

    html = import_pressed(client, imported, django_capture_on_commit_callbacks)
    assert (imported.status, imported.created_rows, imported.rejected_rows) == (
        ImportStatus.REJECTED, 0, 1
    )  # fmt: skip
    assert "Nothing was imported: the file has errors." in html
    assert errors_table(html) == [("3", "Price per period", AMOUNT_ERROR)]
    assert 'data-testid="import-see-customers"' not in html
    assert not Customer.objects.exists()
    assert not IncomeSource.objects.filter(owner=alice).exists()


def test_with_the_good_rows_asked_for_they_are_imported_and_the_bad_one_offered(
    client: Client,
    alice: User,
    bob: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    imported = stripe_upload(client, BROKEN)
    html = import_pressed(client, imported, django_capture_on_commit_callbacks, partial="on")
    assert imported.partial
    assert (imported.status, imported.created_rows, imported.rejected_rows) == (
        ImportStatus.DONE, 6, 1
    )  # fmt: skip
    assert count(html, "count-created") == 6
    assert count(html, "count-rejected") == 1
    assert "6 subscriptions imported." in html
    rejected_url = reverse("import_rejected", args=[imported.pk])
    assert f'href="{rejected_url}"' in html
    assert not Customer.objects.filter(external_id="cus_QaB01").exists()
    assert Customer.objects.filter(source=imported.source).count() == 5

    response = client.get(rejected_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("line,reasons,id,Customer ID")
    assert lines[1].startswith(f'3,"{AMOUNT_ERROR}",sub_1PaB01,cus_QaB01,Ben Okafor,')
    assert ",lots," in lines[1]

    client.force_login(bob)
    assert client.get(rejected_url).status_code == 404


def test_bob_cannot_see_or_change_alices_billing_upload(
    client: Client, alice: User, bob: User
) -> None:
    client.force_login(alice)
    imported = stripe_upload(client, BROKEN)
    data = {**form_data(preview(client, imported)), "action": "import"}
    client.force_login(bob)
    assert client.get(reverse("import_detail", args=[imported.pk])).status_code == 404
    assert client.post(reverse("import_detail", args=[imported.pk]), data).status_code == 404
    assert client.get(reverse("import_rejected", args=[imported.pk])).status_code == 404
    assert client.get(reverse("import_status", args=[imported.pk])).status_code == 404
    imported.refresh_from_db()
    assert imported.status == ImportStatus.UPLOADED
