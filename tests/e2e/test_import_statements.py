"""A person imports real statements in a browser, in English and German, on a phone and a desk.

The pages a person sees, photographed (``test-artifacts/import-<page>-<width>-<language>.png``)
for someone to look at, and checked for what a screenshot cannot be trusted to show: the
page does not scroll sideways (``screenshot`` asserts it), and a German page has no English
left on it. Celery is eager here (``tests/conftest.py``): pressing "Import" imports on
the spot, and the page reloads into the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from imports.models import PaymentImport
from imports.parsing.presets import PRESETS
from income.models import IncomeSource, Payment
from tests.e2e.conftest import screenshot
from tests.e2e.language import assert_german
from tests.e2e.steps import log_in
from tests.factories import SourceFactory, UserFactory
from tests.web.test_import_pages import BROKEN, UNKNOWN

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[1] / "imports" / "fixtures"
# What the files and the person wrote: not the page's language.
FILE_TEXT = (
    "Trade Republic", "Realty Income", "Allianz", "Zinsen", "Einlage", "Kauf", "Verkauf",
    "Entnahme", "Dividende", "Steuerrückerstattung", "Kartentransaktion", "My flat",
    "Website-Zahlung", "PayPal", "Notion Budget Planner", "Kontoauszug Musterbank",
)  # fmt: skip


@pytest.fixture(autouse=True)
def _content(shipped_content: None) -> None:
    """The shipped categories: new sources are created in them."""


def choose_file(page: Any, base_url: str, name: str, data: bytes, source: str = "") -> None:
    page.goto(f"{base_url}/imports/new/")
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    if source:
        page.select_option("#id_source", source)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=import-counts]")


def check(page: Any, name: str, language: str, width: int) -> None:
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == language
    if language == "de":
        # A preset's name is a product's name, shown as it is ("…, English").
        names = sorted((*(p.name for p in PRESETS.values()), *FILE_TEXT), key=len, reverse=True)
        assert_german(page, allowed=tuple(names))
    screenshot(page, f"import-{name}-{width}-{language}")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["en", "de"])
def test_statements_are_previewed_and_imported(
    browser: Any, live_server: Any, language: str, width: int
) -> None:
    user = UserFactory.create(language=language)
    flat = SourceFactory.create(owner=user, name="My flat")
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, user.username)

    page.goto(f"{live_server.url}/imports/new/")
    assert page.locator("[data-testid=import-presets] li").count() >= 12
    check(page, "upload", language, width)

    # A broker statement: its securities become sources, its other rows are skipped.
    choose_file(page, live_server.url, "pytr.csv", (FIXTURES / "trade_republic.csv").read_bytes())
    assert page.get_attribute("[data-testid=import-layout]", "data-layout") == "preset"
    assert page.locator("[data-testid=import-sources] select").count() == 3
    check(page, "preview-sources", language, width)
    page.click("[data-testid=import-button]")
    page.wait_for_selector("[data-testid=import-created]")
    assert page.inner_text("[data-testid=count-sources]") == "3"
    check(page, "result", language, width)
    assert Payment.objects.filter(source__owner=user).count() == 7
    assert IncomeSource.objects.filter(owner=user).count() == 4

    # A PayPal report into one source: purchases, conversions and pending rows skipped.
    choose_file(
        page, live_server.url, "paypal.csv", (FIXTURES / "paypal_de.csv").read_bytes(), str(flat.pk)
    )
    assert page.locator("[data-testid=import-skipped] tbody tr").count() > 3
    check(page, "preview-skipped", language, width)

    # A file with a broken row: the good rows imported, the others to download.
    choose_file(page, live_server.url, "umsaetze.csv", BROKEN, str(flat.pk))
    assert page.inner_text("[data-testid=count-errors]") == "1"
    page.check("#id_partial")
    page.click("[data-testid=import-button]")
    page.wait_for_selector("[data-testid=import-rejected-download]")
    assert page.inner_text("[data-testid=count-rejected]") == "1"
    check(page, "result-partial", language, width)
    with page.expect_download() as download:
        page.click("[data-testid=import-rejected-download]")
    rejected = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rejected[1].startswith("3;"), rejected

    # An unknown layout: the mapping step is open.
    choose_file(page, live_server.url, "musterbank.csv", UNKNOWN)
    assert page.locator("[data-testid=import-mapping][open]").count() == 1
    check(page, "preview-mapping", language, width)
    page.fill("#id_header_line", "5")
    page.click("button[name=action][value=preview]")
    page.wait_for_selector("#id_column_date option[value='4']", state="attached")
    page.select_option("#id_column_date", "0")
    page.select_option("#id_column_type", "1")
    page.select_option("#id_column_gross", "2")
    page.select_option("#id_column_source", "3")
    page.click("button[name=action][value=preview]")
    page.wait_for_selector("[data-testid=import-types] select")
    assert page.inner_text("[data-testid=count-payments]") == "2"
    check(page, "preview-mapping-columns", language, width)

    # the source page and the payments page lead to the import
    page.goto(f"{live_server.url}/sources/{flat.pk}/")
    page.click("[data-testid=source-import]")
    page.wait_for_url(f"**/imports/new/?source={flat.pk}")
    assert page.input_value("#id_source") == str(flat.pk)
    page.goto(f"{live_server.url}/payments/")
    check(page, "payments", language, width)
    assert PaymentImport.objects.filter(owner=user).count() == 4
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("language", ["en", "de"])
def test_a_sources_page_offers_its_own_import_and_export(
    browser: Any, live_server: Any, language: str, width: int
) -> None:
    user = UserFactory.create(language=language)
    flat = SourceFactory.create(owner=user, name="My flat")
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    page = context.new_page()
    log_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/sources/{flat.pk}/")
    assert page.get_attribute("[data-testid=source-import]", "href") == (
        f"/imports/new/?source={flat.pk}"
    )
    assert page.get_attribute("[data-testid=source-export]", "href") == (
        f"/exports/payments.csv?source={flat.pk}"
    )
    page.wait_for_load_state("networkidle")
    screenshot(page, f"source-actions-{width}-{language}")
    context.close()
