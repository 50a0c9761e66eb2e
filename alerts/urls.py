from django.urls import path, re_path

from alerts import views

urlpatterns = [
    path("settings/alerts/", views.alert_settings, name="alert_settings"),
    path("settings/alerts/channels/", views.alert_channel_add, name="alert_channel_add"),
    path("settings/alerts/channels/<int:pk>/", views.alert_channel_edit, name="alert_channel_edit"),
    re_path(
        r"^settings/alerts/channels/(?P<pk>[0-9]+)/(?P<action>test|on|off|secret|delete)/$",
        views.alert_channel_action,
        name="alert_channel_action",
    ),
    path("settings/alerts/rules/", views.alert_rules_save, name="alert_rules_save"),
    path("settings/alerts/check/", views.alerts_check, name="alerts_check"),
]
