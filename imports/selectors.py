"""Reads of the import app. Every query of an upload is scoped to its owner here."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from imports.models import ImportMapping, PaymentImport


def payment_import_list(*, owner: User) -> QuerySet[PaymentImport]:
    """The owner's uploads without their files: a list or a status never needs the bytes."""
    return (
        PaymentImport.objects.filter(owner=owner).select_related("source", "owner").defer("content")
    )


def payment_import_with_content(*, owner: User, pk: int) -> PaymentImport:
    """One of the owner's uploads with its file (to read it again)."""
    return PaymentImport.objects.select_related("source", "owner").get(owner=owner, pk=pk)


def import_mapping_list(*, owner: User) -> QuerySet[ImportMapping]:
    return ImportMapping.objects.filter(owner=owner)
