"""The German help articles address the reader as "du", lowercase, as the interface does.

The seed text (migration 0008) capitalised the pronouns ("Du", "Deine"). Admins may have
edited an article since: only a text still exactly as shipped is changed.
"""

import importlib
import re

from django.db import migrations

PRONOUN = re.compile(r"(?<=[^.!?:\n] )(Du|Dein\w*|Dir|Dich)\b")
FIELDS = ("title_de", "summary_de", "body_de")


def shipped():  # type: ignore[no-untyped-def]
    seed = importlib.import_module("income.migrations.0008_seed_help_articles")
    for slug, _title_en, title_de, _summary_en, summary_de, _body_en, body_de in seed.ARTICLES:
        yield slug, dict(zip(FIELDS, (title_de, summary_de, body_de), strict=True))


def lowercase(text: str) -> str:
    return PRONOUN.sub(lambda match: match.group(1).lower(), text)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    article_model = apps.get_model("income", "HelpArticle")
    for slug, texts in shipped():
        for field, text in texts.items():
            article_model.objects.filter(slug=slug, **{field: text}).update(
                **{field: lowercase(text)}
            )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    article_model = apps.get_model("income", "HelpArticle")
    for slug, texts in shipped():
        for field, text in texts.items():
            article_model.objects.filter(slug=slug, **{field: lowercase(text)}).update(
                **{field: text}
            )


class Migration(migrations.Migration):
    dependencies = [("income", "0008_seed_help_articles")]
    operations = [migrations.RunPython(forwards, backwards)]
