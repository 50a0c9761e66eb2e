from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from income.forms import QueuedPasswordResetForm
from income.views import (
    accounts,
    calculator,
    dashboard,
    exports,
    help,
    pages,
    payments,
    records,
    sources,
    values,
)

urlpatterns = [
    path("", pages.home, name="home"),
    path("calculator/", calculator.calculator_page, name="calculator"),
    path("help/", help.help_index, name="help_index"),
    path("help/figures/", help.help_figures, name="help_figures"),
    path("help/<slug:slug>/", help.help_article, name="help_article"),
    path("calendar/", dashboard.income_calendar, name="income_calendar"),
    path("exports/payments.csv", exports.payments_export, name="payments_export"),
    path("exports/sources.csv", exports.sources_export, name="sources_export"),
    path("sources/", sources.source_list, name="source_list"),
    path("sources/new/", sources.source_create, name="source_create"),
    path("sources/<int:pk>/", sources.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit/", sources.source_edit, name="source_edit"),
    path("sources/<int:pk>/delete/", sources.source_delete, name="source_delete"),
    path("sources/<int:pk>/periods/new/", records.period_create, name="period_create"),
    path("sources/<int:pk>/effort/new/", records.effort_create, name="effort_create"),
    path("periods/<int:pk>/edit/", records.period_edit, name="period_edit"),
    path("periods/<int:pk>/delete/", records.period_delete, name="period_delete"),
    path("effort/<int:pk>/edit/", records.effort_edit, name="effort_edit"),
    path("effort/<int:pk>/delete/", records.effort_delete, name="effort_delete"),
    path("sources/<int:pk>/values/new/", values.asset_value_create, name="asset_value_create"),
    path("values/<int:pk>/edit/", values.asset_value_edit, name="asset_value_edit"),
    path("values/<int:pk>/delete/", values.asset_value_delete, name="asset_value_delete"),
    path("payments/", payments.payment_list, name="payment_list"),
    path("payments/add/", payments.payment_create, name="payment_create"),
    path("payments/<int:pk>/edit/", payments.payment_edit, name="payment_edit"),
    path("payments/<int:pk>/delete/", payments.payment_delete, name="payment_delete"),
    path("settings/", accounts.settings_page, name="settings"),
    path("language/", accounts.language_switch, name="language_switch"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.ProfileLanguageLoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=QueuedPasswordResetForm,
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
]
