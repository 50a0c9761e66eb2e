"""Start and stop real ``celery -A config beat`` processes for the integration tests.

Each beat is started as the Procfile starts it, with its settings from the environment;
what it sends is seen on the broker, what it saves in the database.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.integration.workers import CeleryProcess


class BeatProcess(CeleryProcess):
    """One beat process: what it sends is seen on the broker, what it saves in the database."""

    def __init__(self, *, env: dict[str, str], log_path: Path) -> None:
        super().__init__(arguments=["beat", "--loglevel", "INFO"], env=env, log_path=log_path)

    def wait_for_log(self, text: str, *, timeout: float = 60) -> None:
        """Block until the log says ``text``; raise if the beat died or it took too long."""
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"beat never logged {text!r}:\n{self.log()[-4000:]}")
            time.sleep(0.2)

    def sends(self) -> int:
        """How many tasks this beat has sent, by its log."""
        return self.log().count("Sending due task")
