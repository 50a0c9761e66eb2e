"""``/api/v1/household/``: the caller's household, what they share, and what is shared."""

from django.urls import path

from households.api import views

urlpatterns = [
    path("household/", views.HouseholdView.as_view(), name="api-household"),
    path("household/leave/", views.HouseholdLeaveView.as_view(), name="api-household-leave"),
    path(
        "household/members/<int:user_id>/remove/",
        views.HouseholdMemberRemoveView.as_view(),
        name="api-household-member-remove",
    ),
    path(
        "household/invitations/",
        views.HouseholdInvitationsView.as_view(),
        name="api-household-invitations",
    ),
    path(
        "household/invitations/<int:pk>/",
        views.HouseholdInvitationView.as_view(),
        name="api-household-invitation",
    ),
    path("household/join/", views.HouseholdJoinView.as_view(), name="api-household-join"),
    path("household/shares/", views.HouseholdSharesView.as_view(), name="api-household-shares"),
    path("household/sources/", views.HouseholdSourcesView.as_view(), name="api-household-sources"),
    path(
        "household/sources/<int:pk>/",
        views.HouseholdSourceView.as_view(),
        name="api-household-source",
    ),
    path(
        "household/sources/<int:pk>/payments/",
        views.HouseholdSourcePaymentsView.as_view(),
        name="api-household-source-payments",
    ),
    path(
        "household/payments/<int:pk>/",
        views.HouseholdPaymentView.as_view(),
        name="api-household-payment",
    ),
    path(
        "household/scenarios/",
        views.HouseholdScenariosView.as_view(),
        name="api-household-scenarios",
    ),
    path(
        "household/scenarios/<int:pk>/",
        views.HouseholdScenarioView.as_view(),
        name="api-household-scenario",
    ),
    path(
        "household/dashboard/",
        views.HouseholdDashboardView.as_view(),
        name="api-household-dashboard",
    ),
]
