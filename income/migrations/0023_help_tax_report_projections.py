"""The tax report's help article says that projections tax by the same rules (issue 22
item 5): the independence month and the forecasts of the sources.

The paragraph goes before the list of what the report does not do, once: running the
step again (``tests/conftest.py::shipped_content``) finds it there and changes nothing.
"""

from django.db import migrations

SLUG = "tax-report"
BEFORE = ("What the report does not do:", "Was der Bericht nicht macht:")
PARAGRAPH = (
    "Projections use the same rules. The month of financial independence and the "
    "forecasts of your sources tax each source as this report would: capital income at "
    "25 % plus solidarity surcharge and church tax, less its fund type's partial exemption "
    "and a share of the saver's allowance (shared among your capital sources by their "
    "expected income, and spread over the months of each year); rent and business income "
    "at your marginal rate, rent less the building's depreciation. A source with its own "
    "tax rate keeps it, and so does every source while your base currency is "
    "not the euro or no year has tax facts, and rent and business income while no marginal "
    "rate is set. A source that reinvests is taxed on its yield as it accrues; the "
    "Vorabpauschale of an accumulating fund is projected by a scenario taxed as a German "
    "fund.",
    "Prognosen rechnen mit denselben Regeln. Der Monat der finanziellen Unabhängigkeit und "
    "die Prognosen deiner Quellen besteuern jede Quelle so, wie dieser Bericht es täte: "
    "Kapitalerträge mit 25 % plus Solidaritätszuschlag und Kirchensteuer, abzüglich der "
    "Teilfreistellung ihrer Fondsart und eines Anteils am Sparer-Pauschbetrag (nach den "
    "erwarteten Erträgen auf deine Kapitalquellen verteilt und über die Monate jedes Jahres "
    "gestreckt); Mieten und betriebliche Einnahmen mit deinem Grenzsteuersatz, Mieten "
    "abzüglich der Abschreibung des Gebäudes. Eine Quelle mit eigenem Steuersatz behält "
    "ihn, ebenso jede Quelle, solange deine Basiswährung nicht der Euro "
    "ist oder kein Jahr Steuerdaten hat, und Mieten und betriebliche Einnahmen, solange kein "
    "Grenzsteuersatz eingestellt ist. Eine Quelle, die wieder anlegt, wird auf ihren Ertrag "
    "besteuert, wie er anfällt; die Vorabpauschale eines thesaurierenden Fonds prognostiziert "
    "ein Szenario, das als deutscher Fonds besteuert wird.",
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    article = apps.get_model("income", "HelpArticle").objects.filter(slug=SLUG).first()
    if article is None:
        return
    for field, before, paragraph in (
        ("body_en", BEFORE[0], PARAGRAPH[0]),
        ("body_de", BEFORE[1], PARAGRAPH[1]),
    ):
        body = getattr(article, field)
        if paragraph not in body:
            head, marker, tail = body.partition(before)
            body = f"{head}{paragraph}\n\n{marker}{tail}" if marker else f"{body}\n\n{paragraph}"
            setattr(article, field, body)
    article.save(update_fields=["body_en", "body_de"])


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    article = apps.get_model("income", "HelpArticle").objects.filter(slug=SLUG).first()
    if article is None:
        return
    article.body_en = article.body_en.replace(f"{PARAGRAPH[0]}\n\n", "")
    article.body_de = article.body_de.replace(f"{PARAGRAPH[1]}\n\n", "")
    article.save(update_fields=["body_en", "body_de"])


class Migration(migrations.Migration):
    dependencies = [("income", "0022_fund_type_labels_and_units")]
    operations = [migrations.RunPython(forwards, backwards)]
