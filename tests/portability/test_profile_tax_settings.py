"""The profile's tax settings (issue 22, item 1) travel with a user's data: the export
writes them, the import puts them back, the schema types them."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from rest_framework import serializers

from income import services
from portability.schema import EXPORT_ROWS, IMPORT_ROWS
from portability.services.export import account_document, account_export
from portability.services.importing import account_import
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("shipped_content")

TAX_SETTINGS = ("filing_status", "church_tax_rate", "marginal_tax_rate")


def _settings(user: User) -> tuple[object, ...]:
    user.profile.refresh_from_db()
    return tuple(getattr(user.profile, name) for name in TAX_SETTINGS)


@pytest.mark.parametrize(
    ("settings", "written"),
    [
        (
            {
                "filing_status": "joint",
                "church_tax_rate": Decimal("0.08"),
                "marginal_tax_rate": None,
            },
            {"filing_status": "joint", "church_tax_rate": "0.08", "marginal_tax_rate": None},
        ),
        (
            {"church_tax_rate": Decimal("0.09"), "marginal_tax_rate": Decimal("0.4245")},
            {"filing_status": "single", "church_tax_rate": "0.09", "marginal_tax_rate": "0.424500"},
        ),
    ],
)
def test_the_tax_settings_survive_the_round_trip(
    alice: User, settings: dict[str, object], written: dict[str, object]
) -> None:
    services.profile_update(user=alice, **settings)
    document = json.loads(json.dumps(account_document(user=alice)))  # through real JSON
    assert {name: document["profile"][name] for name in TAX_SETTINGS} == written
    fresh = UserFactory.create(username="neu")
    account_import(user=fresh, document=document)
    assert _settings(fresh) == _settings(alice)


def test_the_profile_csv_has_the_tax_settings(alice: User) -> None:
    services.profile_update(user=alice, church_tax_rate=Decimal("0.09"), language="de")
    archive = zipfile.ZipFile(io.BytesIO(account_export(user=alice)))
    header, row = archive.read("profile.csv").decode("utf-8-sig").splitlines()[:2]
    columns = dict(zip(header.split(";"), row.split(";"), strict=True))
    assert columns["church_tax_rate"] == "0,09"
    assert columns["filing_status"] == "single"
    assert columns["marginal_tax_rate"] == ""


def test_the_schema_types_the_tax_settings() -> None:
    for rows in (EXPORT_ROWS, IMPORT_ROWS):
        fields = rows["profile"]().fields
        church, filing = fields["church_tax_rate"], fields["filing_status"]
        assert isinstance(church, serializers.ChoiceField)
        assert isinstance(filing, serializers.ChoiceField)
        assert list(church.choices) == ["0.00", "0.08", "0.09"]
        assert list(filing.choices) == ["single", "joint"]
        assert fields["marginal_tax_rate"].allow_null
