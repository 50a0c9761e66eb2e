"""Steps the browser tests share: what a person does, in the order they do it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.factories import PASSWORD


def log_in(page: Any, base_url: str, username: str, *, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def fill_seed_example(page: Any) -> None:
    """The seed calculator's worked example, typed as a person types it (rates in percent)."""
    page.fill("#id_initial_investment", "10000")
    page.fill("#id_annual_return", "5")
    page.fill("#id_investment_period", "10")
    page.fill("#id_tax_rate", "15")
    page.fill("#id_additional_income", "1000")


def wait_for_charts(page: Any) -> None:
    """Chart.js has drawn every chart of the page (the canvases alone would be there without it)."""
    page.wait_for_function(
        "() => { const all = [...document.querySelectorAll('canvas[data-chart-source]')];"
        " return all.length > 0 && window.Chart"
        " && all.every(c => Chart.getChart(c) !== undefined); }"
    )


def german_csv(rows: int, *, first: date = date(2015, 1, 1), days: int = 3650) -> bytes:
    """A German bank export: ``;``, ``31.12.2025``, ``1.234,56``, Windows-1252; no row twice.

    The rows' dates cycle through ``days`` days from ``first``.
    """
    lines = ["Datum;Betrag;Steuer;Notiz"]
    for i in range(rows):
        day = first + timedelta(days=i % days)
        euros = f"{1000 + i % 9000:,}".replace(",", ".")
        lines.append(f"{day:%d.%m.%Y};{euros},{i % 100:02d};{i % 90},50;Zahlung {i + 1}")
    return ("\n".join(lines) + "\n").encode("cp1252")


def upload_and_preview(page: Any, base_url: str, source_pk: int, data: bytes) -> None:
    """Choose the file and the source; the preview page shows the rows and the import button."""
    page.goto(f"{base_url}/imports/new/")
    page.set_input_files(
        "#id_file", files=[{"name": "umsaetze.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.select_option("#id_source", str(source_pk))
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=import-button]")
