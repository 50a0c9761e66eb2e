"""Scenarios in the browser: the list, a scenario's projection, its form with a live
preview, the comparison, the stress test, and saving a calculator result.

Figures come from the same services as the API (``services.scenario_run``,
``services.stress_run``) and, for the preview of inputs not saved yet, from
``selectors.scenario_preview``; writes go through ``scenarios.services``. The views
only wire them to templates and turn amounts into chart series.
"""
