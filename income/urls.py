from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from income.forms import QueuedPasswordResetForm
from income.views import accounts, calculator, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("calculator/", calculator.calculator_page, name="calculator"),
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
