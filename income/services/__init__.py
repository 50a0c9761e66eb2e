"""Every write of the income app goes through one function here.

Services take keyword-only arguments, run inside ``transaction.atomic``, validate with
``full_clean()`` and send side effects (e-mail, tasks) only after commit.

One module per part of the domain: ``rows`` (how every service saves a row), ``users``
(sign-up, profile, mail, API token), ``sources``, ``payments``, ``payments_bulk``,
``records`` (subscription periods, effort, asset values), ``tax_records`` (costs and
fund years), ``allowance_orders`` and ``exchange_rates``. This
face hands every service on, so ``from income import services`` reads as before.
"""

from income.services.allowance_orders import (
    ALLOWANCE_ORDER_FIELDS,
    allowance_order_delete,
    allowance_order_set,
    allowance_order_update,
    allowance_orders_set_year,
)
from income.services.exchange_rates import exchange_rates_import
from income.services.payments import (
    PAYMENT_FIELDS,
    duplicate_message,
    payment_create,
    payment_delete,
    payment_update,
)
from income.services.payments_bulk import (
    PAYMENT_BULK_LIMIT,
    PAYMENT_UNDO_SECONDS,
    payments_bulk_delete,
    payments_bulk_move,
    payments_bulk_set_currency,
    payments_bulk_set_date,
    payments_restore,
)
from income.services.records import (
    ASSET_VALUE_FIELDS,
    EFFORT_FIELDS,
    PERIOD_FIELDS,
    asset_value_create,
    asset_value_delete,
    asset_value_update,
    effort_log_create,
    effort_log_delete,
    effort_log_update,
    period_create,
    period_delete,
    period_update,
)
from income.services.rows import model_assign_and_save, reject_unknown, row_locked
from income.services.sources import (
    SOURCE_FIELDS,
    source_create,
    source_delete,
    source_require_owner,
    source_update,
)
from income.services.tax_records import (
    COST_FIELDS,
    FUND_YEAR_FIELDS,
    cost_create,
    cost_delete,
    cost_update,
    fund_year_create,
    fund_year_delete,
    fund_year_update,
    source_takes_costs,
    source_takes_fund_years,
)
from income.services.users import (
    PROFILE_FIELDS,
    PROFILE_REPORT_FIELDS,
    api_token_create,
    email_send,
    profile_get_or_create,
    profile_update,
    profiles_get_or_create,
    user_register,
)

__all__ = [
    "ALLOWANCE_ORDER_FIELDS",
    "ASSET_VALUE_FIELDS",
    "COST_FIELDS",
    "EFFORT_FIELDS",
    "FUND_YEAR_FIELDS",
    "PAYMENT_BULK_LIMIT",
    "PAYMENT_FIELDS",
    "PAYMENT_UNDO_SECONDS",
    "PERIOD_FIELDS",
    "PROFILE_FIELDS",
    "PROFILE_REPORT_FIELDS",
    "SOURCE_FIELDS",
    "allowance_order_delete",
    "allowance_order_set",
    "allowance_order_update",
    "allowance_orders_set_year",
    "api_token_create",
    "asset_value_create",
    "asset_value_delete",
    "asset_value_update",
    "cost_create",
    "cost_delete",
    "cost_update",
    "duplicate_message",
    "effort_log_create",
    "effort_log_delete",
    "effort_log_update",
    "email_send",
    "exchange_rates_import",
    "fund_year_create",
    "fund_year_delete",
    "fund_year_update",
    "model_assign_and_save",
    "payment_create",
    "payment_delete",
    "payment_update",
    "payments_bulk_delete",
    "payments_bulk_move",
    "payments_bulk_set_currency",
    "payments_bulk_set_date",
    "payments_restore",
    "period_create",
    "period_delete",
    "period_update",
    "profile_get_or_create",
    "profile_update",
    "profiles_get_or_create",
    "reject_unknown",
    "row_locked",
    "source_create",
    "source_delete",
    "source_require_owner",
    "source_takes_costs",
    "source_takes_fund_years",
    "source_update",
    "user_register",
]
