"""The import help article says how foreign and German tax are told apart (issue 22).

Each sentence is replaced where the article still has it as shipped (``0003``); an
article an administrator has rewritten keeps their words. Safe to run again.
"""

from django.db import migrations

SLUG = "importing-statements"
REPLACEMENTS = {
    "body_en": (
        (
            "- Withholding tax on its own row is merged into its dividend as tax withheld.",
            "- Withholding tax on its own row is merged into its dividend as tax withheld. "
            "Where the file tells it apart, the source country's withholding (Quellensteuer, "
            "the withholding tax of Interactive Brokers and DEGIRO, Mintos' tax withholding) "
            "is recorded as its foreign tax, and Kapitalertragsteuer, solidarity surcharge "
            "and church tax as German tax. Where a file gives one tax amount (Trade "
            "Republic, Scalable Capital), all of it counts as German tax; you can split it "
            "on the payment.",
        ),
        (
            "which column holds what (by position, so a column without a name works too)",
            "which column holds what (by position, so a column without a name works too; "
            "a column with the foreign part of the tax, too)",
        ),
    ),
    "body_de": (
        (
            "- Quellensteuer in einer eigenen Zeile wird als einbehaltene Steuer mit ihrer "
            "Dividende zusammengeführt.",
            "- Quellensteuer in einer eigenen Zeile wird als einbehaltene Steuer mit ihrer "
            "Dividende zusammengeführt. Wo die Datei sie unterscheidet, wird die Steuer des "
            "Quellenlands (Quellensteuer, die Quellensteuer von Interactive Brokers und "
            "DEGIRO, der Steuereinbehalt von Mintos) als ausländische Steuer erfasst, "
            "Kapitalertragsteuer, Solidaritätszuschlag und Kirchensteuer als deutsche "
            "Steuer. Nennt eine Datei nur einen Steuerbetrag (Trade Republic, Scalable "
            "Capital), zählt er ganz als deutsche Steuer; du kannst ihn an der Zahlung "
            "aufteilen.",
        ),
        (
            "welche Spalte was enthält (nach Position, so geht auch eine Spalte ohne Namen)",
            "welche Spalte was enthält (nach Position, so geht auch eine Spalte ohne Namen; "
            "auch eine Spalte mit dem ausländischen Teil der Steuer)",
        ),
    ),
}


def forwards(apps, schema_editor):
    article_model = apps.get_model("income", "HelpArticle")
    article = article_model.objects.filter(slug=SLUG).first()
    if article is None:
        return
    for field, pairs in REPLACEMENTS.items():
        text = getattr(article, field)
        for old, new in pairs:
            if new not in text:
                text = text.replace(old, new)
        setattr(article, field, text)
    article.save(update_fields=list(REPLACEMENTS))


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0007_verbose_names"),
        ("income", "0021_help_tax_report"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
