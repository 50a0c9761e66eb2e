"""Pure money math: no Django imports, ``Decimal`` in, ``Decimal`` out."""
