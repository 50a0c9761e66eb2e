"""The Celery app, configured from Django settings under the ``CELERY_`` namespace.

Shape taken from cookiecutter-django's ``config/celery_app.py``. Tasks are found in
each installed app's ``tasks.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("ertrag")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
