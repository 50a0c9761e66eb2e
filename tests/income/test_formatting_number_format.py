"""Amounts and percentages read exactly as Django's ``number_format`` wrote them.

``income.formatting`` writes the digits with Python's ``format(value, ",f")`` and the
language's separators instead of calling ``number_format`` for each figure (the
dashboard writes about ninety). The reference below is the implementation from before
that shortcut, ``number_format`` and all: every Decimal, in every configured language,
must read the same either way.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from django.utils.formats import number_format, reset_format_cache
from django.utils.translation import get_language
from hypothesis import example, given
from hypothesis import strategies as st

from finance.currencies import CURRENCY_SYMBOLS
from finance.rounding import EXACT, to_cents
from income.formatting import NBSP, format_money, format_percent

LANGUAGES = [code for code, _name in settings.LANGUAGES]
CURRENCIES = [*sorted(CURRENCY_SYMBOLS), "XAU", "ABC"]


def reference_money(value: Decimal, currency: str) -> str:
    amount = to_cents(value)
    digits = number_format(amount.copy_abs(), decimal_pos=2, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    sign = "−" if amount < 0 else ""
    if (get_language() or "en").startswith("de"):
        return f"{sign}{digits}{NBSP}{symbol}"
    separator = NBSP if len(symbol) > 1 and symbol.isalpha() else ""
    return f"{sign}{symbol}{separator}{digits}"


def reference_percent(fraction: Decimal, places: int = 2) -> str:
    shown = fraction.scaleb(2).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=EXACT
    )
    digits = number_format(shown.copy_abs(), decimal_pos=places, use_l10n=True, force_grouping=True)
    sign = "−" if shown < 0 else ""
    if (get_language() or "en").startswith("de"):
        return f"{sign}{digits}{NBSP}%"
    return f"{sign}{digits}%"


def _outcome(function: Callable[..., str], *args: object) -> tuple[str, str]:
    """The text, or the kind of error: both ways must fail alike where one fails."""
    try:
        return ("text", function(*args))
    except Exception as error:  # compared, not swallowed
        return ("error", type(error).__name__)


# Every Decimal hypothesis makes: huge and tiny exponents, many places, signed zeros.
decimals = st.decimals(allow_nan=False, allow_infinity=False)
# Ordinary amounts, and coefficients long enough to reach the 200-digit cut-off.
long_decimals = st.builds(
    lambda digits, exponent, negative: Decimal((int(negative), tuple(digits), exponent)),
    st.lists(st.integers(0, 9), min_size=1, max_size=260),
    st.integers(-60, 60),
    st.booleans(),
)
SPECIAL = [
    Decimal("0"),
    Decimal("-0"),
    Decimal("0.00"),
    Decimal("-0.00"),
    Decimal("-0.004"),
    Decimal("0.005"),
    Decimal("-0.005"),
    Decimal("1E+5"),
    Decimal("-1E+5"),
    Decimal("1E+250"),
    Decimal("1E-250"),
    Decimal("999.995"),
    Decimal("-999999.995"),
    Decimal("1234567.8912345678901234567890123456789"),
    Decimal("-87969535195371468959352626779765163.96"),
    Decimal("9" * 198 + ".99"),
    Decimal("9" * 199 + ".99"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", SPECIAL, ids=str)
def test_the_edge_amounts_read_as_number_format_wrote_them(language: str, value: Decimal) -> None:
    with translation.override(language):
        for currency in CURRENCIES:
            assert _outcome(format_money, value, currency) == _outcome(
                reference_money, value, currency
            )
        for places in range(5):
            assert _outcome(format_percent, value, places) == _outcome(
                reference_percent, value, places
            )


@given(
    value=st.one_of(decimals, long_decimals),
    currency=st.sampled_from(CURRENCIES),
    language=st.sampled_from(LANGUAGES),
)
@example(value=Decimal("1E+5"), currency="EUR", language="de")
@example(value=Decimal("-0"), currency="USD", language="en")
def test_an_amount_reads_as_number_format_wrote_it(
    value: Decimal, currency: str, language: str
) -> None:
    with translation.override(language):
        assert _outcome(format_money, value, currency) == _outcome(reference_money, value, currency)


@given(
    value=st.one_of(decimals, long_decimals),
    places=st.integers(0, 8),
    language=st.sampled_from(LANGUAGES),
)
@example(value=Decimal("-0.0004"), places=1, language="de")
def test_a_percentage_reads_as_number_format_wrote_it(
    value: Decimal, places: int, language: str
) -> None:
    with translation.override(language):
        assert _outcome(format_percent, value, places) == _outcome(reference_percent, value, places)


def test_a_language_that_groups_otherwise_is_left_to_number_format() -> None:
    # Grouping other than plain threes (Indian 12,34,567), with other marks: the
    # shortcut must leave it to number_format, and forget the old marks on the change.
    value = Decimal("1234567.891")
    with translation.override("en"):
        assert format_money(value, "EUR") == "€1,234,567.89"
        with override_settings(FORMAT_MODULE_PATH=["tests.income.formats_grouped"]):
            reset_format_cache()  # Django keeps its formats over a FORMAT_MODULE_PATH change
            assert format_money(value, "EUR") == reference_money(value, "EUR")
            assert format_money(value, "EUR") == "€12_34_567·89"
            assert format_percent(Decimal("123.4567")) == reference_percent(Decimal("123.4567"))
        reset_format_cache()
        assert format_money(value, "EUR") == "€1,234,567.89"
