"""Query filters that refuse what the schema forbids, instead of ignoring it.

DRF's ``OrderingFilter`` drops an unknown sort key and sorts by the default; django-filter
reads a boolean of ``null`` or ``maybe`` as "no filter". Either way a client with a typo
gets an answer to a question it did not ask, while the schema (an enum, a boolean) says
the value is invalid: schemathesis reported both as "schema-violating request accepted"
(issue 20). Here they are a 400 naming the parameter, as an invalid date already was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import django_filters
from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

# ----------------------------------------------------------------------------- ordering


def ordering_pattern(keys: Sequence[str]) -> str:
    """The ``?ordering=`` values the server takes: comma-separated keys, each optionally
    prefixed with ``-``, no spaces; empty is the default order."""
    key = "(?:" + "|".join(re.escape(name) for name in keys) + ")"
    return rf"^(?:-?{key}(?:,-?{key})*)?$"


def ordering_terms(raw: str | None, *, keys: Sequence[str], parameter: str) -> list[str]:
    """The sort terms of ``raw`` (``"-gross,date"``), each a known key; a 400 otherwise."""
    if not raw:
        return []
    terms = raw.split(",")
    if any(term.removeprefix("-") not in keys for term in terms):
        raise ValidationError(
            {
                parameter: [
                    _(
                        "Unknown sort key. Use %(keys)s, separated by commas, each "
                        "optionally prefixed with '-'."
                    )
                    % {"keys": ", ".join(keys)}
                ]
            }
        )
    return terms


class StrictOrderingFilter(OrderingFilter):
    """DRF's ordering, with an unknown or malformed key refused instead of ignored."""

    ordering_description = (
        "Comma-separated sort keys, each optionally prefixed with '-' for descending."
    )

    def ordering_keys(self, view: Any, queryset: QuerySet[Any] | None = None) -> list[str]:
        """The keys the view sorts by: its ``ordering_fields``, else its serializer's fields
        that are the model's (DRF's default, which needs the queryset)."""
        if queryset is None:
            queryset = getattr(view, "queryset", None)
        if queryset is None:
            model = getattr(getattr(view.get_serializer_class(), "Meta", None), "model", None)
            if model is None:
                return []
            queryset = model._default_manager.none()
        fields = self.get_valid_fields(queryset, view, {"request": None})
        return [name for name, _label in fields]

    def get_ordering(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> Sequence[str] | None:
        terms = ordering_terms(
            request.query_params.get(self.ordering_param),
            keys=self.ordering_keys(view, queryset),
            parameter=self.ordering_param,
        )
        return terms or self.get_default_ordering(view)


# ----------------------------------------------------------------------------- booleans


class StrictBooleanField(forms.Field):
    """``true`` or ``false``, as a generated client sends a boolean; nothing else."""

    default_error_messages = {"invalid": gettext_lazy("Enter true or false.")}

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return bool(value == "true")
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):  # type: ignore[misc]
    field_class = StrictBooleanField


class StrictFilterSet(RestFilterSet):  # type: ignore[misc]
    """django-filter's DRF filter set, with the model's booleans filtered strictly and an
    empty value refused where the schema declares a date, number, id or choice.

    django-filter reads ``?date_from=`` as "no filter"; the schema's ``format: date`` (or
    enum, integer) forbids an empty string. A text filter (``?search=``) may be empty.
    """

    FILTER_DEFAULTS = {
        **RestFilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }

    def is_valid(self) -> bool:
        valid = bool(super().is_valid())
        for name, declared in self.filters.items():
            if self.data.get(name) == "" and not isinstance(declared, django_filters.CharFilter):
                self.form.add_error(name, _("Enter a value, or leave the parameter out."))
                valid = False
        return valid


class StrictFilterBackend(DjangoFilterBackend):  # type: ignore[misc]
    """Filter sets made from a view's ``filterset_fields`` are ``StrictFilterSet``s.

    A request without any query parameter filters nothing (every filter's value is
    empty, which django-filter reads as "no filter", and none is required): the rows
    are the view's as they are, without building and validating the filter set's form,
    which cost a small list as much as reading it (issue 21).
    """

    filterset_base = StrictFilterSet

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        if not request.query_params:
            filterset_class = self.get_filterset_class(view, queryset)
            if filterset_class is None or not any(
                declared.extra.get("required") for declared in filterset_class.base_filters.values()
            ):
                return queryset
        return super().filter_queryset(request, queryset, view)
