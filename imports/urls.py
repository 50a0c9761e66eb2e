from django.urls import path

from imports import views

urlpatterns = [
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path(
        "imports/mappings/<int:pk>/delete/",
        views.import_mapping_delete,
        name="import_mapping_delete",
    ),
]
