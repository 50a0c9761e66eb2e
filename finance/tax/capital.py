"""Capital income of one calendar year under the Abgeltungsteuer (§§20, 32d, 43 ff. EStG).

The year is computed twice over the same items:

- as the return computes it (``capital_year``'s totals): all banks together, the
  allowance of the filing status used chronologically, earliest income first, as banks
  use theirs;
- as each bank withholds (``capital_year``'s ``banks``): a bank sees only its own
  items and uses only its allowance order (Freistellungsauftrag).

Their difference against the tax the banks actually withheld is what the return adds
(or, negative, refunds).

Foreign withholding tax is credited per item (§32d (5) EStG): at most the treaty rate ×
gross (the rest is reclaimable in the source country, not creditable here), and at most
the German capital-gains tax on that item's taxed part, 25 % of it. An item wholly
covered by the allowance bears no German tax, so it credits nothing itself:
``CreditLimit.COVERED_BY_ALLOWANCE`` says so where it happens. What an item cannot
credit itself (but could under the treaty) is not lost at once: the bank keeps it in a
pot (Quellensteuertopf, §43a (3) sentence 1 EStG) and credits it against the German tax
on later income of the same calendar year; what is left at the end of the year the bank
certifies, and the return credits it against the tax on other banks' income. The engine
models that pot in both computations, crediting it against later items' remaining
German tax in date order (``ItemTax.credited_from_pot``); what is left at the end of
the year is not credited at all (``not_credited`` of the year).

All amounts are euros; income in another currency is converted by the caller
(``finance.money``) at the rate of its date. Income is not negative here: losses and
their pots (Verlustverrechnung) are not part of this engine yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from enum import StrEnum

from finance.rounding import EXACT, to_cents
from finance.tax.facts import FilingStatus, FundType, TaxYearFacts
from finance.tax.funds import Vorabpauschale, fund_taxable

ZERO = Decimal(0)
ONE = Decimal(1)


class IncomeKind(StrEnum):
    """What a capital payment is: the return asks for each kind on its own line."""

    DIVIDEND = "dividend"
    INTEREST = "interest"
    FUND_DISTRIBUTION = "fund_distribution"
    VORABPAUSCHALE = "vorabpauschale"
    OTHER = "other"


FUND_KINDS = frozenset({IncomeKind.FUND_DISTRIBUTION, IncomeKind.VORABPAUSCHALE})


class CreditLimit(StrEnum):
    """What decided how much of an item's foreign tax it credits itself (a code, not prose).

    - ``NOTHING_WITHHELD``: no foreign tax on the item;
    - ``WITHHELD``: all of it is credited;
    - ``TREATY_RATE``: credited up to the treaty rate, the rest reclaimable abroad;
    - ``GERMAN_TAX``: credited up to the German tax on the item's taxed part (partly
      covered by the allowance, or partly exempt), the rest goes to the pot;
    - ``COVERED_BY_ALLOWANCE``: the allowance covers the whole item, no German tax is
      due on it, so the item credits nothing; its foreign tax goes to the pot, for
      later income of the year to credit, if any.
    """

    NOTHING_WITHHELD = "nothing_withheld"
    WITHHELD = "withheld"
    TREATY_RATE = "treaty_rate"
    GERMAN_TAX = "german_tax"
    COVERED_BY_ALLOWANCE = "covered_by_allowance"


@dataclass(frozen=True)
class CapitalIncome:
    """One item of capital income, in euros (cents).

    ``fund_type`` is required for fund income (distributions, Vorabpauschale) and absent
    otherwise. ``foreign_tax`` is what the source country withheld; ``country`` is ISO
    3166 alpha-2. ``german_tax_withheld`` is all the German bank withheld on the item,
    capital-gains tax, solidarity surcharge and church tax as one amount, as a bank
    statement and a payment's "tax withheld" show it; the engine compares it with the
    total due.
    """

    day: date
    bank: str
    kind: IncomeKind
    gross: Decimal
    fund_type: FundType | None = None
    foreign_tax: Decimal = ZERO
    country: str = "DE"
    german_tax_withheld: Decimal = ZERO


@dataclass(frozen=True)
class ItemTax:
    """One item's part of the year.

    taxed = taxable − allowance used; the item's foreign tax = creditable (on the item
    itself) + reclaimable (abroad) + not credited (on the item: it goes to the pot).
    ``credited_from_pot`` is earlier items' foreign tax credited against this item's
    German tax; with ``creditable`` it never exceeds 25 % of ``taxed``.
    """

    income: CapitalIncome
    taxable: Decimal
    allowance_used: Decimal
    taxed: Decimal
    creditable: Decimal
    reclaimable: Decimal
    not_credited: Decimal
    credit_limit: CreditLimit
    credited_from_pot: Decimal


@dataclass(frozen=True)
class TaxDue:
    """Capital-gains tax, solidarity surcharge and church tax; ``total`` is their sum."""

    capital_gains_tax: Decimal
    solidarity: Decimal
    church_tax: Decimal
    total: Decimal


@dataclass(frozen=True)
class BankTax:
    """One bank's year as it withholds: its items against its allowance order only.

    ``taxable`` is the bank's taxable income, ``allowance_used`` what its order covered,
    ``creditable`` the foreign tax it credits (items' own and from its pot),
    ``not_credited`` what is left in its pot at the end of the year (the bank certifies
    it for the return), ``due`` what it should withhold by the rules, ``withheld`` what
    it did withhold.
    """

    bank: str
    taxable: Decimal
    allowance_order: Decimal
    allowance_used: Decimal
    creditable: Decimal
    not_credited: Decimal
    due: TaxDue
    withheld: Decimal
    items: tuple[ItemTax, ...]


@dataclass(frozen=True)
class CapitalYear:
    """The year as the return computes it, with each bank's view beside it.

    The totals are sums of the items' rounded figures. Foreign tax = ``creditable``
    (the items' own credits and ``credited_from_pot``) + ``reclaimable`` +
    ``not_credited`` (left in the pot at the end of the year, lost). ``difference`` =
    ``due.total`` − ``withheld``: what the return adds, negative for a refund. A
    positive difference must be declared (§32d (3) EStG: income no German bank taxed,
    at a foreign broker say); a refund comes only with a return the person chooses to
    file (§32d (4) EStG).
    """

    year: int
    filing_status: FilingStatus
    church_rate: Decimal
    items: tuple[ItemTax, ...]
    banks: tuple[BankTax, ...]
    taxable: Decimal
    allowance: Decimal
    allowance_used: Decimal
    taxed: Decimal
    foreign_tax: Decimal
    creditable: Decimal
    credited_from_pot: Decimal
    reclaimable: Decimal
    not_credited: Decimal
    due: TaxDue
    withheld: Decimal
    difference: Decimal


def capital_tax(
    *, taxed: Decimal, creditable: Decimal, church_rate: Decimal, facts: TaxYearFacts
) -> TaxDue:
    """The tax on ``taxed`` income after crediting ``creditable`` foreign tax (§32d (1) EStG).

    Capital-gains tax = (e − 4q) / (4 + k), e the income after the allowance, q the
    creditable foreign tax, k the church-tax rate (0 without church tax); the 4 is
    1 / 25 %, written here from ``facts.capital_gains_tax_rate``. The church tax is
    deductible as a special expense, which the formula folds in; with k = 0 it is
    25 % × e − q. Never negative. The capital-gains tax is rounded once to cents; the
    solidarity surcharge (5.5 %) and the church tax (k) are computed from that rounded
    amount, as the bank's statement shows them, and the total is the sum of the three.
    """
    with localcontext(EXACT):
        inverse = ONE / facts.capital_gains_tax_rate
        tax = to_cents(max(ZERO, (taxed - inverse * creditable) / (inverse + church_rate)))
        solidarity = to_cents(tax * facts.solidarity_rate)
        church_tax = to_cents(tax * church_rate)
        return TaxDue(
            capital_gains_tax=tax,
            solidarity=solidarity,
            church_tax=church_tax,
            total=tax + solidarity + church_tax,
        )


def vorabpauschale_income(*, vorabpauschale: Vorabpauschale, bank: str) -> CapitalIncome:
    """The Vorabpauschale as an item of capital income: the gross of the holding, dated
    when it counts as received (the next year's first working day), at the ``bank`` that
    keeps the holding and takes the tax on it from the account."""
    return CapitalIncome(
        day=vorabpauschale.received_on,
        bank=bank,
        kind=IncomeKind.VORABPAUSCHALE,
        fund_type=vorabpauschale.fund_type,
        gross=vorabpauschale.gross,
    )


def _check(item: CapitalIncome, facts: TaxYearFacts) -> None:
    if item.day.year != facts.year:
        raise ValueError(f"Income of {item.day} is not of the tax year {facts.year}.")
    if min(item.gross, item.foreign_tax, item.german_tax_withheld) < ZERO:
        raise ValueError("Gross, foreign tax and German tax withheld cannot be negative.")
    if (item.kind in FUND_KINDS) != (item.fund_type is not None):
        raise ValueError(f"A fund type belongs to fund income only, not to {item.kind}.")


def _taxable(item: CapitalIncome, facts: TaxYearFacts) -> Decimal:
    if item.fund_type is None:
        return item.gross
    return fund_taxable(gross=item.gross, fund_type=item.fund_type, facts=facts)


def _item_tax(
    item: CapitalIncome, allowance_left: Decimal, pot: Decimal, facts: TaxYearFacts
) -> ItemTax:
    """One item after ``allowance_left``: the allowance first, then its own foreign tax,
    then what its German tax leaves room for from the ``pot`` of earlier items."""
    taxable = _taxable(item, facts)
    used = min(allowance_left, taxable)
    taxed = taxable - used
    treaty_rate = facts.treaty_rate(item.country)
    with localcontext(EXACT):
        # Without a treaty nothing is reclaimable; §32d (5) still caps the credit at the
        # German tax, which the cap below applies.
        treaty_cap = item.foreign_tax if treaty_rate is None else to_cents(item.gross * treaty_rate)
        german_cap = to_cents(taxed * facts.capital_gains_tax_rate)
    claimable = min(item.foreign_tax, treaty_cap)
    creditable = min(claimable, german_cap)
    if item.foreign_tax == ZERO:
        limit = CreditLimit.NOTHING_WITHHELD
    elif taxed == ZERO:
        limit = CreditLimit.COVERED_BY_ALLOWANCE
    elif creditable == item.foreign_tax:
        limit = CreditLimit.WITHHELD
    elif creditable < claimable:
        limit = CreditLimit.GERMAN_TAX
    else:
        limit = CreditLimit.TREATY_RATE
    return ItemTax(
        income=item,
        taxable=taxable,
        allowance_used=used,
        taxed=taxed,
        creditable=creditable,
        reclaimable=item.foreign_tax - claimable,
        not_credited=claimable - creditable,
        credit_limit=limit,
        credited_from_pot=min(pot, german_cap - creditable),
    )


def _items_tax(
    items: Iterable[CapitalIncome], allowance: Decimal, facts: TaxYearFacts
) -> tuple[ItemTax, ...]:
    """``items`` in order, each using what is left of ``allowance`` and of the pot."""
    left = allowance
    pot = ZERO
    result = []
    for item in items:
        item_tax = _item_tax(item, left, pot, facts)
        left -= item_tax.allowance_used
        pot += item_tax.not_credited - item_tax.credited_from_pot
        result.append(item_tax)
    return tuple(result)


def _credited(items: tuple[ItemTax, ...]) -> Decimal:
    """All foreign tax credited on ``items``: their own credits and those from the pot."""
    return _sum(item.creditable + item.credited_from_pot for item in items)


def _left_in_pot(items: tuple[ItemTax, ...]) -> Decimal:
    return _sum(item.not_credited - item.credited_from_pot for item in items)


def _sum(values: Iterable[Decimal]) -> Decimal:
    with localcontext(EXACT):
        return sum(values, ZERO)


def capital_year(
    *,
    facts: TaxYearFacts,
    items: Iterable[CapitalIncome],
    filing_status: FilingStatus,
    church_rate: Decimal = ZERO,
    allowance_orders: Mapping[str, Decimal],
    allowance: Decimal | None = None,
) -> CapitalYear:
    """The capital income of ``facts.year``: per item, per bank and for the return.

    Items are taken earliest first (ties by bank, then as given). The return uses the
    allowance of ``filing_status`` over all banks together, or ``allowance`` when given
    (a spouse's share of a joint allowance, ``TaxYearFacts.joint_allowance_share``);
    each bank its own order from
    ``allowance_orders`` (a bank without one has none), over its own items. The
    ``church_rate`` is 0 or one of ``facts.church_tax_rates``. A Vorabpauschale is an
    item dated on the day it counts as received (``funds.Vorabpauschale.received_on``;
    ``vorabpauschale_income`` builds it), so that of 2025 belongs to the year 2026.

    Raises ``ValueError`` for an item of another year, a negative amount, a fund type
    on income that is not from a fund (or none on fund income), a negative allowance
    or allowance order, or an unknown church-tax rate.
    """
    if church_rate != ZERO and church_rate not in facts.church_tax_rates:
        raise ValueError(f"Unknown church-tax rate {church_rate}.")
    if any(order < ZERO for order in allowance_orders.values()):
        raise ValueError("An allowance order cannot be negative.")
    ordered = sorted(items, key=lambda item: (item.day, item.bank))
    for item in ordered:
        _check(item, facts)
    if allowance is None:
        allowance = facts.saver_allowance(filing_status)
    elif allowance < ZERO:
        raise ValueError("An allowance cannot be negative.")
    returned = _items_tax(ordered, allowance, facts)

    banks = []
    for bank in sorted({item.bank for item in ordered} | set(allowance_orders)):
        order = allowance_orders.get(bank, ZERO)
        bank_items = _items_tax((item for item in ordered if item.bank == bank), order, facts)
        taxed = _sum(item.taxed for item in bank_items)
        creditable = _credited(bank_items)
        banks.append(
            BankTax(
                bank=bank,
                taxable=_sum(item.taxable for item in bank_items),
                allowance_order=order,
                allowance_used=_sum(item.allowance_used for item in bank_items),
                creditable=creditable,
                not_credited=_left_in_pot(bank_items),
                due=capital_tax(
                    taxed=taxed, creditable=creditable, church_rate=church_rate, facts=facts
                ),
                withheld=_sum(item.income.german_tax_withheld for item in bank_items),
                items=bank_items,
            )
        )

    taxed = _sum(item.taxed for item in returned)
    creditable = _credited(returned)
    due = capital_tax(taxed=taxed, creditable=creditable, church_rate=church_rate, facts=facts)
    withheld = _sum(item.income.german_tax_withheld for item in returned)
    return CapitalYear(
        year=facts.year,
        filing_status=filing_status,
        church_rate=church_rate,
        items=returned,
        banks=tuple(banks),
        taxable=_sum(item.taxable for item in returned),
        allowance=allowance,
        allowance_used=_sum(item.allowance_used for item in returned),
        taxed=taxed,
        foreign_tax=_sum(item.income.foreign_tax for item in returned),
        creditable=creditable,
        credited_from_pot=_sum(item.credited_from_pot for item in returned),
        reclaimable=_sum(item.reclaimable for item in returned),
        not_credited=_left_in_pot(returned),
        due=due,
        withheld=withheld,
        difference=due.total - withheld,
    )
