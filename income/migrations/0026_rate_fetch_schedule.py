"""The daily fetch of the ECB's reference rates in django-celery-beat (issue 24): on
working days at 16:30 Frankfurt time, after the ECB publishes the day's rates (about
16:00), so admins see and change it in the admin; removing the migration removes it.
The first run, with no rate stored, fetches the whole history."""

from django.db import migrations

NAME = "Exchange rates: fetch the ECB's reference rates"
TASK = "income.tasks.ecb_rates_fetch"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="16",
        day_of_month="*",
        day_of_week="1-5",
        month_of_year="*",
        timezone="Europe/Berlin",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "crontab": crontab, "enabled": True}
    )


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("income", "0025_rate_fetch"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
