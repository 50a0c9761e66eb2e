"""Number formats no configured language has, for ``test_formatting_number_format``."""
