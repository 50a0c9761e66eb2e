"""Reads of the portability app: never writes."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from portability.models import DataImport


def data_import_list(*, owner: User) -> QuerySet[DataImport]:
    """The user's data imports, newest first; the document itself is left unread."""
    return DataImport.objects.filter(owner=owner).defer("document")
