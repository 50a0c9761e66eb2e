"""Ship the tax facts of 2023–2026 (issue 22, item 1), as ``finance.tax.facts.KNOWN_FACTS``
writes them with their sources; the values are copied here so this migration never
changes when the code does.

- saver's allowance 1,000 € single, 2,000 € joint (§20 (9) EStG, from 2023);
- capital-gains tax 25 %, solidarity surcharge 5.5 % of it, church tax 8 % or 9 %;
- Basiszins (§18 (4) InvStG): 2023 2.55 %, 2024 2.29 %, 2025 2.53 %, 2026 3.20 %;
- partial exemption (§20 InvStG): equity 30 %, mixed 15 %, real estate 60 %, foreign
  real estate 80 %;
- Kleinunternehmer (§19 UStG): 22,000 € / 50,000 € (a forecast) in 2023 and 2024,
  25,000 € / 100,000 € (crossing it ends the status) from 2025;
- treaty rate on portfolio dividends 15 % for the countries listed.

Idempotent (``update_or_create``), so ``tests/conftest.py``'s ``shipped_content`` can
run it again after a flush; backwards removes the years it ships.
"""

from decimal import Decimal

from django.db import migrations

BASISZINS = {
    2023: Decimal("0.0255"),
    2024: Decimal("0.0229"),
    2025: Decimal("0.0253"),
    2026: Decimal("0.0320"),
}
TREATY_COUNTRIES = (
    "AT", "CA", "CH", "DK", "ES", "FI", "FR", "GB", "IE", "IT", "JP", "NL", "NO", "SE", "US"
)  # fmt: skip
TREATY_RATE = Decimal("0.15")


def _facts(year: int) -> dict[str, object]:
    from_2025 = year >= 2025
    return {
        "saver_allowance_single": Decimal("1000.00"),
        "saver_allowance_joint": Decimal("2000.00"),
        "basiszins": BASISZINS[year],
        "capital_gains_tax_rate": Decimal("0.25"),
        "solidarity_rate": Decimal("0.055"),
        "church_tax_rate_reduced": Decimal("0.08"),
        "church_tax_rate": Decimal("0.09"),
        "partial_exemption_equity": Decimal("0.30"),
        "partial_exemption_mixed": Decimal("0.15"),
        "partial_exemption_real_estate": Decimal("0.60"),
        "partial_exemption_foreign_real_estate": Decimal("0.80"),
        "kleinunternehmer_previous_year_limit": Decimal("25000.00" if from_2025 else "22000.00"),
        "kleinunternehmer_current_year_limit": Decimal("100000.00" if from_2025 else "50000.00"),
        "kleinunternehmer_current_limit_ends_status": from_2025,
    }


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    tax_year_model = apps.get_model("income", "TaxYear")
    treaty_rate_model = apps.get_model("income", "TreatyRate")
    for year in BASISZINS:
        tax_year, _created = tax_year_model.objects.update_or_create(
            year=year, defaults=_facts(year)
        )
        for country in TREATY_COUNTRIES:
            treaty_rate_model.objects.update_or_create(
                tax_year=tax_year, country=country, defaults={"rate": TREATY_RATE}
            )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("income", "TaxYear").objects.filter(year__in=list(BASISZINS)).delete()


class Migration(migrations.Migration):
    dependencies = [("income", "0017_tax_years_and_profile_tax_settings")]
    operations = [migrations.RunPython(forwards, backwards)]
