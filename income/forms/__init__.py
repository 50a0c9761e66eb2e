"""Browser forms of the income app: they validate input and call services; they hold no
business rules."""
