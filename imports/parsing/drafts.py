"""Rows on their way out: drafts, withholding tax merged into them, the model's amount
rules, and the hash that recognises a row in a later import."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from finance.money import payment_amount_errors
from imports.parsing import messages
from imports.parsing.result import RowError, SkippedRow, StatementRow

CENT = Decimal("0.01")
_HASH_VERSION = "payment-row-v1"


@dataclass(slots=True)
class Draft:
    """A row on its way to a ``StatementRow`` (tax rows are merged into it first)."""

    line: int
    date: date
    gross: Decimal
    tax_withheld: Decimal
    fees: Decimal
    currency: str
    note: str
    external_id: str | None
    source: str | None
    source_label: str | None
    group: str
    kind: str
    merged_lines: list[int] = field(default_factory=list)
    #: The part of ``tax_withheld`` the source country took, with its sign.
    foreign_tax: Decimal = Decimal("0.00")


@dataclass(slots=True)
class TaxRow:
    line: int
    date: date
    amount: Decimal
    currency: str
    source: str | None
    group: str
    #: The source country's withholding (``kinds.FOREIGN_TAX``), not German tax.
    foreign: bool = False


class CellError(Exception):
    """A cell or row that cannot be booked, with the field and one of the messages."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def to_cent(value: Decimal, rounded: list[bool]) -> Decimal:
    """``value`` to the cent, half up (PRODUCT.md: rounding once, explicit)."""
    result = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if result != value:
        rounded[0] = True
    return result


def check_amounts(draft: Draft) -> None:
    """The ``Payment`` model's amount rules, so a row that passes here can be written."""
    problems = payment_amount_errors(
        gross=draft.gross,
        tax_withheld=draft.tax_withheld,
        fees=draft.fees,
        foreign_tax=draft.foreign_tax,
    )
    for field_name, message in problems.items():
        raise CellError(field_name, message)


def merge_taxes(
    drafts: list[Draft], taxes: list[TaxRow], errors: list[RowError], *, tax_sign: str
) -> list[SkippedRow]:
    """Withholding-tax rows into their income row (``imports.parsing.statement``, rule 6).

    The sign that means "withheld" is the file's own: the majority of its tax rows'
    signs, or the mapping's ``tax_sign``. A tax row of the other sign gives tax back.
    A foreign tax row (``TaxRow.foreign``) counts as tax withheld and as its foreign part.
    """
    if not taxes:
        return []
    setting = tax_sign
    if setting == "auto":
        negatives = sum(1 for t in taxes if t.amount < 0)
        withheld = -1 if negatives * 2 >= len(taxes) else 1
    else:
        withheld = -1 if setting == "negative" else 1
    by_group: dict[str, list[Draft]] = {}
    for draft in drafts:
        if draft.group:
            by_group.setdefault(draft.group, []).append(draft)
    by_key: dict[tuple[object, ...], list[Draft]] | None = None  # built when first needed
    skipped: list[SkippedRow] = []
    touched: dict[int, Draft] = {}
    for tax in taxes:
        candidates = by_group.get(tax.group) if tax.group else None
        if not candidates:
            if by_key is None:
                by_key = {}
                for draft in drafts:
                    by_key.setdefault((draft.source, draft.date, draft.currency), []).append(draft)
            candidates = by_key.get((tax.source, tax.date, tax.currency), [])
        candidates = [c for c in candidates if c.currency == tax.currency]
        if not candidates:
            skipped.append(SkippedRow(line=tax.line, reason="tax"))
            continue
        same_day = [c for c in candidates if c.date == tax.date]
        target = min(same_day or candidates, key=lambda c: abs(c.line - tax.line))
        target.tax_withheld += tax.amount * withheld
        if tax.foreign:
            target.foreign_tax += tax.amount * withheld
        target.merged_lines.append(tax.line)
        touched[id(target)] = target
        skipped.append(SkippedRow(line=tax.line, reason="merged", into_line=target.line))
    for draft in touched.values():
        try:
            check_amounts(draft)
        except CellError as error:
            errors.append(RowError(line=draft.line, field=error.field, message=error.message))
    return skipped


def check_ids(drafts: list[Draft]) -> list[RowError]:
    """An external id twice for one source is an error: the database keeps one."""
    seen: set[tuple[str, str]] = set()
    errors: list[RowError] = []
    for draft in drafts:
        if draft.external_id is None:
            continue
        key = (draft.source or "", draft.external_id)
        if key in seen:
            errors.append(
                RowError(
                    line=draft.line, field="external_id", message=messages.DUPLICATE_EXTERNAL_ID
                )
            )
        seen.add(key)
    return errors


def finish(drafts: list[Draft]) -> tuple[StatementRow, ...]:
    """The drafts as rows, each with the SHA-256 of its values that recognises it in a
    re-imported or overlapping statement.

    Amounts are exact to the cent (``12.50``), so equal amounts hash equally; the file
    line is not part of it, so the same payment in two overlapping statements hashes
    the same. The occurrence counts earlier rows of the file with the very same values
    (counted by their text, which hashes faster than the values): two equal payments on
    one day are two payments, and (source, row_hash) is unique in the database, so the
    second one must hash differently, the same way on every import. The unit separator
    keeps the fields apart: ``text.decode`` refuses control characters, so no value can
    contain it. The foreign tax is left out of the hash: it is a part of the tax withheld
    (which is in it), and adding it would change every hash, so rows imported before it
    existed would no longer be recognised and would be booked twice.
    """
    occurrences: Counter[str] = Counter()
    rows: list[StatementRow] = []
    for d in drafts:
        values = _row_values(
            payment_date=d.date, gross=d.gross, tax_withheld=d.tax_withheld, fees=d.fees,
            currency=d.currency, note=d.note, source=d.source,
        )  # fmt: skip
        occurrence = occurrences[values]
        occurrences[values] = occurrence + 1
        rows.append(
            StatementRow(
                line=d.line, date=d.date, gross=d.gross, tax_withheld=d.tax_withheld,
                fees=d.fees, currency=d.currency, note=d.note, external_id=d.external_id,
                source=d.source, source_label=d.source_label, foreign_tax=d.foreign_tax,
                row_hash=hashlib.sha256(f"{values}\x1f{occurrence}".encode()).hexdigest(),
                kind=d.kind, merged_lines=tuple(d.merged_lines),
            )
        )  # fmt: skip
    return tuple(rows)


def _row_values(
    *,
    payment_date: date,
    gross: Decimal,
    tax_withheld: Decimal,
    fees: Decimal,
    currency: str,
    note: str,
    source: str | None,
) -> str:
    return (
        f"{_HASH_VERSION}\x1f{payment_date.isoformat()}\x1f{gross!s}\x1f{tax_withheld!s}"
        f"\x1f{fees!s}\x1f{currency}\x1f{note}\x1f{source or ''}"
    )
