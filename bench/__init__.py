"""Benchmarks run by ``make bench``: one script per line of PRODUCT.md §6.

Modules whose name starts with ``_`` (and ``common``) are shared pieces, not benchmarks.
"""
