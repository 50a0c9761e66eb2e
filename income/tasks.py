"""Celery tasks: thin wrappers that take plain values and are safe to run twice."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_kwargs={"max_retries": 5},
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
