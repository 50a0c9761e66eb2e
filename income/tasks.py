"""Celery tasks: thin wrappers that take ids, call one service, and are safe to run twice.

Only transient errors are retried (a database or broker connection that dropped, a
mail server that is away), with exponential backoff and a maximum; anything else is a
bug or bad data, and retrying it would only repeat it.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.db import InterfaceError as DatabaseInterfaceError
from django.db import OperationalError as DatabaseOperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

logger = logging.getLogger(__name__)

#: Errors that may pass if the same work is tried again a little later.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseOperationalError,
    DatabaseInterfaceError,
    BrokerOperationalError,
    ConnectionError,
    TimeoutError,
)
MAX_RETRIES = 5
RETRY_BACKOFF_MAX = 600


def retry_delay(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: 2, 4, 8, … capped at ten minutes."""
    return int(min(2 ** (retries + 1), RETRY_BACKOFF_MAX))


@shared_task(
    autoretry_for=(smtplib.SMTPException, *TRANSIENT_ERRORS),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    retry_kwargs={"max_retries": MAX_RETRIES},
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
