"""A person who picks a file over the upload limit sees why, and nothing is kept
(issue 19, finding 5: the server refuses it before reading the body)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from config.uploads import FORM_OVERHEAD
from imports.models import PaymentImport
from tests.e2e.conftest import screenshot
from tests.e2e.steps import log_in
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True)
@override_settings(IMPORT_MAX_BYTES=2**20)
def test_a_statement_over_the_limit_is_refused_with_a_page_that_says_so(
    page: Any, live_server: Any
) -> None:
    UserFactory.create(username="dana")
    log_in(page, live_server.url, "dana")
    page.goto(f"{live_server.url}/imports/new/")
    data = b"Datum;Betrag\n" + b"01.02.2024;12,50\n" * ((2**20 + FORM_OVERHEAD) // 17 + 10)
    page.set_input_files(
        "#id_file", files=[{"name": "big.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=upload-too-large]")
    assert "larger than 1 MB" in page.inner_text("main")
    screenshot(page, "upload-too-large-1280-en")
    page.click("[data-testid=upload-too-large] a[role=button]")
    page.wait_for_url(f"{live_server.url}/imports/new/")
    assert not PaymentImport.objects.exists()
