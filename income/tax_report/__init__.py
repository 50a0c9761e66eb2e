"""The yearly tax report (issue 22, PRODUCT.md §9): a person's records of one calendar
year read into the pure engine (``finance.tax``), each figure with the records it is
made of, so a page, a PDF, a CSV file and the API show the same numbers and link them.

``tax_year_report`` is the one selector; the modules beside it map records to the
engine's inputs: ``inputs`` loads and converts, ``capital``, ``rental`` and
``business`` build each block. Nothing here is tax advice: it is arithmetic on what
the person recorded, by the rules of the year's facts.
"""

from income.tax_report.report import (
    CapitalRow as CapitalRow,
)
from income.tax_report.report import (
    Notice as Notice,
)
from income.tax_report.report import (
    ReportLine as ReportLine,
)
from income.tax_report.report import (
    TaxYearReport as TaxYearReport,
)
from income.tax_report.report import (
    tax_report_years as tax_report_years,
)
from income.tax_report.report import (
    tax_year_report as tax_year_report,
)
