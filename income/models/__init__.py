"""Income data. Models hold data, constraints and trivial properties; rules live in services.

One module per part of the domain; this face hands every model on, so Django finds
them and ``from income.models import Payment`` reads as before."""

from income.models.billing import (
    BillingInterval as BillingInterval,
)
from income.models.billing import (
    BillingSubscription as BillingSubscription,
)
from income.models.billing import (
    Customer as Customer,
)
from income.models.billing import (
    SubscriptionPause as SubscriptionPause,
)
from income.models.feeds import (
    CalendarFeed as CalendarFeed,
)
from income.models.fields import (
    CURRENCY_CHOICES as CURRENCY_CHOICES,
)
from income.models.fields import (
    ONE as ONE,
)
from income.models.fields import (
    ZERO as ZERO,
)
from income.models.fields import (
    Localized as Localized,
)
from income.models.fields import (
    in_active_language as in_active_language,
)
from income.models.fields import (
    money_field as money_field,
)
from income.models.fields import (
    rate_field as rate_field,
)
from income.models.profile import (
    CHURCH_TAX_CHOICES as CHURCH_TAX_CHOICES,
)
from income.models.profile import (
    DateStyle as DateStyle,
)
from income.models.profile import (
    FilingStatus as FilingStatus,
)
from income.models.profile import (
    Profile as Profile,
)
from income.models.profile import (
    Theme as Theme,
)
from income.models.records import (
    ASSET_MODELS as ASSET_MODELS,
)
from income.models.records import (
    AssetValue as AssetValue,
)
from income.models.records import (
    EffortLog as EffortLog,
)
from income.models.records import (
    Payment as Payment,
)
from income.models.records import (
    SubscriptionPeriod as SubscriptionPeriod,
)
from income.models.reference import (
    CalculationModel as CalculationModel,
)
from income.models.reference import (
    ExchangeRate as ExchangeRate,
)
from income.models.reference import (
    HelpArticle as HelpArticle,
)
from income.models.reference import (
    IncomeCategory as IncomeCategory,
)
from income.models.reference import (
    RateFetch as RateFetch,
)
from income.models.reference import (
    RateFetchStatus as RateFetchStatus,
)
from income.models.reference import (
    TaxProfile as TaxProfile,
)
from income.models.reference import (
    TaxTreatment as TaxTreatment,
)
from income.models.sources import (
    FOREIGN_TAX_AMOUNTS as FOREIGN_TAX_AMOUNTS,
)
from income.models.sources import (
    RECEIPT_AMOUNTS as RECEIPT_AMOUNTS,
)
from income.models.sources import (
    REVERSAL_AMOUNTS as REVERSAL_AMOUNTS,
)
from income.models.sources import (
    FundType as FundType,
)
from income.models.sources import (
    IncomeSource as IncomeSource,
)
from income.models.sources import (
    PayoutRhythm as PayoutRhythm,
)
from income.models.sources import (
    SourceStatus as SourceStatus,
)
from income.models.tax_records import (
    AllowanceOrder as AllowanceOrder,
)
from income.models.tax_records import (
    Cost as Cost,
)
from income.models.tax_records import (
    CostKind as CostKind,
)
from income.models.tax_records import (
    FundYear as FundYear,
)
from income.models.tax_years import (
    TaxYear as TaxYear,
)
from income.models.tax_years import (
    TreatyRate as TreatyRate,
)
