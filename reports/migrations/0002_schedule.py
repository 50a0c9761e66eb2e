"""The report schedule in django-celery-beat, so admins see and change it in the admin.

Times are in the project's time zone (``CELERY_TIMEZONE``): the nightly sweep at 02:30,
the month-end close at 00:30 on the first of each month, the weekly digest on Monday
at 07:00. Removing the migration removes exactly these entries.
"""

from django.conf import settings
from django.db import migrations

SCHEDULE = [
    # name, task, (minute, hour, day_of_month, day_of_week)
    ("Reports: nightly sweep", "reports.tasks.report_sweep", ("30", "2", "*", "*")),
    ("Reports: month-end close", "reports.tasks.report_month_end_close", ("30", "0", "1", "*")),
    ("Reports: weekly digest", "reports.tasks.digest_send_weekly", ("0", "7", "*", "1")),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day_of_month, day_of_week) in SCHEDULE:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            day_of_week=day_of_week,
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "enabled": True}
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _task, _when in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
