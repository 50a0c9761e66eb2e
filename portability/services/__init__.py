"""Export, import and deletion of everything a user owns.

The export is the user's own rows only, read through the apps' selectors; the import
writes them back through the apps' services, so it obeys every rule a form or the API
obeys. It runs in a worker, in short batches, all or nothing: a file with one bad row
imports nothing (``account_import`` says how). Derived data
(report snapshots, recompute jobs) is not exported: the import's change announcement
recomputes it, from the same rows, to the same figures.

One module per part: ``columns`` (what the export writes and the import reads),
``export``, ``importing`` (the rows written back, and undone), ``import_jobs`` (the
import as a worker's job: queue, lease, journal, watchdog) and ``deletion``. This face
hands every service on, so ``from portability import services`` reads as before.
"""

from portability.services.columns import (
    ALLOWANCE_ORDER_FIELDS,
    ASSET_VALUE_FIELDS,
    BILLING_SUBSCRIPTION_FIELDS,
    COST_FIELDS,
    CUSTOMER_FIELDS,
    EFFORT_FIELDS,
    FUND_YEAR_FIELDS,
    PAYMENT_FIELDS,
    PERIOD_FIELDS,
    PROFILE_FIELDS,
    SCENARIO_FIELDS,
    SLUGGED,
    SOURCE_FIELDS,
    SUBSCRIPTION_PAUSE_FIELDS,
    row_plain,
    row_values,
)
from portability.services.deletion import account_delete
from portability.services.export import account_document, account_export
from portability.services.import_jobs import (
    IMPORT_BROKE,
    IMPORT_NOT_QUEUED,
    IMPORT_WORKER_LOST,
    PENDING,
    QUEUED_OVERDUE,
    account_import_file,
    data_import_fail,
    data_import_run,
    data_import_start,
    data_imports_recover,
)
from portability.services.importing import (
    IMPORT_BATCH_ROWS,
    ImportJournal,
    ImportProgress,
    ImportSummary,
    account_import,
    account_import_check,
    account_import_undo,
)

__all__ = [
    "ALLOWANCE_ORDER_FIELDS",
    "ASSET_VALUE_FIELDS",
    "BILLING_SUBSCRIPTION_FIELDS",
    "COST_FIELDS",
    "CUSTOMER_FIELDS",
    "EFFORT_FIELDS",
    "FUND_YEAR_FIELDS",
    "IMPORT_BATCH_ROWS",
    "IMPORT_BROKE",
    "IMPORT_NOT_QUEUED",
    "IMPORT_WORKER_LOST",
    "PAYMENT_FIELDS",
    "PENDING",
    "PERIOD_FIELDS",
    "PROFILE_FIELDS",
    "QUEUED_OVERDUE",
    "SCENARIO_FIELDS",
    "SLUGGED",
    "SOURCE_FIELDS",
    "SUBSCRIPTION_PAUSE_FIELDS",
    "ImportJournal",
    "ImportProgress",
    "ImportSummary",
    "account_delete",
    "account_document",
    "account_export",
    "account_import",
    "account_import_check",
    "account_import_file",
    "account_import_undo",
    "data_import_fail",
    "data_import_run",
    "data_import_start",
    "data_imports_recover",
    "row_plain",
    "row_values",
]
