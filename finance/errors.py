"""The domain error: raised by pure code and services when input breaks a business rule.

It carries field errors in the shape the API answers with (``{"field": ["message"]}``),
so ``config.api.exceptions`` and the HTML forms can show them next to the right field.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule was broken; nothing was changed."""

    def __init__(self, field_errors: dict[str, list[str]]) -> None:
        self.field_errors = field_errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in field_errors.items()))
