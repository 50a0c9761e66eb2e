from rest_framework.routers import DefaultRouter

from scenarios.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("scenarios", views.ScenarioAnalysisViewSet, basename="api-scenario")

urlpatterns = router.urls
