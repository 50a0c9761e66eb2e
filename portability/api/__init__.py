"""The export and import of all of a user's data over the API."""
