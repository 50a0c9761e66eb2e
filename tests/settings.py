"""The settings the tests run on: development's (``DJANGO_DEBUG=true``), as ``make run``'s.

Debug is off unless asked for (``config/settings.py``); the tests ask for it here, in
the environment rather than in a setting, so a worker or server process a test starts
inherits the same choice. A test of production's settings starts a process of its own
with ``DJANGO_DEBUG=false`` (tests/platform/test_settings.py).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from config.settings import *  # noqa: F403
