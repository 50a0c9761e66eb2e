"""Background jobs as rows: who holds one (a lease), and how their tasks retry.

Below every app (``income``, ``imports``, ``reports``, ``portability`` use it); it
imports Django and Celery only, so no arrow runs back up.
"""
