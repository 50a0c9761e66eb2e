"""Token log-in, second factor, sign-up and log-out for API clients, under /api/v1/auth/."""

from django.urls import path

from accounts.api import views as api

urlpatterns = [
    path("auth/register/", api.RegisterView.as_view(), name="api-register"),
    path("auth/login/", api.LoginView.as_view(), name="api-login"),
    path("auth/login/mfa/", api.MfaLoginView.as_view(), name="api-login-mfa"),
    path("auth/logout/", api.LogoutView.as_view(), name="api-logout"),
    path("auth/logoutall/", api.LogoutAllView.as_view(), name="api-logoutall"),
    path("auth/tokens/", api.TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<str:key>/", api.TokenDetailView.as_view(), name="api-token-detail"),
]
