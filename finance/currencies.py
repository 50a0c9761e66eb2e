"""The currencies Ertrag handles: the euro and the ECB's reference-rate currencies."""

from __future__ import annotations

BASE_CURRENCY_DEFAULT = "EUR"

# ISO 4217 code -> symbol used when formatting amounts.
CURRENCY_SYMBOLS: dict[str, str] = {
    "EUR": "€",
    "USD": "$",
    "GBP": "£",
    "CHF": "CHF",
    "JPY": "¥",
    "CAD": "CA$",
    "AUD": "A$",
    "SEK": "SEK",
    "NOK": "NOK",
    "DKK": "DKK",
    "PLN": "zł",
    "CZK": "Kč",
}
CURRENCY_CODES: tuple[str, ...] = tuple(CURRENCY_SYMBOLS)
