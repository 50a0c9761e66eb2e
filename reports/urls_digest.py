"""The weekly digest's opt-out page (the link in every digest)."""

from django.urls import path

from reports import views_digest

urlpatterns = [
    path(
        "digest/unsubscribe/<str:token>/",
        views_digest.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
]
