"""Browser views, one module per area."""
