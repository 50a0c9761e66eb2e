"""The app's settings, plus what only the benchmarks need.

- ``ROOT_URLCONF``: the app's URLs and the constant-JSON baseline view of the API bench
  (``bench._urls``); the app's own URL configuration stays as it is.
- ``CELERY_TASK_DEFAULT_QUEUE``: the bench's workers listen on a queue of their own, and
  the fan-out tasks they send (``chunks`` of a sweep) go to it too.
- ``STATIC_ROOT`` from ``BENCH_STATIC_ROOT`` when set: a bench that renders pages under
  gunicorn collects the static files (the manifest the production storage reads) into a
  folder of its own, not into the checkout's ``var/static``.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench._urls"
CELERY_TASK_DEFAULT_QUEUE = "ertrag-bench"
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
