"""Bondora: the account statement (loan payments and Go & Grow), as CSV.

Evidence: a raw statement in ChrisRBe/PP-P2P-Parser (``src/test/testdata/bondora.csv``)
and that project's configurations for the classic account and for Go & Grow, plus the
description list of another importer (winvestify).

- ``TransferDate;Currency;Amount;Number;Description;LoanNumber;Counterparty;
  BalanceAfterPayment``. The raw sample was saved from a German Excel (``;``, ``0,0873``,
  ``7,05883E-05``, ``02.01.2024 10:14``); Bondora's own CSV may use ``,`` and ``.`` and Go &
  Grow ISO timestamps (``2024-02-12T14:30:00Z``): delimiter, numbers and dates are
  detected per file.
- The type is the ``Description`` up to a ``|`` (``TransferDeposit|<IBAN>``): the row
  rule cuts the rest off. Bondora spells ``Repaiment`` (sic), and so do the types here.
- Every row goes to one source, "Bondora": a source per loan would bury the overview.
  The loan number ties nothing here (no tax rows) but is kept as the group.
- Principal coming back, and money moved into Go & Grow (``TransferGoGrow``) or out of
  it (``TransferGoGrowMainRepaiment``), are transfers; the Go & Grow withdrawal fee is a
  fee of its own, not taken off the interest.
- Bondora withholds no tax for most countries: there is no tax column.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

from imports.parsing import kinds
from imports.parsing.messages import gettext_noop
from imports.parsing.options import Options
from imports.parsing.presets import Preset

_TYPES = {
    "TransferInterestRepaiment": kinds.INCOME,
    "TransferExtraInterestRepaiment": kinds.INCOME,
    "TransferLatePenaltyRepaiment": kinds.INCOME,
    "TransferGoGrowInterestRepaiment": kinds.INCOME,
    "TransferDeposit": kinds.skip("deposit"),
    "TransferWithdraw": kinds.skip("withdrawal"),
    "Withdraw": kinds.skip("withdrawal"),
    "TransferGoGrow": kinds.skip("transfer"),
    "TransferGoGrowMainRepaiment": kinds.skip("transfer"),
    "TransferMainRepaiment": kinds.skip("transfer"),
    "TransferPartialMainRepaiment": kinds.skip("transfer"),
    "GoGrowWithdrawalFee": kinds.skip("fee"),
    "FX commission": kinds.skip("fee"),
}


def _description_type(values: MutableMapping[str, str], row: Mapping[str, str]) -> None:
    """The type is the description before its ``|`` (``TransferDeposit|DE02…``)."""
    values["type"] = values["type"].partition("|")[0]


PRESETS = (
    Preset(
        key="bondora",
        name="Bondora",
        signature=("TransferDate", "Currency", "Amount", "Number", "Description", "LoanNumber",
                   "Counterparty"),
        options=Options(
            columns={
                "date": "TransferDate", "currency": "Currency", "gross": "Amount",
                "external_id": "Number", "type": "Description", "note": "Description",
                "group": "LoanNumber",
            },
            guess=False,
            types=_TYPES,
            source_fallback="Bondora",
        ),
        category="p2p-interest",
        description=gettext_noop("Bondora account statement"),
        row_rule=_description_type,
    ),
)  # fmt: skip
