"""Accounts over the API: registration, token log-in with the second factor, named tokens."""
