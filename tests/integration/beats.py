"""Start and stop real ``celery -A config beat`` processes for the integration tests.

Each beat is started as the Procfile starts it, with its settings from the environment;
what it sends is seen on the broker, what it saves in the database.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import IO

from tests.integration.workers import CELERY, ROOT


class BeatProcess:
    """One beat process with its log file; ``stop`` ends it politely, ``kill`` does not."""

    def __init__(self, *, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log: IO[str] = log_path.open("a")
        self.process = subprocess.Popen(
            [CELERY, "-A", "config", "beat", "--loglevel", "INFO"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

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

    def kill(self) -> None:
        """SIGKILL: nothing saved, the lease not handed back, as when a machine dies."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)
        if not self._log.closed:
            self._log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        if not self._log.closed:
            self._log.close()
