"""The statement parser does bounded work on any cell (issue 19, finding 1).

A 0.5 KB file with a long run of spaces in an amount cell once took seconds per preview:
two runs of ``\\s*`` with only optional parts between them can split a run of n spaces in
n² (or, with five of them, n⁵) ways, and a failed match tries every one. The measure
here is not the clock but the shape of the work:

- every pattern applied to a cell is checked, from its parsed form, for the two shapes
  that make backtracking grow faster than the cell (two unbounded runs that can take the
  same character with only optional parts between them; a run repeated inside a run),
  and a pattern used with ``search``/``split``/``sub`` for a leading run, which such a
  call walks again from every start position;
- a cell longer than any amount or date is refused before a pattern sees it, and a row
  with an over-long cell fails as a row, with a clear error;
- delimiter detection reads a bounded sample, whatever the length of the first line.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import imports.parsing
from imports.parsing import columns, dates, messages, numbers, text
from imports.parsing.statement import parse_statement

# The regex engine's own parser (private modules, no stubs): loaded by name, so the type
# checker sees Any whatever order it reads the project in.
sre_compile: Any = importlib.import_module("re._compiler")
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")

#: Characters a cell may hold, for telling which characters two runs share.
PROBE = string.printable + "\u00a0\u202f\u2007\u2212–€£$äÄöüß"
#: Patterns only ever used with ``fullmatch``/``match`` (anchored by their use): a
#: leading run there starts once, at the start of the cell.
ANCHORED_BY_USE = {
    "numbers._AMOUNT_CELL", "numbers._NUMBER", "numbers._PLAIN", "numbers._GROUPING",
    "dates._YEAR_FIRST", "dates._COMPACT", "dates._GERMAN", "dates._EITHER",
    "dates._DAY_MONTH_YEAR", "dates._MONTH_DAY_YEAR", "dates._MONTH_YEAR",
    "dates._NUMERIC_MONTH",
}  # fmt: skip
_SINGLE = {sre.IN, sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.CATEGORY}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


def _patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """Every compiled pattern at module level in ``imports.parsing`` and its presets."""
    for info in pkgutil.walk_packages(imports.parsing.__path__, "imports.parsing."):
        module = importlib.import_module(info.name)
        short = info.name.removeprefix("imports.parsing.")
        for name, value in vars(module).items():
            values: list[Any] = [value]
            if isinstance(value, dict):
                values = list(value.values())
            elif isinstance(value, tuple):
                values = [v[0] if isinstance(v, tuple) else v for v in value]
            for item in values:
                if isinstance(item, re.Pattern) and item.pattern and isinstance(item.pattern, str):
                    yield f"{short}.{name}", item


def _chars(item: tuple[Any, Any], flags: int) -> set[str]:
    """The probe characters one single-character item matches."""
    state = sre_parse.State()
    state.flags = flags
    compiled = sre_compile.compile(sre_parse.SubPattern(state, [item]), flags)
    return {c for c in PROBE if compiled.fullmatch(c)}


def _first(items: list[tuple[Any, Any]], flags: int) -> tuple[set[str], bool]:
    """The characters a sequence can start with, and whether it can match nothing."""
    found: set[str] = set()
    for op, av in items:
        if op in _SINGLE:
            return found | _chars((op, av), flags), False
        if op in _REPEATS:
            low, _high, body = av
            chars, empty = _first(list(body), flags)
            found |= chars
            if low > 0 and not empty:
                return found, False
        elif op == sre.SUBPATTERN:
            chars, empty = _first(list(av[-1]), flags)
            found |= chars
            if not empty:
                return found, False
        elif op == sre.ATOMIC_GROUP:
            chars, empty = _first(list(av), flags)
            found |= chars
            if not empty:
                return found, False
        elif op == sre.BRANCH:
            any_empty = False
            for branch in av[1]:
                chars, empty = _first(list(branch), flags)
                found |= chars
                any_empty = any_empty or empty
            if not any_empty:
                return found, False
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            return set(PROBE), False
        # AT, ASSERT, ASSERT_NOT consume nothing
    return found, True


def _unbounded_run(op: Any, av: Any, flags: int) -> set[str] | None:
    """The characters of a backtracking run of one character class (``\\s*``, ``[0-9]+``)."""
    if op not in (sre.MAX_REPEAT, sre.MIN_REPEAT) or av[1] != sre.MAXREPEAT:
        return None
    body = list(av[2])
    if len(body) != 1 or body[0][0] not in _SINGLE:
        return None
    return _chars(body[0], flags)


def _trailing_runs(items: list[tuple[Any, Any]], flags: int) -> list[set[str]]:
    """The backtracking runs a sequence can end with (a run, or one at the end of a group
    or an option, with only optional parts after it); a possessive part gives none back."""
    runs: list[set[str]] = []
    for op, av in reversed(items):
        run = _unbounded_run(op, av, flags)
        if run:
            runs.append(run)
        elif op == sre.SUBPATTERN:
            runs += _trailing_runs(list(av[-1]), flags)
        elif op == sre.BRANCH:
            for branch in av[1]:
                runs += _trailing_runs(list(branch), flags)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] == 1:
            runs += _trailing_runs(list(av[2]), flags)
        if not _first([(op, av)], flags)[1]:
            break
    return runs


def _problems(items: list[tuple[Any, Any]], flags: int, inside_run: bool = False) -> list[str]:
    """The backtracking shapes in a parsed sequence (see the module doc)."""
    found: list[str] = []
    for index, (op, av) in enumerate(items):
        direct = _unbounded_run(op, av, flags)
        for run in [direct] if direct else _trailing_runs([(op, av)], flags):
            for later in items[index + 1 :]:
                chars, empty = _first([later], flags)
                if run & chars:
                    found.append(f"two runs share {sorted(run & chars)[:3]}")
                    break
                if not empty:
                    break
        if op in _REPEATS:
            unbounded = av[1] == sre.MAXREPEAT
            body = list(av[2])
            if inside_run and unbounded and op != sre.POSSESSIVE_REPEAT:
                found.append("a run inside a run")
            found += _problems(
                body, flags, inside_run or (unbounded and op != sre.POSSESSIVE_REPEAT)
            )
        elif op == sre.SUBPATTERN:
            found += _problems(list(av[-1]), flags, inside_run)
        elif op == sre.BRANCH:
            for branch in av[1]:
                found += _problems(list(branch), flags, inside_run)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            found += _problems(list(av[1]), flags, inside_run)
    return found


def _leading_run(items: list[tuple[Any, Any]]) -> bool:
    """Whether the pattern can start with an unbounded run, with nothing anchoring it."""
    for op, av in items:
        if op == sre.AT and av in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
            return False
        if op == sre.ASSERT_NOT and av[0] < 0:  # a lookbehind: the run starts once per run
            return False
        if op in _REPEATS:
            if av[1] == sre.MAXREPEAT:
                return True
            if av[0] > 0:
                return False
            continue
        if op == sre.SUBPATTERN:
            return _leading_run(list(av[-1]))
        return False
    return False


PATTERNS = sorted(_patterns(), key=lambda pair: pair[0])


def test_the_parser_has_patterns_to_check() -> None:
    names = {name for name, _pattern in PATTERNS}
    assert {"numbers._AMOUNT_CELL", "dates._YEAR_FIRST", "columns._CURRENCY_IN_NAME"} <= names


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[name for name, _p in PATTERNS])
def test_no_pattern_backtracks_more_than_linearly_in_a_cell(
    name: str, pattern: re.Pattern[str]
) -> None:
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    problems = _problems(list(parsed), parsed.state.flags)
    if name not in ANCHORED_BY_USE and _leading_run(list(parsed)):
        problems.append("an unanchored leading run (search walks it from every position)")
    assert problems == []


def test_the_checker_finds_the_shapes_it_looks_for() -> None:
    """The check is no test that cannot fail: the old amount pattern's shape is caught."""
    shapes = (r"\s*(\()?\s*x", r"(?:a+)+b", r"[0-9]+(?:,)?[0-9]+", r"(?:1\s*)?\s*")
    for shape in shapes:
        parsed = sre_parse.parse(shape)
        assert _problems(list(parsed), parsed.state.flags), shape
    assert _leading_run(list(sre_parse.parse(r"\s+(?:-|to)\s+")))
    assert not _leading_run(list(sre_parse.parse(r"(?<!\s)\s++(?:-|to)\s+")))


# --------------------------------------------------------------------- cell bounds
def test_an_amount_cell_longer_than_any_amount_is_refused_before_reading() -> None:
    for cell in ("1" + " " * 5000 + "x", " " * 100 + "1", "(" + " " * 70 + "1)"):
        with pytest.raises(numbers.AmountError) as caught:
            numbers.parse_amount(cell, number_format="de")
        assert caught.value.message == messages.CELL_TOO_LONG


def test_an_amount_with_spaces_around_it_still_reads() -> None:
    assert numbers.parse_amount("  -1.234,56 EUR  ", number_format="de")[0] == Decimal("-1234.56")
    assert numbers.parse_amount("( 12.34 )", number_format="en")[0] == Decimal("-12.34")


def test_a_date_cell_longer_than_any_date_is_no_date() -> None:
    cell = "2024-01-01" + " " * 100_000 + "x"
    assert not dates.looks_like_date(cell)
    with pytest.raises(dates.DateError) as caught:
        dates.parse_date(cell, order=dates.DMY)
    assert caught.value.message == messages.CELL_TOO_LONG
    assert dates.parse_date(" 31.12.2025 10:00 ", order=dates.DMY) == date(2025, 12, 31)


def test_the_number_format_vote_skips_over_long_cells() -> None:
    cells = {"1" + " " * 10_000 + "1.234,56": 50, "12.50": 1}
    assert numbers.detect_number_format(cells, fallback="de") == ("en", False)


def test_a_row_with_an_over_long_cell_fails_with_a_row_error() -> None:
    long_note = "a" + " " * 50_000 + "b"
    data = (
        f"Datum;Betrag;Notiz\n01.02.2024;12,50;fine\n02.02.2024;1{' ' * 20_000}x;{long_note}\n"
    ).encode()
    result, _layout = parse_statement(data, currencies={"EUR"}, default_currency="EUR")
    assert [row.line for row in result.rows] == [2]
    assert [(e.line, e.field, e.message) for e in result.errors] == [
        (3, None, messages.CELL_TOO_LONG_IN_ROW)
    ]


def test_a_header_name_is_normalized_without_walking_its_spaces_per_position() -> None:
    """A long name is normalized, not kept in the cache that outlives the request."""
    columns._normalize_cached.cache_clear()
    name = "Betrag" + " " * 100_000 + "(EUR)"
    assert columns.normalize(name) == "betrag"
    assert columns.header_currency(name) == "EUR"
    assert columns._normalize_cached.cache_info().currsize == 0
    assert columns.normalize("Umsatz in EUR") == "umsatz"
    assert columns.normalize("Gewinn EUR") == "gewinn eur"


def test_delimiter_detection_reads_a_bounded_sample() -> None:
    first_line = '";' * 500_000  # 1 MB on one line, as the review's sniffer input
    rows = text.sample_rows(first_line + "\nDatum;Betrag\n", delimiter=";")
    assert sum(len(cell) + 1 for row in rows for cell in row) <= text.SAMPLE_CHARS
