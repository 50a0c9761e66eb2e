from django.urls import path

from income.api import views

urlpatterns = [
    path("calculator/", views.CalculatorView.as_view(), name="api-calculator"),
    path("auth/register/", views.RegisterView.as_view(), name="api-register"),
    path("auth/login/", views.LoginView.as_view(), name="api-login"),
    path("auth/logout/", views.LogoutView.as_view(), name="api-logout"),
    path("auth/logoutall/", views.LogoutAllView.as_view(), name="api-logoutall"),
    path("me/", views.MeView.as_view(), name="api-me"),
]
