from django.urls import path
from rest_framework.routers import DefaultRouter

from alerts.api.views import (
    AlertChannelViewSet,
    AlertCheckView,
    AlertDeliveryViewSet,
    AlertRuleViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("alerts/channels", AlertChannelViewSet, basename="api-alert-channel")
router.register("alerts/rules", AlertRuleViewSet, basename="api-alert-rule")
router.register("alerts/deliveries", AlertDeliveryViewSet, basename="api-alert-delivery")

urlpatterns = [
    path("alerts/check/", AlertCheckView.as_view(), name="api-alert-check"),
    *router.urls,
]
