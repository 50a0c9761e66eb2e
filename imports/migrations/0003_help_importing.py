"""A help article on importing statements: the layouts recognised, and what happens to a row.

The list of layouts is the presets' of this release (``imports.parsing.presets``); the
import page lists them from the code, so a later preset shows there at once, and an
admin can edit this article. ``update_or_create`` makes the step safe to run again
(tests re-run it after a flush, see ``tests/conftest.py::shipped_content``).
"""

from django.db import migrations

SLUG = "importing-statements"
TITLE = ("Importing statements", "Kontoauszüge und Exporte importieren")
SUMMARY = (
    "Upload the file your bank, broker or platform lets you download, as it is: Ertrag "
    "finds the income rows and skips the rest.",
    "Lade die Datei hoch, die deine Bank, dein Broker oder deine Plattform zum Download "
    "anbietet, so wie sie ist: Ertrag findet die Einnahmen und überspringt den Rest.",
)
BODY_EN = """Go to Payments → Import, or use Import on a source's page to send every row to that source. You see a preview before anything is saved.

These layouts are recognised by their header and need no mapping:
- Trade Republic (the CSV of the community exporter pytr, German and English)
- Scalable Capital (broker transactions export)
- comdirect, ING and DKB (current account exports, with the account lines above the header)
- PayPal activity report and statement (German and English)
- Interactive Brokers Flex query: cash transactions
- DEGIRO account statement (German, English, Dutch)
- Stripe (balance change from activity, and the older all-transactions export)
- Gumroad sales export
- Amazon KDP royalties (Combined Sales sheet and Prior Months' Royalties, saved as CSV)
- Mintos and Bondora account statements

What happens to the rows:
- Income rows (dividends, interest, rent, royalties, sales) become payments. Deposits, buys, sells, transfers, fees, debits, totals and pending rows are skipped, and the preview lists each with its reason.
- Withholding tax on its own row is merged into its dividend as tax withheld.
- A refund or chargeback is a payment with a negative amount on its own date: it reduces the income of its month.
- Amounts with more than two decimals are rounded half up to the cent, with a warning.
- Each row goes to the source its security, product or payer names. A missing source is created (you can choose its category, or an existing source, in the preview), and Ertrag remembers the choice for the next file.
- Importing the same statement twice, or two that overlap, never doubles a payment.

Any other file works through the mapping step: choose the header line, which column holds what (by position, so a column without a name works too), which type values are income, the number format and date order, and what a negative amount means. Save the mapping, and the next file with the same header imports with no step.

By default a file with an error imports nothing. Tick "Import the good rows" to import the rows without errors and download the others as a list with their reasons."""
BODY_DE = """Geh zu Zahlungen → Importieren, oder nutze Importieren auf der Seite einer Quelle, damit jede Zeile an diese Quelle geht. Du siehst eine Vorschau, bevor etwas gespeichert wird.

Diese Formate erkennt Ertrag an ihrer Kopfzeile, ohne Zuordnung:
- Trade Republic (die CSV des Community-Exporters pytr, deutsch und englisch)
- Scalable Capital (Transaktionsexport des Brokers)
- comdirect, ING und DKB (Girokonto-Exporte, mit den Kontozeilen über der Kopfzeile)
- PayPal-Aktivitätenbericht und -Kontoauszug (deutsch und englisch)
- Interactive Brokers Flex Query: Cash-Transaktionen
- DEGIRO-Kontoauszug (deutsch, englisch, niederländisch)
- Stripe (Balance change from activity und der ältere Export aller Transaktionen)
- Gumroad-Verkaufsexport
- Amazon KDP Tantiemen (Tabelle Combined Sales und Prior Months' Royalties, als CSV gespeichert)
- Kontoauszüge von Mintos und Bondora

Was mit den Zeilen passiert:
- Einnahmen (Dividenden, Zinsen, Miete, Tantiemen, Produktverkäufe) werden zu Zahlungen. Einzahlungen, Wertpapierkäufe und -verkäufe, Überträge, Gebühren, Lastschriften, Summen und vorgemerkte Zeilen werden übersprungen, und die Vorschau zeigt jede mit ihrem Grund.
- Quellensteuer in einer eigenen Zeile wird als einbehaltene Steuer mit ihrer Dividende zusammengeführt.
- Eine Erstattung oder Rückbuchung ist eine Zahlung mit negativem Betrag an ihrem eigenen Datum: Sie mindert die Einnahmen ihres Monats.
- Beträge mit mehr als zwei Nachkommastellen werden kaufmännisch auf den Cent gerundet, mit einem Hinweis.
- Jede Zeile geht an die Quelle, die ihr Wertpapier, Produkt oder Zahler nennt. Fehlt die Quelle, wird sie angelegt (in der Vorschau kannst du ihre Kategorie oder eine bestehende Quelle wählen), und Ertrag merkt sich die Wahl für die nächste Datei.
- Derselbe Auszug zweimal oder zwei, die sich überschneiden, verdoppeln nie eine Zahlung.

Jede andere Datei geht über die Zuordnung: Wähle die Kopfzeile, welche Spalte was enthält (nach Position, so geht auch eine Spalte ohne Namen), welche Typen Einnahmen sind, Zahlenformat und Datumsreihenfolge und was ein negativer Betrag bedeutet. Speichere die Zuordnung, und die nächste Datei mit derselben Kopfzeile wird ohne Schritt importiert.

Standardmäßig importiert eine Datei mit einem Fehler nichts. Wähle „Fehlerfreie Zeilen importieren“, um die Zeilen ohne Fehler zu importieren und die übrigen mit ihren Gründen als Liste herunterzuladen."""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("income", "HelpArticle").objects.update_or_create(
        slug=SLUG,
        defaults={
            "title_en": TITLE[0],
            "title_de": TITLE[1],
            "summary_en": SUMMARY[0],
            "summary_de": SUMMARY[1],
            "body_en": BODY_EN,
            "body_de": BODY_DE,
            "sort_order": 50,
            "is_published": True,
        },
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("income", "HelpArticle").objects.filter(slug=SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [("imports", "0002_statements"), ("income", "0009_help_articles_lowercase_du")]
    operations = [migrations.RunPython(forwards, backwards)]
