from django.urls import path
from rest_framework.routers import DefaultRouter

from income.api import billing, tax_records, views
from income.api.allowance_orders import AllowanceOrderViewSet
from income.api.calendar import CalendarView
from income.api.calendar_feeds import CalendarFeedView
from income.api.definitions import FigureDefinitionsView
from income.api.tax_report import TaxReportCsvView, TaxReportPdfView, TaxReportView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("sources", views.SourceViewSet, basename="api-source")
router.register("payments", views.PaymentViewSet, basename="api-payment")
router.register(
    "subscription-periods", views.SubscriptionPeriodViewSet, basename="api-subscription-period"
)
router.register("effort-logs", views.EffortLogViewSet, basename="api-effort-log")
router.register("asset-values", views.AssetValueViewSet, basename="api-asset-value")
router.register("costs", tax_records.CostViewSet, basename="api-cost")
router.register("fund-years", tax_records.FundYearViewSet, basename="api-fund-year")
router.register("customers", billing.CustomerViewSet, basename="api-customer")
router.register(
    "billing-subscriptions",
    billing.BillingSubscriptionViewSet,
    basename="api-billing-subscription",
)
router.register(
    "subscription-pauses", billing.SubscriptionPauseViewSet, basename="api-subscription-pause"
)
router.register("categories", views.CategoryViewSet, basename="api-category")
router.register("tax-profiles", views.TaxProfileViewSet, basename="api-tax-profile")
router.register("tax-years", views.TaxYearViewSet, basename="api-tax-year")
router.register("exchange-rates", views.ExchangeRateViewSet, basename="api-exchange-rate")
router.register("help", views.HelpArticleViewSet, basename="api-help")
router.register("allowance-orders", AllowanceOrderViewSet, basename="api-allowance-order")

urlpatterns = [
    path("calculator/", views.CalculatorView.as_view(), name="api-calculator"),
    path("me/", views.MeView.as_view(), name="api-me"),
    path("me/calendar-feed/", CalendarFeedView.as_view(), name="api-me-calendar-feed"),
    path("dashboard/", views.DashboardView.as_view(), name="api-dashboard"),
    path("figures/", FigureDefinitionsView.as_view(), name="api-figures"),
    path("calendar/", CalendarView.as_view(), name="api-calendar"),
    path("tax-report/<int:year>/", TaxReportView.as_view(), name="api-tax-report"),
    path("tax-report/<int:year>/csv/", TaxReportCsvView.as_view(), name="api-tax-report-csv"),
    path("tax-report/<int:year>/pdf/", TaxReportPdfView.as_view(), name="api-tax-report-pdf"),
    *router.urls,
]
