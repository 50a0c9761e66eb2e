"""Alert tests run the delivery task eagerly as the other unit tests do, but let Celery's
eager ``apply`` retry in place (it re-applies a task that asked to retry, with the next
``retries``): with ``task_eager_propagates`` the first retry would be raised instead,
and a test could not see the retries a worker would make."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def _eager_retries(_eager_celery: None) -> Iterator[None]:
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = True
