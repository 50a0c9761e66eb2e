"""Limit/offset pagination whose page size can never exceed ``API_MAX_PAGE_SIZE``."""

from django.conf import settings
from rest_framework.pagination import LimitOffsetPagination


class ClampedLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=100000`` answers the maximum page instead of loading every row (PRODUCT.md §7)."""

    max_limit = settings.API_MAX_PAGE_SIZE
