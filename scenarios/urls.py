"""Browser pages of scenarios (the API is in ``scenarios.api.urls``)."""

from django.urls import path

from scenarios.views import calculator, compare, editing, overview, stress

urlpatterns = [
    path("scenarios/", overview.scenario_list, name="scenario_list"),
    path("scenarios/new/", editing.scenario_create, name="scenario_create"),
    path("scenarios/preview/", editing.scenario_preview, name="scenario_preview"),
    path("scenarios/compare/", compare.scenario_compare, name="scenario_compare"),
    path("scenarios/stress-test/", stress.scenario_stress, name="scenario_stress"),
    path(
        "scenarios/from-calculator/",
        calculator.scenario_from_calculator,
        name="scenario_from_calculator",
    ),
    path("scenarios/from-calculator/claim/", calculator.scenario_claim, name="scenario_claim"),
    path("scenarios/behind-plan/", overview.behind_plan_panel, name="scenario_behind_plan"),
    path("scenarios/<int:pk>/", overview.scenario_detail, name="scenario_detail"),
    path("scenarios/<int:pk>/edit/", editing.scenario_edit, name="scenario_edit"),
    path("scenarios/<int:pk>/clone/", editing.scenario_clone, name="scenario_clone"),
    path("scenarios/<int:pk>/delete/", editing.scenario_delete, name="scenario_delete"),
]
