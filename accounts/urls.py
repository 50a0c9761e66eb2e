"""Account pages under /accounts/: django-allauth's, plus the addresses we had before it.

The old names (``login``, ``signup``, ``logout``, ``password_change``, ``password_reset``)
are allauth's views mounted on the old paths, so links, bookmarks and forms that post
there keep working; the old confirmation pages redirect to their allauth counterparts.
A reset link mailed before the move carries Django's token, which allauth does not
read: it leads to the form that sends a new one.
"""

from allauth.account import views as allauth_views
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from accounts import views

urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("password_change/", allauth_views.password_change, name="password_change"),
    path(
        "password_change/done/",
        RedirectView.as_view(pattern_name="settings"),
        name="password_change_done",
    ),
    path("password_reset/", allauth_views.password_reset, name="password_reset"),
    path(
        "password_reset/done/",
        RedirectView.as_view(pattern_name="account_reset_password_done"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        RedirectView.as_view(url=reverse_lazy("account_reset_password")),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        RedirectView.as_view(pattern_name="account_login"),
        name="password_reset_complete",
    ),
    path("tokens/", views.api_token_list, name="api_token_list"),
    path("tokens/<str:key>/revoke/", views.api_token_revoke_page, name="api_token_revoke"),
    path("", include("allauth.urls")),
]
