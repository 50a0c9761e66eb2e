"""Celery tasks: thin wrappers that take ids, call one service, and are safe to run twice.

How they retry is one rule for every task (``jobs.retrying``): only transient errors,
with exponential backoff and a maximum. The names stay importable from here.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from jobs.retrying import MAX_RETRIES, RETRY_BACKOFF_MAX, TRANSIENT_ERRORS, RetryingTask

__all__ = [
    "MAX_RETRIES", "RETRY_BACKOFF_MAX", "TRANSIENT_ERRORS", "ecb_rates_fetch", "email_deliver",
]  # fmt: skip

logger = logging.getLogger(__name__)


@shared_task(
    base=RetryingTask,
    autoretry_for=(smtplib.SMTPException, *TRANSIENT_ERRORS),
    ignore_result=False,  # read by tests/integration/test_celery_worker.py
)
def email_deliver(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> int:
    """Hand one e-mail to the configured backend; retried with backoff if the server is away."""
    from django.core.mail import EmailMultiAlternatives

    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    sent = message.send()
    logger.info("email_deliver: sent %s message(s) to %d recipient(s)", sent, len(to))
    return sent


@shared_task(base=RetryingTask)
def ecb_rates_fetch() -> dict[str, object]:
    """Daily (the beat schedule, ``income/migrations``): the ECB's rates, stored, and the
    figures they change recomputed. An unreachable ECB is a ``ConnectionError``
    (``RateFetchFailed``), retried with backoff like every transient error."""
    from income.services import ecb_rates_fetch as fetch

    done = fetch()
    return {"status": done.status, "rates": done.rates, "new": done.new_rates}
