"""Start and stop real ``celery -A config worker`` processes for the integration tests.

Each worker is started as ``make run`` starts one, in its own process with its settings
from the environment; tests talk to it only through the broker and the database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


class CeleryProcess:
    """One ``celery -A config …`` process with its log file, started as ``make run``
    starts it, its settings from the environment; ``stop`` ends it politely, ``kill``
    does not."""

    def __init__(self, *, arguments: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log: IO[str] = log_path.open("a")
        self.process = subprocess.Popen(
            [CELERY, "-A", "config", *arguments],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def kill(self) -> None:
        """SIGKILL: no clean-up, no acknowledgement, nothing handed back, as when a
        machine dies."""
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


class WorkerProcess(CeleryProcess):
    """One worker process (``-P solo``): tests talk to it only through the broker and
    the database."""

    def __init__(self, *, env: dict[str, str], log_path: Path, queue: str | None = None) -> None:
        arguments = [
            "worker", "-P", "solo", "--loglevel", "INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]  # fmt: skip
        if queue:
            arguments += ["-Q", queue]
        super().__init__(arguments=arguments, env=env, log_path=log_path)

    def wait_until_ready(self, *, timeout: float = 60) -> None:
        """Block until the worker consumes (its log says " ready."); raise if it died."""
        deadline = time.monotonic() + timeout
        while " ready." not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start:\n{self.log()}")
            time.sleep(0.2)
