"""Say where each shipped category's income goes in the yearly tax report (issue 22).

Dividends and interest are capital income under the Abgeltungsteuer; day trading's
gains are too (§20 (2) EStG). Rent is Anlage V. Royalties, affiliate and advertising
revenue, courses, memberships, SaaS, freelance work and consulting are a creator's or
freelancer's business income (§§15, 18 EStG). A salary is employment income, which the
report leaves to the employer's payroll. A category an administrator added keeps "not
in the report" until they choose.
"""

from django.db import migrations

TREATMENTS = {
    "etf-dividends": "dividend",
    "p2p-interest": "interest",
    "day-trading": "other_capital",
    "rent": "rent",
    "licences": "business",
    "affiliate": "business",
    "advertising": "business",
    "online-courses": "business",
    "membership": "business",
    "saas": "business",
    "other-passive": "business",
    "freelance": "business",
    "consulting": "business",
    "salary": "employment",
}


def forwards(apps, schema_editor):
    category = apps.get_model("income", "IncomeCategory")
    for slug, treatment in TREATMENTS.items():
        category.objects.filter(slug=slug).update(tax_treatment=treatment)


class Migration(migrations.Migration):
    dependencies = [("income", "0019_tax_records")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
