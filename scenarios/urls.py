"""Browser pages of scenarios (the API is in ``scenarios.api.urls``)."""

from django.urls import path

from scenarios import views

urlpatterns = [
    path("scenarios/", views.scenario_list, name="scenario_list"),
    path("scenarios/new/", views.scenario_create, name="scenario_create"),
    path("scenarios/preview/", views.scenario_preview, name="scenario_preview"),
    path("scenarios/compare/", views.scenario_compare, name="scenario_compare"),
    path("scenarios/stress-test/", views.scenario_stress, name="scenario_stress"),
    path(
        "scenarios/from-calculator/",
        views.scenario_from_calculator,
        name="scenario_from_calculator",
    ),
    path("scenarios/from-calculator/claim/", views.scenario_claim, name="scenario_claim"),
    path("scenarios/behind-plan/", views.behind_plan_panel, name="scenario_behind_plan"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/edit/", views.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/clone/", views.scenario_clone, name="scenario_clone"),
    path("scenarios/<int:pk>/delete/", views.scenario_delete, name="scenario_delete"),
]
