"""What the admin shows of a leased job (issue 25): the status a person can trust.

A job whose worker died stays ``running`` in its row until the watchdog hands it on;
support reading "Computing" or "Importing" there would wait for a dead process. Every
job kind's admin mixes this in, so all three say "Waiting for a worker" the moment the
lease has passed, as the pages and the API do. Not a registered app: nothing here is
discovered, only imported by the apps' own ``admin`` modules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobs.leases import QUEUED, job_stalled, jobs_lease


class LeasedJobStatusAdmin:
    """Adds ``status_now`` for ``list_display`` and ``readonly_fields``."""

    @admin.display(description=_("status"), ordering="status")
    def status_now(self, job: Any) -> str:
        if job_stalled(job, now=timezone.now(), lease=jobs_lease()):
            return str(dict(job._meta.get_field("status").flatchoices)[QUEUED])
        return str(job.get_status_display())
