"""``PaymentImport`` comes over from ``income`` (see ``income.0011_move_payment_import``).

The model is created in this app's state only, on the table it has always had
(``db_table``), so the database schema is not touched. Its content type follows it, so
the admin's permissions and change history of uploads keep pointing at the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODEL = "paymentimport"


def _content_type_move(*, old: str, new: str):
    """Relabel the model's content type from app ``old`` to ``new``, unless ``new`` has one."""

    def move(apps, schema_editor):
        content_types = apps.get_model("contenttypes", "ContentType").objects.using(
            schema_editor.connection.alias
        )
        if not content_types.filter(app_label=new, model=MODEL).exists():
            content_types.filter(app_label=old, model=MODEL).update(app_label=new)

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("income", "0011_move_payment_import"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PaymentImport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("filename", models.CharField(max_length=255, verbose_name="file name")),
                        ("content", models.BinaryField(verbose_name="content")),
                        (
                            "mapping",
                            models.JSONField(
                                blank=True, default=dict, verbose_name="column mapping"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("uploaded", "Uploaded"),
                                    ("queued", "Waiting for a worker"),
                                    ("running", "Importing"),
                                    ("done", "Imported"),
                                    ("rejected", "Rejected"),
                                    ("failed", "Failed"),
                                ],
                                default="uploaded",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "created_rows",
                            models.PositiveIntegerField(default=0, verbose_name="rows imported"),
                        ),
                        (
                            "duplicate_rows",
                            models.PositiveIntegerField(
                                default=0, verbose_name="rows already there"
                            ),
                        ),
                        (
                            "errors",
                            models.JSONField(blank=True, default=list, verbose_name="errors"),
                        ),
                        (
                            "total_rows",
                            models.PositiveIntegerField(default=0, verbose_name="rows in the file"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="uploaded"),
                        ),
                        (
                            "started_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="started"),
                        ),
                        (
                            "finished_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="finished"),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="payment_imports",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "source",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="imports",
                                to="income.incomesource",
                                verbose_name="default source",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "payment import",
                        "verbose_name_plural": "payment imports",
                        "db_table": "income_paymentimport",
                        "ordering": ("-created_at", "-pk"),
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            _content_type_move(old="income", new="imports"),
            _content_type_move(old="imports", new="income"),
        ),
    ]
