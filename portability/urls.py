from django.urls import path

from portability import views

urlpatterns = [
    path("settings/data/", views.data_page, name="data_page"),
    path("settings/data/export.zip", views.data_export, name="data_export"),
    path("settings/data/import/", views.data_import, name="data_import"),
    path("settings/data/import/<int:pk>/", views.data_import_job, name="data_import_job"),
    path("settings/data/delete/", views.account_delete, name="account_delete"),
]
