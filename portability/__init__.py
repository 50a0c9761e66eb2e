"""A user's data as a whole: download it, bring it back, delete it (PRODUCT.md §7 "Data")."""
