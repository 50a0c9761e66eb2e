"""Browser pages of households (the API is in ``households.api``)."""

from django.urls import path

from households import views

urlpatterns = [
    path("household/", views.household_page, name="household"),
    path("household/new/", views.household_create, name="household_create"),
    path("household/invite/", views.household_invite, name="household_invite"),
    path(
        "household/invitations/revoke/",
        views.household_invitation_revoke,
        name="household_invitation_revoke",
    ),
    path(
        "household/members/remove/", views.household_member_remove, name="household_member_remove"
    ),
    path("household/leave/", views.household_leave, name="household_leave"),
    path("household/joint/", views.household_joint, name="household_joint"),
    path("household/shares/", views.household_shares, name="household_shares"),
    path("household/join/<str:token>/", views.household_join, name="household_join"),
    path("household/dashboard/", views.household_dashboard, name="household_dashboard"),
    path("household/sources/<int:pk>/", views.household_source, name="household_source"),
    path("household/scenarios/<int:pk>/", views.household_scenario, name="household_scenario"),
]
