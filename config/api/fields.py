"""What a request body may send for a field: the JSON types its schema names (issue 20).

DRF's fields coerce: a ``CharField`` takes ``0`` as ``"0"``, a ``BooleanField`` takes
``0``, ``1``, ``"yes"`` and ``"on"``, an ``IntegerField`` takes ``"7"`` and ``7.0``, and a
``DecimalField`` takes ``"1e5"``, ``" 5 "`` and ``"+5"``. The schema says string,
boolean, integer and a decimal string of a pattern, so schemathesis' negative data
(issue 20: ``"weekly_digest": 0``) was accepted. ``type_errors`` names the fields of a
body whose value is not of the field's JSON type; ``config.api.serializers`` runs it
before DRF's own validation in every API serializer, so it holds for declared fields and
for fields built from a model alike.

A decimal takes a string of its pattern or a JSON number (PRODUCT.md §5: "amounts as
decimal strings or numbers"); a number goes through DRF's checks as the string would:
digits, places, NaN/Infinity, bounds. A form (the multipart uploads) sends text: there a
boolean is ``"true"`` or ``"false"`` in any case (a multipart encoder writes ``true``, a
Python one ``True``), and integers are left to DRF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField

Field = serializers.Field[Any, Any, Any, Any]
#: Field name (or list index) to its messages, as DRF writes field errors.
Errors = dict[Any, Any]
FORM_BOOLEANS = ("true", "false")


def decimal_pattern(
    *, whole_digits: int, places: int, signed: bool, blank_is_null: bool = False
) -> str:
    """A decimal string as the field takes it: at least one digit, at most the field's.

    drf-spectacular's ``^-?\\d{0,w}(?:\\.\\d{0,p})?$`` also matches ``""``, ``"-"`` and
    ``"."``, and a minus sign where the field's ``min_value`` forbids one, all of which
    the server rejects. A nullable field (``blank_is_null``) takes a blank string as
    null, as DRF's ``DecimalField`` does, so its pattern says so (issue 20).
    """
    sign = "-?" if signed else ""
    fraction = rf"(?:\.\d{{0,{places}}})?" if places else ""
    only_fraction = rf"|\.\d{{1,{places}}}" if places else ""
    whole = rf"\d{{1,{whole_digits}}}" if whole_digits else "0"
    blank = r"|\s*" if blank_is_null else ""
    return rf"^(?:{sign}(?:{whole}{fraction}{only_fraction}){blank})$"


class MinimumValidator(MinValueValidator):
    """``MinValueValidator`` with a message of the field's own, written as it is.

    Django formats a validator's message with ``%``, so ``"Must be greater than -1 (-100
    %)."`` could not be one; ``decimal_bounds`` reads this bound as any other minimum.
    """

    def __call__(self, value: Any) -> None:
        if self.compare(value, self.limit_value):
            raise DjangoValidationError(self.message, code=self.code)


def decimal_bounds(field: serializers.DecimalField) -> tuple[Decimal, Decimal]:
    """The least and the greatest number ``field`` takes: its minimum and maximum
    validators within what its digits hold (15 digits, 2 places: ±9999999999999.99)."""
    places = field.decimal_places or 0
    whole = field.max_whole_digits or 0
    largest = Decimal(10) ** whole - Decimal(1).scaleb(-places)
    low, high = -largest, largest
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if limit is None or callable(limit):
            continue
        if isinstance(validator, MinValueValidator):
            low = max(low, Decimal(str(limit)))
        elif isinstance(validator, MaxValueValidator):
            high = min(high, Decimal(str(limit)))
    return low, high


def _digit_below(digit: str, *, lowest: int) -> str | None:
    """A class of the digits from ``lowest`` up to below ``digit``, if there are any."""
    top = int(digit) - 1
    if top < lowest:
        return None
    return str(lowest) if top == lowest else f"[{lowest}-{top}]"


def _whole_below(limit: str) -> list[str]:
    """Numbers without leading zeros from 1 up to below ``limit`` (a whole number's digits)."""
    options = [rf"[1-9]\d{{0,{len(limit) - 2}}}"] if len(limit) > 1 else []
    for i, digit in enumerate(limit):
        below = _digit_below(digit, lowest=1 if i == 0 else 0)
        if below is not None:
            rest = len(limit) - i - 1
            options.append(re.escape(limit[:i]) + below + (rf"\d{{{rest}}}" if rest else ""))
    return options


def _fraction_at_most(limit: str, *, nonempty: bool) -> str:
    """The digits after the point (at most ``len(limit)``) of a fraction up to ``limit``'s."""
    options = [limit[:k] for k in range(1 if nonempty else 0, len(limit) + 1)]
    for i, digit in enumerate(limit):
        below = _digit_below(digit, lowest=0)
        if below is not None:
            rest = len(limit) - i - 1
            options.append(limit[:i] + below + (rf"\d{{0,{rest}}}" if rest else ""))
    return "(?:" + "|".join(options) + ")"


def _unsigned_at_most(limit: Decimal, *, whole_digits: int, places: int) -> str:
    """Unsigned decimal strings (at most ``places`` places) of a value up to ``limit``.

    A whole part below the limit's takes any fraction; the limit's own whole part takes a
    fraction up to the limit's. Leading zeros are taken as the unbounded pattern takes them
    (up to ``whole_digits`` of them), so the pattern and the server agree on ``"007"``.
    """
    whole, _, fraction = f"{limit:f}".partition(".")
    fraction = (fraction + "0" * places)[:places]
    zeros = rf"0{{0,{whole_digits}}}"
    any_fraction = rf"(?:\.\d{{0,{places}}})?" if places else ""
    options = []
    if whole != "0":
        below = "|".join([rf"0{{1,{whole_digits}}}", *(zeros + n for n in _whole_below(whole))])
        options.append(f"(?:{below}){any_fraction}")
        if places:
            options.append(rf"\.\d{{1,{places}}}")
        options.append(
            zeros
            + whole
            + (rf"(?:\.{_fraction_at_most(fraction, nonempty=False)})?" if places else "")
        )
    else:
        options.append(
            rf"0{{1,{whole_digits or 1}}}"
            + (rf"(?:\.{_fraction_at_most(fraction, nonempty=False)})?" if places else "")
        )
        if places:
            options.append(rf"\.{_fraction_at_most(fraction, nonempty=True)}")
    return "(?:" + "|".join(options) + ")"


def bounded_decimal_pattern(
    *, whole_digits: int, places: int, low: Decimal, high: Decimal, blank_is_null: bool
) -> str:
    """``decimal_pattern`` that also holds the field's range: ``"2"`` for a rate of at most
    1 is refused by the pattern, as by the server (schemathesis' positive data, issue 20).

    A value from ``low`` to ``high`` is a non-negative one up to ``high`` or a negative one
    down to ``low``; a lower bound above 0 is left to the server (no field has one).
    """
    largest = Decimal(10) ** whole_digits - Decimal(1).scaleb(-places)
    if high < 0 or low > 0:
        return decimal_pattern(
            whole_digits=whole_digits, places=places, signed=low < 0, blank_is_null=blank_is_null
        )
    unbounded = decimal_pattern(whole_digits=whole_digits, places=places, signed=False)
    unsigned = unbounded.removeprefix("^").removesuffix("$")

    def at_most(limit: Decimal) -> str:
        if limit >= largest:
            return unsigned
        return _unsigned_at_most(limit, whole_digits=whole_digits, places=places)

    options = [at_most(high)]
    if low < 0:
        options.append("-" + at_most(-low))
    if blank_is_null:
        options.append(r"\s*")
    return "^(?:" + "|".join(options) + ")$"


def field_decimal_pattern(field: serializers.DecimalField, *, bounded: bool = True) -> str | None:
    """The pattern of a decimal field's strings (with its range unless not ``bounded``),
    or ``None`` for one without a digit limit (a computed figure, never read from a
    request)."""
    if field.max_whole_digits is None:
        return None
    low, high = decimal_bounds(field)
    if bounded:
        return bounded_decimal_pattern(
            whole_digits=field.max_whole_digits,
            places=field.decimal_places or 0,
            low=low,
            high=high,
            blank_is_null=field.allow_null,
        )
    return decimal_pattern(
        whole_digits=field.max_whole_digits,
        places=field.decimal_places or 0,
        signed=low < 0,
        blank_is_null=field.allow_null,
    )


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _failure(field: Field, key: str, **kwargs: Any) -> list[Any]:
    """The field's own message for ``key`` (DRF's, already translated), as DRF lists it."""
    try:
        field.fail(key, **kwargs)
    except serializers.ValidationError as exc:
        return list(exc.detail)
    raise AssertionError("Field.fail always raises")  # pragma: no cover


def _decimal_error(field: serializers.DecimalField, value: Any) -> list[Any] | None:
    if isinstance(value, bool):
        return _failure(field, "invalid")
    if isinstance(value, int | Decimal):
        return None  # a JSON number: DRF checks digits, places, NaN and Infinity
    if not isinstance(value, str):
        return _failure(field, "invalid")
    pattern = field_decimal_pattern(field)
    if pattern is None or _compiled(pattern).fullmatch(value):
        return None
    try:  # DRF's message where DRF refuses it too ("no more than 2 decimal places")
        field.run_validation(value)
    except serializers.ValidationError as exc:
        return list(exc.detail)
    return _failure(field, "invalid")


def _is_json_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def value_error(field: Field, value: Any, *, form: bool) -> Any:
    """The messages for ``value`` sent for ``field`` when it is not of the field's JSON
    type, else ``None``. An absent value or ``null`` is left to DRF (required, allow_null).
    """
    if value is empty or value is None:
        return None
    if isinstance(field, serializers.BooleanField):
        if isinstance(value, bool) or (form and str(value).lower() in FORM_BOOLEANS):
            return None
        return _failure(field, "invalid")
    if isinstance(field, serializers.CharField):
        return None if isinstance(value, str) else _failure(field, "invalid")
    if isinstance(field, serializers.DecimalField):
        return _decimal_error(field, value)
    if form:
        return None  # a form sends every number as text
    if isinstance(field, serializers.IntegerField):
        return None if _is_json_integer(value) else _failure(field, "invalid")
    if isinstance(field, PrimaryKeyRelatedField) and field.pk_field is None:
        if _is_json_integer(value):
            return None
        return _failure(field, "incorrect_type", data_type=type(value).__name__)
    if isinstance(field, ManyRelatedField) and isinstance(value, list):
        for item in value:
            error = value_error(field.child_relation, item, form=form)
            if error is not None:
                return error  # as DRF answers for a list of ids: the first wrong one
        return None
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        errors = {
            index: error
            for index, item in enumerate(value)
            if (error := value_error(field.child, item, form=form)) is not None
        }
        return errors or None
    return None


def type_errors(fields: list[Field], data: Any) -> Errors:
    """Field name to messages, for every field of ``fields`` whose value in ``data`` (a
    request body, or one object of it) is not of the field's JSON type.

    Nested serializers check their own fields (they are API serializers too).
    """
    if not isinstance(data, Mapping):
        return {}  # DRF answers "Invalid data. Expected a dictionary"
    form = isinstance(data, QueryDict)
    errors: Errors = {}
    for field in fields:
        if isinstance(field, serializers.BaseSerializer):
            continue
        error = value_error(field, field.get_value(data), form=form)
        if error is not None:
            errors[field.field_name] = error
    return errors
