"""The import help article says how billing exports come in (issue 23): which platforms'
exports are recognised, where their customers go, and what a later export changes.

The paragraph goes before the mapping step's paragraph, once: running the step again
(``tests/conftest.py::shipped_content``) finds it there and changes nothing. An article
an administrator rewrote without that paragraph gets it at its end.
"""

from django.db import migrations

SLUG = "importing-statements"
BEFORE = (
    "Any other file works through the mapping step",
    "Jede andere Datei geht über die Zuordnung",
)
PARAGRAPH = (
    "Billing exports bring a subscription source's customers in, for its MRR movements, "
    "churn, retention and cohorts: Stripe's subscriptions export (Billing → Subscriptions "
    "→ Export), Patreon's members export (also the older one with amounts in dollars), "
    "Polar's subscriptions export and Baremetrics' CSV import template (for any other "
    "platform). They are recognised by their header as well. The customers go to the "
    "subscription source you choose, else to the one the platform's last export went to, "
    "else to a new source named after the platform. What the file states wins: a later "
    "export records the cancellations and price changes of the subscriptions you have and "
    "adds the new ones, never twice; customers it does not list are kept. Subscriptions "
    "that were never paid and free members are skipped and listed.",
    "Abrechnungsexporte bringen die Kunden einer Abo-Quelle herein, für ihre "
    "MRR-Bewegungen, Churn, Bindung und Kohorten: der Aboexport von Stripe (Billing → "
    "Subscriptions → Export), der Mitgliederexport von Patreon (auch der ältere mit "
    "Beträgen in Dollar), der Aboexport von Polar und die CSV-Importvorlage von Baremetrics "
    "(für jede andere Plattform). Auch sie erkennt Ertrag an ihrer Kopfzeile. Die Kunden "
    "kommen zu der Abo-Quelle, die du wählst, sonst zu der, wohin der letzte Export der "
    "Plattform ging, sonst zu einer neuen Quelle mit dem Namen der Plattform. Was die Datei "
    "sagt, gilt: Ein späterer Export trägt die Kündigungen und Preisänderungen deiner Abos "
    "ein und fügt die neuen hinzu, nie doppelt; Kunden, die er nicht nennt, bleiben. Nie "
    "bezahlte Abos und kostenlose Mitglieder werden übersprungen und aufgelistet.",
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
    dependencies = [("imports", "0009_import_updated_rows")]

    operations = [migrations.RunPython(forwards, backwards)]
