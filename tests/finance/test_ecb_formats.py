"""The ECB's reference rates read from every form the ECB publishes them in (issue 24):
the daily and history XML, the CSVs and their zips, and nothing that could make the
reader expand or wait."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from finance.ecb_rates import MAX_UNZIPPED, EcbFileError, EcbRate, parse_ecb_file

FILES = Path(__file__).resolve().parents[1] / "income" / "fixtures" / "ecb"
KNOWN = {"USD", "JPY", "GBP", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK"}


def read(name: str) -> list[EcbRate]:
    return parse_ecb_file((FILES / name).read_bytes(), currencies=KNOWN)


def test_the_daily_xml() -> None:
    rates = read("eurofxref-daily.xml")
    assert {(r.day, r.currency, r.rate) for r in rates} == {
        (date(2026, 12, 4), "USD", Decimal("1.1000")),
        (date(2026, 12, 4), "JPY", Decimal("160.00")),
        (date(2026, 12, 4), "GBP", Decimal("0.85000")),
        (date(2026, 12, 4), "CHF", Decimal("0.9400")),
    }  # ISK is no currency of ours


def test_the_zipped_history_csv_skips_the_days_without_a_quote() -> None:
    rates = read("eurofxref-hist.zip")
    assert len(rates) == 3 * 11
    assert {r.day for r in rates} == {date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)}
    usd = sorted((r.day, r.rate) for r in rates if r.currency == "USD")
    assert usd[0] == (date(2026, 12, 1), Decimal("1.0700"))


def test_the_zipped_daily_csv_with_its_spelled_out_date() -> None:
    rates = read("eurofxref.zip")
    assert {r.day for r in rates} == {date(2026, 12, 4)}
    assert {r.currency for r in rates} == KNOWN


def test_the_plain_csv_reads_as_its_zip_does() -> None:
    assert read("eurofxref-hist.csv") == read("eurofxref-hist.zip")


def test_xml_with_a_document_type_is_refused_before_it_is_parsed() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Cube><Cube time="2026-12-04">'
        b'<Cube currency="USD" rate="&lol2;"/></Cube></Cube>'
    )
    with pytest.raises(EcbFileError, match="document type"):
        parse_ecb_file(bomb, currencies=KNOWN)


def test_a_zip_that_unpacks_past_the_bound_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("eurofxref-hist.csv", b"Date,USD\n" + b"0" * (MAX_UNZIPPED + 10))
    assert len(buffer.getvalue()) < 100_000  # small on the wire
    with pytest.raises(EcbFileError, match="larger"):
        parse_ecb_file(buffer.getvalue(), currencies=KNOWN)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>Maintenance</body></html>",
        b"<Cube></Cube>",
        b"PK\x03\x04broken",
        b"Date,USD\n2026-12-04,-1\n",
        b"Datum;USD\n",
    ],
    ids=["an html page", "xml without a day", "a broken zip", "a negative rate", "no Date"],
)
def test_a_file_that_is_not_the_ecbs_is_an_error(data: bytes) -> None:
    with pytest.raises(EcbFileError):
        parse_ecb_file(data, currencies=KNOWN)
