"""Browser pages of reports: the history with its recompute button, the dashboard, the
digest's opt-out link (the API is in ``reports.api``)."""
