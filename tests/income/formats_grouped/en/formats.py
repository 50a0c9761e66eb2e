"""Indian-style grouping (12,34,567) with other marks: the shortcut must not apply."""

NUMBER_GROUPING = (3, 2, 0)
THOUSAND_SEPARATOR = "_"
DECIMAL_SEPARATOR = "·"
