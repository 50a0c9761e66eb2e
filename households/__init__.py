"""Households (issue 24): people who manage money together share chosen sources and
scenarios with a role, see their income together, and a jointly assessed couple splits
the saver's allowance of 2,000 € as §20 (9) EStG does."""
