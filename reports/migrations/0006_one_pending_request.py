"""One pending requested recompute per user (issue 19, forced recomputes without limit).

Before the constraint, a user's extra pending requests (all but the newest) are failed:
they were duplicates of the one left, which still runs.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

DUPLICATE = "A newer request of the same user replaced this one."


def fail_duplicates(apps, schema_editor):
    RecomputeJob = apps.get_model("reports", "RecomputeJob")
    pending = RecomputeJob.objects.filter(reason="request", status__in=("queued", "running"))
    newest: dict[int, int] = {}
    for job_id, owner_id in pending.order_by("owner_id", "-pk").values_list("pk", "owner_id"):
        newest.setdefault(owner_id, job_id)
    pending.exclude(pk__in=newest.values()).update(
        status="failed", error=DUPLICATE, finished_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_report_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(fail_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="recomputejob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("reason", "request"), ("status__in", ("queued", "running"))),
                fields=("owner",),
                name="recompute_one_pending_request_per_owner",
            ),
        ),
    ]
