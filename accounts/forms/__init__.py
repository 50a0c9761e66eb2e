"""Account forms; one module per form, as allauth imports them by path."""
