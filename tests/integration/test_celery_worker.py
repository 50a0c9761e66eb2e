"""Tasks run on a real Celery worker process: on Redis, and on the embedded filesystem broker.

The worker is started as ``make run`` starts it (``celery -A config worker``), in its
own process with its own settings from the environment; the test only talks to it
through the broker, as the web process does.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery import Celery

from tests.integration.workers import WorkerProcess
from tests.services import require_redis


@dataclass
class Worker:
    sender: Celery
    queue: str
    mail_dir: Path


def _sender_for(broker: str, tmp_path: Path) -> tuple[Celery, dict[str, str]]:
    """A Celery client configured like the web process would be for this broker."""
    if broker == "redis":
        url = require_redis()
        app = Celery("sender", broker=url, backend=url, set_as_current=False)
        return app, {"REDIS_URL": url}
    folder = tmp_path / "broker"
    for sub in ("queue", "processed", "results", "control"):
        (folder / sub).mkdir(parents=True)
    app = Celery(
        "sender",
        broker="filesystem://",
        backend=f"file://{folder / 'results'}",
        set_as_current=False,
    )
    app.conf.broker_transport_options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
    }
    return app, {"REDIS_URL": "", "CELERY_BROKER_DIR": str(folder)}


@pytest.fixture(params=["redis", "filesystem"])
def worker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Worker]:
    sender, broker_env = _sender_for(request.param, tmp_path)
    queue = f"test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    env = {
        **broker_env,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
    }
    process = WorkerProcess(env=env, log_path=tmp_path / "worker.log", queue=queue)
    try:
        yield Worker(sender=sender, queue=queue, mail_dir=mail_dir)
    finally:
        process.stop()


def test_a_task_runs_on_a_real_worker(worker: Worker, tmp_path: Path) -> None:
    subject = f"Hello from the worker {uuid.uuid4().hex[:6]}"
    result = worker.sender.send_task(
        "income.tasks.email_deliver",
        kwargs={"subject": subject, "body": "It works.", "to": ["alice@example.com"]},
        queue=worker.queue,
    )
    try:
        assert result.get(timeout=60) == 1
    except Exception:
        print((tmp_path / "worker.log").read_text())
        raise
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(worker.mail_dir.glob("*.log")):
        time.sleep(0.1)
    written = "".join(path.read_text() for path in worker.mail_dir.glob("*.log"))
    assert subject in written
    assert "alice@example.com" in written
