"""What every income form is built from: percent and month fields, the category
select, and the form that hands its values to a service and shows the service's refusal.

They turn what a person types into the values the services take: rates in percent
become fractions, a blank number becomes the model's default, a month becomes its
first day. The rules themselves (and the final validation) stay in ``income.services``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.boundfield import BoundField
from django_stubs_ext import StrOrPromise

from finance.errors import DomainError
from income import selectors

HUNDRED = Decimal(100)
ZERO = Decimal(0)
# The model keeps six decimal places of a fraction; in percent that leaves four.
PERCENT_PLACES = 4
DECIMAL_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}


# ----------------------------------------------------------------------------- helpers


def add_service_errors(form: forms.BaseForm, error: ValidationError | DomainError) -> None:
    """Show a service's refusal on the form: next to its field, or above the form.

    A field the form does not show (``source`` of a period, ``owner``) becomes a
    non-field error, so no message is ever lost.
    """
    if isinstance(error, DomainError):
        by_field: dict[str, list[str]] = error.field_errors
    elif hasattr(error, "error_dict"):
        by_field = error.message_dict
    else:
        by_field = {NON_FIELD_ERRORS: list(error.messages)}
    for name, messages in by_field.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def percent_field(
    label: StrOrPromise,
    *,
    low: Decimal = ZERO,
    high: Decimal = HUNDRED,
    low_inclusive: bool = True,
    help_text: StrOrPromise = "",
    initial: Decimal | None = ZERO,
) -> forms.DecimalField:
    """A rate entered in percent (5 for 5 %), as people think of it; stored as a fraction."""
    validators: list[Any] = [MaxValueValidator(high)]
    if low_inclusive:
        validators.append(MinValueValidator(low))
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        initial=initial,
        required=False,
        max_digits=PERCENT_PLACES + 7,
        decimal_places=PERCENT_PLACES,
        validators=validators,
        localize=True,
        widget=forms.TextInput(attrs=DECIMAL_ATTRS),
    )


def plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros and never in exponent form (5E+1): 650.000000 as
    650, 12.500000 as 12.5, as a person types it."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def as_percent(fraction: Decimal | None) -> Decimal | None:
    """0.263750 as 26.375 (``plain``)."""
    if fraction is None:
        return None
    return plain(Decimal(fraction) * HUNDRED)


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO (YYYY-MM-DD) whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthField(forms.DateField):
    """``<input type="month">`` (YYYY-MM), cleaned to the month's first day.

    Browsers without a month picker show a text box; YYYY-MM typed there works too.
    """

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(
                attrs={"type": "month", "placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}"},
                format="%Y-%m",
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


@dataclass(frozen=True)
class FieldGroup:
    """A ``<fieldset>`` of a form: its key, legend and fields, and the model it belongs to."""

    key: str
    legend: StrOrPromise
    fields: list[BoundField]
    model: str = ""

    def __iter__(self) -> Iterator[BoundField]:
        return iter(self.fields)


class ServiceModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm that only reads and cleans input; the service validates and saves.

    Django's ``_post_clean`` would copy the input onto the instance and run
    ``full_clean()`` before the service does, answering a broken constraint with its
    internal name ("Constraint “source_end_after_start” is violated") instead of the
    service's message. The service runs ``full_clean()`` itself and its errors are put
    on the form by ``add_service_errors``, so the instance stays untouched until then.
    """

    groups_spec: tuple[tuple[str, StrOrPromise, tuple[str, ...], str], ...] = ()
    # Numbers that may be left blank: blank means the model field's default (0).
    blank_means_default: tuple[str, ...] = ()

    def _post_clean(self) -> None:
        """Skip the instance validation; see the class docstring."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.blank_means_default:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = self._meta.model._meta.get_field(name).get_default()
        return cleaned

    def service_data(self) -> dict[str, Any]:
        """The cleaned values of the model's fields, as keyword arguments of a service."""
        fields = self._meta.fields or ()
        return {name: self.cleaned_data[name] for name in fields if name in self.cleaned_data}

    def groups(self) -> list[FieldGroup]:
        return [
            FieldGroup(key=key, legend=legend, fields=[self[name] for name in names], model=model)
            for key, legend, names, model in self.groups_spec
        ]


def choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return cast(forms.ModelChoiceField, form.fields[name])  # type: ignore[type-arg]


def restrict_source_choices(form: forms.BaseForm, owner: User) -> None:
    """A source field offers, and accepts, only the owner's own sources (PRODUCT.md §7)."""
    choice_field(form, "source").queryset = selectors.source_list(owner=owner)
