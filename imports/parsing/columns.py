"""Which row is the header, and which column holds which field.

Header names are compared normalized: case-folded, runs of spaces collapsed, and a
currency in the name taken out (``Betrag (€)``, ``Sale Price ($)``, ``Umsatz in EUR``
are ``betrag``, ``sale price`` and ``umsatz``, and name their file's currency).
A column is chosen by its name (a ``#2`` suffix picks the second column of that name,
as ING writes ``Währung`` twice) or by its 0-based position, which is how a column with
an empty or repeated header is chosen in the mapping step.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from imports.parsing import messages
from imports.parsing.numbers import SYMBOL_CURRENCY

FIELDS: tuple[str, ...] = (
    "date",
    "gross",
    "net",
    "tax_withheld",
    "foreign_tax",
    "fees",
    "refunded",
    "currency",
    "type",
    "status",
    "note",
    "external_id",
    "group",
    "source",
    "source_label",
)
AMOUNT_FIELDS: tuple[str, ...] = ("gross", "net", "tax_withheld", "foreign_tax", "fees", "refunded")
TEXT_FIELDS: tuple[str, ...] = (
    "note", "external_id", "group", "source", "source_label", "type", "status"
)  # fmt: skip

# Names per field; when a file has two candidates the one listed first wins.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "Datum", "Date", "Buchungstag", "Buchungsdatum", "Buchung", "Valuta", "Wertstellung",
        "Transaction date", "Booking date", "Value date", "Trade date", "Settle date",
        "SettleDate", "DateTime", "Date/Time", "Zahlungsdatum", "Payment date", "Created",
        "Created date", "created_utc", "Purchase Date", "Royalty Date", "Datum/Uhrzeit",
    ),
    "gross": (
        "Brutto", "Gross", "Betrag", "Amount", "Umsatz", "Bruttobetrag", "Gross amount",
        "Royalty", "Tantieme", "Sale Price", "Turnover", "Erlös", "Earnings", "Revenue",
        "Einnahme", "Einnahmen", "Income", "Value", "Wert",
    ),
    "net": ("Netto", "Net", "Net Amount", "Nettobetrag", "Net amount"),
    "tax_withheld": (
        "Steuer", "Steuern", "Tax", "Taxes", "Quellensteuer", "Kapitalertragsteuer",
        "Kapitalertragssteuer", "Withholding tax", "Tax withheld", "Einbehaltene Steuer",
    ),
    # The part of the tax withheld that is foreign, named so that it cannot be the whole:
    # a bare "Quellensteuer" column stays tax withheld (a file's only tax column).
    "foreign_tax": (
        "Foreign tax", "Foreign tax withheld", "Foreign withholding tax",
        "Ausländische Quellensteuer", "davon Quellensteuer", "davon ausländische Steuer",
    ),
    "fees": (
        "Gebühren", "Gebuehren", "Gebühr", "Gebuehr", "Fees", "Fee", "Provision",
        "Commission", "Entgelt", "Spesen",
    ),
    "refunded": ("Amount Refunded", "Refunded Amount", "Erstattet"),
    "currency": ("Währung", "Waehrung", "Currency", "CurrencyPrimary", "Currency code"),
    "type": (
        "Typ", "Type", "Transaktionstyp", "Transaction type", "Umsatzart", "Umsatztyp",
        "Buchungsart", "Vorgang", "Action", "Art", "Payment Type", "reporting_category",
        "Buchungstext",
    ),
    "status": ("Status",),
    "note": (
        "Notiz", "Note", "Hinweis", "Beschreibung", "Description", "Verwendungszweck",
        "Memo", "Details", "Buchungstext",
    ),
    "external_id": (
        "ID", "Referenz", "Reference", "Transaction ID", "TransactionID", "Transaktionscode",
        "Buchungs-ID", "Purchase ID", "Cash Flow ID",
    ),
    "group": ("ActionID", "Action ID"),
    "source": (
        "Quelle", "Source", "ISIN", "Symbol", "Wertpapier", "Security", "Title", "Titel",
        "Product", "Produkt", "Item Name", "Auftraggeber/Empfänger", "Zahlungspflichtige*r",
        "Auftraggeber", "Payer", "Name",
    ),
    "source_label": (),
}  # fmt: skip

# Matched against the name without its trailing spaces, and with no leading run of its
# own: a search that started with ``\s*`` walked a run of spaces once per space.
_CURRENCY_IN_NAME = re.compile(
    r"(?:\((?P<a>[€$£]|[A-Za-z]{3})\)|\[(?P<b>[€$£]|[A-Za-z]{3})\]|"
    r"\bin (?P<c>[€$£]|[A-Z]{3}))\Z"
)
#: The longest name looked at for a currency: ``in EUR``, ``(EUR)`` and ``[EUR]`` end it.
_CURRENCY_TAIL = 8


def _currency_match(name: str) -> tuple[str, re.Match[str] | None]:
    """The name without trailing spaces, and its currency suffix, if any.

    Only the name's tail is searched (a currency suffix is at most six characters, and
    ``\b`` needs one more before it), so the cost does not grow with the name.
    """
    stripped = name.rstrip()
    start = max(len(stripped) - _CURRENCY_TAIL, 0)
    return stripped, _CURRENCY_IN_NAME.search(stripped, start)


#: Names up to this length are remembered; a longer cell is no column name, and keeping
#: it in a cache that outlives the request would hold a large upload's cells in memory.
_CACHED_NAME = 200


def normalize(name: str) -> str:
    """A header name as compared: without its currency, case-folded, spaces collapsed."""
    return _normalize_cached(name) if len(name) <= _CACHED_NAME else _normalize(name)


@functools.lru_cache(maxsize=4096)
def _normalize_cached(name: str) -> str:
    return _normalize(name)


def _normalize(name: str) -> str:
    stripped, match = _currency_match(name)
    if match is not None:
        stripped = stripped[: match.start()]
    return " ".join(stripped.split()).casefold()


def header_currency(name: str) -> str | None:
    """The currency a header name carries (``Betrag (€)`` → ``EUR``), ``$`` unresolved."""
    _stripped, match = _currency_match(name)
    if match is None:
        return None
    mark = match["a"] or match["b"] or match["c"]
    return SYMBOL_CURRENCY.get(mark) or mark.upper()


_LOOKUP: dict[str, list[tuple[str, int]]] = {}
for _field, _names in SYNONYMS.items():
    for _priority, _name in enumerate(_names):
        _LOOKUP.setdefault(normalize(_name), []).append((_field, _priority))


def header_score(cells: Sequence[str]) -> int:
    """How much a row looks like a payment header: the fields its names match, 0 unless
    both a date and an amount (gross or net) are among them."""
    fields = {field for cell in cells for field, _ in _LOOKUP.get(normalize(cell), ())}
    if "date" not in fields or not fields & {"gross", "net"}:
        return 0
    return len(fields)


@dataclass(frozen=True)
class Columns:
    """Field → 0-based position; the header currency; what the mapping got wrong."""

    index: dict[str, int]
    currency: str | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


def position_of(header: Sequence[str], reference: int | str) -> int | None:
    """The position a mapping's reference names, or None when the file has no such column."""
    if isinstance(reference, int):
        return reference if 0 <= reference < len(header) else None
    name, _, nth = reference.rpartition("#")
    occurrence = int(nth) if name and nth.isdigit() else 1
    target = normalize(name if name and nth.isdigit() else reference)
    seen = 0
    for position, cell in enumerate(header):
        if normalize(cell) == target:
            seen += 1
            if seen == occurrence:
                return position
    return None


def resolve(
    header: Sequence[str], columns: Mapping[str, int | str | None], *, guess: bool
) -> Columns:
    """The mapping's columns first, then (when ``guess``) synonyms for the fields it leaves
    out. A column the mapping claims is never also guessed as another field; a field the
    mapping sets to None or ``""`` has no column. Of several currency columns of one name,
    the one right after the amount is the amount's (ING's ``Saldo;Währung;Betrag;Währung``
    names the balance's currency first)."""
    index: dict[str, int] = {}
    errors: list[str] = []
    warnings: list[str] = []
    for field, reference in columns.items():
        if reference is None or reference == "":
            continue
        position = position_of(header, reference)
        if position is None:
            errors.append(messages.MAPPED_COLUMN_NOT_FOUND)
        else:
            index[field] = position
    if guess:
        claimed = set(index.values())
        candidates: dict[str, list[tuple[int, int]]] = {}
        for position, name in enumerate(header):
            if position in claimed:
                continue
            for field, priority in _LOOKUP.get(normalize(name), ()):
                if field not in columns:
                    candidates.setdefault(field, []).append((priority, position))
        for field in FIELDS:
            options = sorted(candidates.get(field, ()))
            free = [option for option in options if option[1] not in claimed]
            if not free:
                continue
            tied = [option for option in free if option[0] == free[0][0]]
            if field == "currency" and len(tied) > 1:
                amounts = {index[f] for f in ("gross", "net") if f in index}
                beside = [option for option in tied if option[1] - 1 in amounts]
                tied = beside[:1] or tied
            index[field] = tied[0][1]
            claimed.add(tied[0][1])
            if len(tied) > 1:
                warnings.append(messages.DUPLICATE_COLUMNS)
    currencies = {
        code
        for field in ("gross", "net")
        if field in index and (code := header_currency(header[index[field]]))
    }
    return Columns(
        index={field: index[field] for field in FIELDS if field in index},
        currency=currencies.pop() if len(currencies) == 1 else None,
        errors=tuple(dict.fromkeys(errors)),
        warnings=tuple(dict.fromkeys(warnings)),
    )
