from rest_framework.routers import DefaultRouter

from imports.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("imports", views.PaymentImportViewSet, basename="api-import")
router.register("import-mappings", views.ImportMappingViewSet, basename="api-import-mapping")

urlpatterns = router.urls
