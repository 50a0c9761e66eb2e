"""The mapping of a statement: everything a person can set for a file, as plain data.

A preset is one of these with a name and a header signature; a person's own mapping is
one too, saved for files with the same header. ``Options.from_json`` is the only way in
from outside (a form, the API, a saved preset), and it checks every key and value, so a
stored mapping can never make the parser do something it does not understand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from imports.parsing import kinds
from imports.parsing.columns import FIELDS
from imports.parsing.dates import ORDERS
from imports.parsing.messages import SKIP_REASONS

AUTO = "auto"
#: Which sign a fee or tax cell carries when it was charged: "negative" (PayPal's
#: ``-0,59``, brokers' ``-1,50``), "positive" (Stripe's fee), or decided per file.
SIGNS = (AUTO, "negative", "positive")
#: What a negative amount on an income row is: a reversal that reduces income, or an
#: outgoing payment to skip (PayPal's "General Payment" runs both ways).
NEGATIVES = (AUTO, "reduce", "skip")
NUMBER_FORMATS = ("de", "en")
MAX_TYPES = 200
MAX_TEXT = 255


class OptionsError(ValueError):
    """A mapping that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Options:
    """How to read one layout of statement (see the module doc)."""

    #: 1-based line of the header; None finds it.
    header_line: int | None = None
    #: field → column name (``"Währung#2"`` for the second of that name) or 0-based position;
    #: None or "" means the field is not in the file.
    columns: Mapping[str, int | str | None] = field(default_factory=dict)
    #: Guess the fields ``columns`` leaves out from their usual names.
    guess: bool = True
    number_format: str | None = None
    date_order: str | None = None
    #: type value (as in the file) → kind (income, refund, tax, skip:<reason>).
    types: Mapping[str, str] = field(default_factory=dict)
    #: Status values (as in the file) whose rows are skipped as pending or cancelled.
    skip_statuses: tuple[str, ...] = ()
    negative: str = AUTO
    fee_sign: str = AUTO
    tax_sign: str = AUTO
    #: The file's currency where neither a currency column nor the amount says one.
    currency: str | None = None
    #: The source value of rows whose source cell is empty (a platform's own interest).
    source_fallback: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["columns"] = dict(self.columns)
        data["types"] = dict(self.types)
        data["skip_statuses"] = list(self.skip_statuses)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Options:
        """Options from untrusted JSON; ``OptionsError`` names the first wrong key."""
        if not isinstance(data, Mapping):
            raise OptionsError("mapping")
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise OptionsError(unknown[0])
        header_line = data.get("header_line")
        if header_line is not None and (
            not isinstance(header_line, int) or isinstance(header_line, bool)
            or not 1 <= header_line <= 1000
        ):  # fmt: skip
            raise OptionsError("header_line")
        # Left out or null is "none"; any other value must have its type (issue 20: ``[]``
        # and ``0`` were read as none, while the schema refuses them).
        columns = _or_empty(data.get("columns"), {})
        if not isinstance(columns, Mapping) or set(columns) - set(FIELDS):
            raise OptionsError("columns")
        for reference in columns.values():
            ok = (
                reference is None
                or (isinstance(reference, str) and len(reference) <= MAX_TEXT)
                or (isinstance(reference, int) and not isinstance(reference, bool)
                    and 0 <= reference < 1000)
            )  # fmt: skip
            if not ok:
                raise OptionsError("columns")
        types = _or_empty(data.get("types"), {})
        if not isinstance(types, Mapping) or len(types) > MAX_TYPES:
            raise OptionsError("types")
        for value, kind in types.items():
            if not isinstance(value, str) or len(value) > MAX_TEXT or not _kind_ok(kind):
                raise OptionsError("types")
        statuses = _or_empty(data.get("skip_statuses"), ())
        if (
            not isinstance(statuses, list | tuple)
            or len(statuses) > MAX_TYPES
            or not all(isinstance(s, str) and len(s) <= MAX_TEXT for s in statuses)
        ):
            raise OptionsError("skip_statuses")
        choices = {
            "number_format": (None, *NUMBER_FORMATS),
            "date_order": (None, *ORDERS),
            "negative": NEGATIVES,
            "fee_sign": SIGNS,
            "tax_sign": SIGNS,
        }
        for key, allowed in choices.items():
            if key in data and data[key] not in allowed:
                raise OptionsError(key)
        for key in ("currency", "source_fallback"):
            value = data.get(key)
            if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
                raise OptionsError(key)
        if not isinstance(data.get("guess", True), bool):
            raise OptionsError("guess")
        return cls(
            header_line=header_line,
            columns=dict(columns),
            guess=data.get("guess", True),
            number_format=data.get("number_format"),
            date_order=data.get("date_order"),
            types=dict(types),
            skip_statuses=tuple(statuses),
            negative=data.get("negative", AUTO),
            fee_sign=data.get("fee_sign", AUTO),
            tax_sign=data.get("tax_sign", AUTO),
            currency=(data.get("currency") or "").upper() or None,
            source_fallback=data.get("source_fallback") or None,
        )

    def merged(self, overrides: Mapping[str, Any]) -> Options:
        """These options with ``overrides`` laid over them (columns and types per key)."""
        data = self.to_json()
        for key, value in overrides.items():
            if key in ("columns", "types") and isinstance(value, Mapping):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return Options.from_json(data)


def _or_empty(value: Any, empty: Any) -> Any:
    return empty if value is None else value


def _kind_ok(kind: object) -> bool:
    if not isinstance(kind, str):
        return False
    if kind in kinds.KINDS:
        return True
    return kinds.reason_of(kind) in SKIP_REASONS
