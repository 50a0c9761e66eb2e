"""Order statistics of many rows at once, exactly: the Monte Carlo fan's percentiles.

Pure NumPy, no Django. ``order_statistics`` gives the ``rank``-th smallest value of every
row of a (rows, values) matrix, NaN sorting last, as ``np.partition`` would; the Monte
Carlo fan (``scenarios.montecarlo``) takes its 10th/50th/90th percentile of each month
from it. NumPy picks its partition kernel by CPU at run time, and on some CPUs
(AVX-512 on AMD Zen 4, or none of NumPy's SIMD) partitioning a row costs seven times
what it does with AVX2: there rows of many random values are selected from sampled
value bands instead (``sampled_order_statistics``), exactly, with the whole-row
partition as the fallback wherever a band misses. Which way a CPU takes changes the
time, never a result (issue 21).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from math import sqrt
from time import perf_counter

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

#: The percentiles of fewer paths come from partitions of whole rows: below this the
#: sampled selection (``order_statistics``) saves less than its fixed costs (measured on
#: AMD Zen 4: partitions 42 ms, sampled 50 ms for a 50-year fan of 1,024 paths; 78 and
#: 69 ms for 2,000).
SAMPLED_MIN_PATHS = 1536
#: Above this many nanoseconds per value, NumPy's partition of a row is slower than the
#: sampled selection (which costs about 3 per value of a row and percentile); measured
#: once per process (``partition_is_slow``): AVX2 ~1.3, AVX-512 on AMD Zen 4 ~10.
_SLOW_PARTITION_NS = 4.0
#: Rows at most this wide are sorted outright: NumPy sorts them with a sorting network
#: on x86 SIMD (several times faster per element than its partition of a long row).
_SORTED_WIDTH = 256
#: Values per sample block; the first pass averages ``_SAMPLE_BLOCKS`` blocks' bounds.
_SAMPLE_WIDTH = 256
_SAMPLE_BLOCKS = 8
#: A band reaches this many standard errors of the sample quantile beyond its ranks, so
#: about one row in 400 misses and takes the exact fallback.
_BAND_Z = 3.0
#: How far (in sample indices) the first pass's second band reaches beyond its ranks.
_NARROW_INDEX = 2.0
#: Values per chunk of rows in the first pass, so that a chunk's comparisons stay in cache.
_CHUNK_VALUES = 1 << 19


def partitioned_order_statistics(values: Matrix, ranks: list[int]) -> dict[int, Matrix]:
    """The ``rank``-th smallest value of every row, for each of ``ranks``; NaN sorts last.

    What ``np.percentile`` gets from one ``partition`` with all its ranks, here from
    single-rank partitions of ever smaller slices: NumPy's vectorised selection only
    serves a single rank (several fall back to its generic introselect, about five
    times slower), and a rank at either end of its slice is just the slice's min or
    max. The rows are partitioned in place; an order statistic is the same value
    however it is found. ``order_statistics`` uses it for few paths and as its exact
    fallback.
    """
    found: dict[int, Matrix] = {}
    pending = [(0, values.shape[1], sorted(set(ranks)))]
    while pending:
        low, high, wanted = pending.pop()
        part = values[:, low:high]
        if wanted[0] == low:
            found[low] = part.min(axis=1)
            wanted = wanted[1:]
        if wanted and wanted[-1] == high - 1:
            found[high - 1] = part.max(axis=1)
            wanted = wanted[:-1]
        if not wanted:
            continue
        rank = wanted[len(wanted) // 2]
        part.partition(rank - low, axis=1)
        found[rank] = values[:, rank].copy()
        below = [other for other in wanted if other < rank]
        above = [other for other in wanted if other > rank]
        if below:
            pending.append((low, rank, below))
        if above:
            pending.append((rank + 1, high, above))
    return found


def _padded_width(paths: int) -> int:
    """A row width of at least ``paths`` bytes that ``_popcount`` can count: whole groups
    of at most 255 64-bit words."""
    words = -(-paths // 8)
    groups = -(-words // 255)
    return groups * -(-words // groups) * 8


def _popcount(masks: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """The number of True values along the last axis (``_padded_width`` long).

    A True is the byte 1, so adding the rows' 64-bit words adds eight counts at once, one
    per byte; at most 255 words per group, no byte overflows. Several times faster than
    ``count_nonzero`` along an axis.
    """
    words = masks.view(np.uint64)
    groups = -(-words.shape[-1] // 255)
    lanes = words.reshape(*words.shape[:-1], groups, -1).sum(axis=-1, dtype=np.uint64)
    counts = lanes.view(np.uint8).reshape(*words.shape[:-1], groups * 8)
    total: npt.NDArray[np.intp] = counts.sum(axis=-1, dtype=np.intp)
    return total


def _band_indices(
    *, first: Matrix, last: Matrix, real: Matrix | float, total: Matrix | float, blocks: int
) -> tuple[Matrix, Matrix]:
    """Sample indices around the shares ``first`` and ``last`` of a row: a band's bounds.

    ``_BAND_Z`` standard errors of the sample quantile (``real`` values sampled of
    ``total``, in ``blocks`` blocks whose bounds are averaged) beyond the shares, so
    that the band misses its ranks in about one row in 400.
    """
    spread = np.sqrt(np.maximum(1.0 - np.divide(real, total), 0.0)) * (_BAND_Z / sqrt(blocks))
    low = np.floor(first * real - np.sqrt(real * first * (1.0 - first)) * spread) - 1.0
    high = np.ceil(last * real + np.sqrt(real * last * (1.0 - last)) * spread)
    return low, high


def _band_bounds(
    sample: Matrix, *, real: Matrix, total: Matrix, first: Matrix, last: Matrix
) -> tuple[Matrix, Matrix]:
    """Per row, a value band that should hold the ``first``- to ``last``-smallest values.

    ``sample`` is (rows, width): values of each row, sorted (NaN last), ``real`` of them
    numbers, from a row of ``total`` values. The paths are independent, so any of a
    month's paths are a random sample of it. A bound beyond the sample is infinite.
    Only the speed depends on the band: the caller counts whether it holds the ranks.
    """
    low_index, high_index = _band_indices(
        first=first / total, last=(last + 1.0) / total, real=real, total=total, blocks=1
    )
    top = real - 1.0
    at_low = np.clip(low_index, 0.0, top).astype(np.intp)[:, np.newaxis]
    at_high = np.clip(high_index, 0.0, top).astype(np.intp)[:, np.newaxis]
    low: Matrix = np.take_along_axis(sample, at_low, axis=1)[:, 0]
    high: Matrix = np.take_along_axis(sample, at_high, axis=1)[:, 0]
    low[low_index < 0] = -np.inf
    high[high_index > top] = np.inf
    return low, high


def _padded(pieces: list[Matrix], counts: npt.NDArray[np.intp]) -> Matrix:
    """The values of ``pieces`` (row after row, ``counts`` of each) as rows padded with NaN."""
    values = np.concatenate(pieces) if len(pieces) != 1 else pieces[0]
    rows = counts.shape[0]
    width = max(int(counts.max()), 1) if rows else 1
    padded = np.full((rows, width), np.nan)
    starts = np.cumsum(counts) - counts
    target = np.arange(values.size) + np.repeat(np.arange(rows) * width - starts, counts)
    padded.reshape(-1)[target] = values
    return padded


@dataclass(frozen=True)
class _Band:
    """A band of the first pass over whole rows (``_first_bands``), row by row.

    ``values`` (rows, ``_SORTED_WIDTH``) holds each row's values inside the band,
    NaN-padded; a row with more of them has them in ``wide_values`` instead, one row per
    row of ``wide_rows``. ``below`` counts the row's values under the band; ``holds``
    says whether the band holds its ranks. A band whose bounds are equal (``tied``)
    holds nothing but its bound ``low``, so its values are not kept.
    """

    values: Matrix
    wide_rows: npt.NDArray[np.intp]
    wide_values: Matrix
    widths: npt.NDArray[np.intp]
    below: npt.NDArray[np.intp]
    holds: npt.NDArray[np.bool_]
    tied: npt.NDArray[np.bool_]
    low: Matrix


def _interpolated(curve: Matrix, index: Matrix) -> Matrix:
    """``curve`` (rows, width) at the fractional ``index`` (bands, rows), linearly."""
    top = curve.shape[1] - 1
    index = np.clip(index, 0.0, top)
    left = np.minimum(index.astype(np.intp), top - 1)
    rows = np.arange(curve.shape[0])
    at_left = curve[rows, left]
    step = curve[rows, left + 1] - at_left
    interpolated: Matrix = at_left + step * (index - left)
    return interpolated


def _first_bands(
    values: Matrix, clusters: list[list[int]]
) -> tuple[list[_Band], npt.NDArray[np.bool_]]:
    """One pass over the rows: each cluster of ranks's band, and which rows have a NaN.

    A chunk of rows at a time (so that it stays in cache): bands from ``_SAMPLE_BLOCKS``
    sorted blocks of the first paths, their bounds averaged (``_band_indices``); two
    comparisons per band, counted as bits; with the exact counts at both bounds, the
    sample's averaged quantile curve between them places each rank closer, so a second,
    narrower band is counted too, and kept where it holds its ranks (else the first).
    The values inside the kept band are copied out: that costs about as much per value
    as a hundred comparisons, which is why the second band pays.

    The comparisons are made on the values rounded to float32, which halves their
    memory: rounding never reverses an order, so a band of float32 values is still all
    values between two float64 ones, and the counts stay exact; only a band whose
    bounds round to one float32 is checked in float64 before it counts as one value.
    A row with a NaN counts fewer values than it has (``order_statistics`` takes it
    the exact way).
    """
    rows, paths = values.shape
    blocks = min(_SAMPLE_BLOCKS, paths // _SAMPLE_WIDTH)
    count = len(clusters)
    first = np.array([[cluster[0]] for cluster in clusters])
    last = np.array([[cluster[-1]] for cluster in clusters])
    index_low, index_high = _band_indices(
        first=first / paths,
        last=(last + 1.0) / paths,
        real=float(_SAMPLE_WIDTH),
        total=float(paths),
        blocks=blocks,
    )
    padded = _padded_width(paths)
    chunk_rows = max(1, _CHUNK_VALUES // padded)
    masks = np.zeros((2, 2, count, chunk_rows, padded), dtype=bool)
    coarse_rows = np.empty((chunk_rows, paths), dtype=np.float32)
    tied = np.empty((count, rows), dtype=bool)
    below = np.empty((count, rows), dtype=np.intp)
    widths = np.empty((count, rows), dtype=np.intp)
    holds = np.empty((count, rows), dtype=bool)
    with_nan = np.empty(rows, dtype=bool)
    kept_low = np.empty((count, rows))
    kept_high = np.empty((count, rows))
    narrow_values = np.full((count, rows, _SORTED_WIDTH), np.nan)
    pieces: list[list[Matrix]] = [[] for _ in clusters]
    span = np.maximum(index_high - index_low, 0.0)
    for start in range(0, rows, chunk_rows):
        stop = min(start + chunk_rows, rows)
        chunk = values[start:stop]
        flat_chunk = chunk.reshape(-1)
        coarse = coarse_rows[: stop - start]
        np.copyto(coarse, chunk, casting="same_kind")
        # The sample is sorted now, while its chunk is in cache.
        sample = np.sort(
            chunk[:, : blocks * _SAMPLE_WIDTH].reshape(stop - start, blocks, _SAMPLE_WIDTH),
            axis=2,
        )
        with np.errstate(invalid="ignore", over="ignore"):
            curve = sample.mean(axis=1)
            low = _interpolated(curve, np.repeat(index_low, stop - start, axis=1))
            high = _interpolated(curve, np.repeat(index_high, stop - start, axis=1))
        low[index_low[:, 0] < 0] = -np.inf
        high[index_high[:, 0] > _SAMPLE_WIDTH - 1] = np.inf
        low32 = low.astype(np.float32)
        high32 = high.astype(np.float32)
        wide = masks[0, :, :, : stop - start]
        narrow = masks[1, :, :, : stop - start]
        for band in range(count):
            np.greater_equal(coarse, low32[band, :, np.newaxis], out=wide[0, band, :, :paths])
            np.less_equal(coarse, high32[band, :, np.newaxis], out=wide[1, band, :, :paths])
        at_least, at_most = _popcount(wide)
        wide_below = paths - at_least
        wide_holds = (wide_below <= first) & (last < at_most)
        # Where the wide band holds, its rank range in the sample's index space is known
        # exactly at both ends: interpolate the ranks inside it.
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            inside_count = np.maximum(at_most - wide_below, 1)
            low_at = index_low + span * ((first - wide_below) / inside_count) - _NARROW_INDEX
            high_at = index_low + span * ((last + 1 - wide_below) / inside_count) + _NARROW_INDEX
            band_low = _interpolated(curve, low_at)
            band_high = _interpolated(curve, high_at)
        band_low = np.where(wide_holds & (low_at > index_low), band_low, low)
        band_high = np.where(wide_holds & (high_at < index_high), band_high, high)
        band_low32 = band_low.astype(np.float32)
        band_high32 = band_high.astype(np.float32)
        for band in range(count):
            np.greater_equal(
                coarse, band_low32[band, :, np.newaxis], out=narrow[0, band, :, :paths]
            )
            np.less_equal(coarse, band_high32[band, :, np.newaxis], out=narrow[1, band, :, :paths])
        at_least_narrow, at_most_narrow = _popcount(narrow)
        narrow_below = paths - at_least_narrow
        narrow_holds = (narrow_below <= first) & (last < at_most_narrow)
        np.logical_and(wide[0], wide[1], out=wide[0])
        inside = np.logical_and(narrow[0], narrow[1], out=narrow[0])
        fallback = ~narrow_holds
        if fallback.any():
            inside[fallback] = wide[0][fallback]
            band_low[fallback] = low[fallback]
            band_high[fallback] = high[fallback]
            band_low32[fallback] = low32[fallback]
            band_high32[fallback] = high32[fallback]
            narrow_below[fallback] = wide_below[fallback]
            at_least_narrow[fallback] = at_least[fallback]
            at_most_narrow[fallback] = at_most[fallback]
        inner = _popcount(inside)
        # Every number is at least the low bound or at most the high one (or both).
        with_nan[start:stop] = paths + inner[0] - at_least_narrow[0] - at_most_narrow[0] > 0
        below[:, start:stop] = narrow_below
        widths[:, start:stop] = inner
        holds[:, start:stop] = narrow_holds | wide_holds
        kept_low[:, start:stop] = band_low
        kept_high[:, start:stop] = band_high
        # A band of one float32 value may hold several float64 values: it is one value
        # only where the float64 bounds agree and every value inside equals them.
        same = tied[:, start:stop]
        np.equal(band_low32, band_high32, out=same)
        if same.any():
            at_band, at_row = np.nonzero(same)
            value = band_low[at_band, at_row]
            equal = np.count_nonzero(chunk[at_row] == value[:, np.newaxis], axis=1)
            same[at_band, at_row] = (value == band_high[at_band, at_row]) & (
                equal == inner[at_band, at_row]
            )
        # A band this wide costs more to copy out than the exact fallback (``holds`` is
        # false there): float32 rounding can make one of a row of near-equal values.
        too_wide = ~same & (inner > max(4 * _SORTED_WIDTH, paths // 8))
        if too_wide.any():
            holds[:, start:stop] &= ~too_wide
            same |= too_wide
        for band in range(count):
            if same[band].any():
                inside[band, same[band]] = False
            kept = np.flatnonzero(inside[band])
            at_row = kept // padded
            # The positions in the chunk's values, one flat take (a third of the time
            # of indexing by row and column).
            found = flat_chunk.take(kept - at_row * (padded - paths))
            # Each value goes to its row's next free place: rows of at most
            # ``_SORTED_WIDTH`` values into ``narrow_values``, wider ones apart.
            counts = np.where(same[band], 0, inner[band])
            offsets = _SORTED_WIDTH * np.arange(start, stop) - (np.cumsum(counts) - counts)
            target = np.arange(kept.size) + offsets[at_row]
            fits = counts <= _SORTED_WIDTH
            if fits.all():
                narrow_values[band].reshape(-1)[target] = found
            else:
                inline = fits[at_row]
                narrow_values[band].reshape(-1)[target[inline]] = found[inline]
                pieces[band].append(found[~inline])
    bands = []
    for band in range(count):
        tied_rows = tied[band]
        kept_widths = np.where(tied_rows, 0, widths[band])
        wide_rows = np.flatnonzero(kept_widths > _SORTED_WIDTH)
        bands.append(
            _Band(
                values=narrow_values[band],
                wide_rows=wide_rows,
                wide_values=_padded(pieces[band], kept_widths[wide_rows])
                if wide_rows.size
                else np.empty((0, 1)),
                widths=widths[band],
                below=below[band],
                holds=holds[band]
                & (below[band] <= first[band, 0])
                & (last[band, 0] < below[band] + widths[band]),
                tied=tied_rows,
                low=kept_low[band],
            )
        )
    return bands, with_nan


def _select_in_bands(
    values: Matrix, widths: npt.NDArray[np.intp], ranks: npt.NDArray[np.intp]
) -> Matrix:
    """The ``ranks``-th smallest of each row's first ``widths`` values (NaN after them).

    A row of at most ``_SORTED_WIDTH`` values is sorted. A wider one is narrowed like the
    first pass (``_first_bands``), with one sample of its first values, until it is that
    narrow; a row whose band misses its ranks or hardly narrows is sorted as it is.
    """
    result = np.empty(ranks.shape)
    rows = np.arange(values.shape[0])
    while rows.size:
        short = widths <= _SORTED_WIDTH
        if short.any():
            ordered = np.sort(values[short, :_SORTED_WIDTH], axis=1)
            result[rows[short]] = np.take_along_axis(ordered, ranks[short], axis=1)
            if short.all():
                break
            values, widths, ranks, rows = (
                values[~short],
                widths[~short],
                ranks[~short],
                rows[~short],
            )
            values = values[:, : int(widths.max())]
        sample = np.sort(values[:, :_SAMPLE_WIDTH], axis=1)
        with np.errstate(invalid="ignore", over="ignore"):
            low, high = _band_bounds(
                sample,
                real=np.minimum(widths, _SAMPLE_WIDTH).astype(np.float64),
                total=widths.astype(np.float64),
                first=ranks[:, 0].astype(np.float64),
                last=ranks[:, -1].astype(np.float64),
            )
        at_least = values >= low[:, np.newaxis]
        below = widths - np.count_nonzero(at_least, axis=1)
        inside = np.logical_and(at_least, values <= high[:, np.newaxis], out=at_least)
        inner = np.count_nonzero(inside, axis=1)
        holds = (below <= ranks[:, 0]) & (ranks[:, -1] < below + inner)
        tied = holds & (low == high)
        result[rows[tied]] = low[tied, np.newaxis]
        onward = holds & ~tied & (inner <= 0.75 * widths)
        stuck = ~holds | (holds & ~tied & ~onward)
        if stuck.any():
            ordered = np.sort(values[stuck], axis=1)
            result[rows[stuck]] = np.take_along_axis(ordered, ranks[stuck], axis=1)
        inside[~onward] = False
        kept = np.where(onward, inner, 0)
        narrowed = _padded([np.compress(inside.reshape(-1), values.reshape(-1))], kept)
        ranks = (ranks - below[:, np.newaxis])[onward]
        widths = inner[onward]
        rows = rows[onward]
        if rows.size:
            values = narrowed[onward, : int(widths.max())]
    return result


@cache
def partition_is_slow() -> bool:
    """Whether this CPU partitions a row slower than ``_SLOW_PARTITION_NS`` per value.

    NumPy picks its partition kernel by CPU at run time, and the kernels differ more than
    any design choice here: AVX2's partitions 10,000 values in 13 µs, AVX-512's on AMD
    Zen 4 (whose compress-store is microcoded) and the generic one need 100 µs. Both
    ways give the same order statistics, so the faster one is used: the best of five
    partitions of 16 random rows of 8,192 values (about 1 ms, once per process) decides.
    """
    values = np.random.default_rng(0).random((16, 8192))
    best = float("inf")
    for _ in range(5):
        trial = values.copy()
        start = perf_counter()
        trial.partition(4096, axis=1)
        best = min(best, perf_counter() - start)
    return best / values.size * 1e9 > _SLOW_PARTITION_NS


def order_statistics(
    values: Matrix, ranks: list[int], *, random: bool = True
) -> tuple[dict[int, Matrix], npt.NDArray[np.bool_]]:
    """The ``rank``-th smallest value of every row, for each of ``ranks`` (NaN sorts
    last), and which rows have a NaN.

    Whole-row partitions (``partitioned_order_statistics``) where NumPy's partition is
    fast; where it is slow (``partition_is_slow``: AVX-512 on AMD Zen 4, over seven
    times its AVX2 time, or no SIMD), rows of at least ``SAMPLED_MIN_PATHS`` paths are
    selected without partitioning them (``sampled_order_statistics``). An order
    statistic is the same value however it is found, so the choice changes the time,
    never a result. Each month's paths are independent, so its first paths are a random
    sample of it: from that sample, a narrow value band per cluster of neighbouring
    ranks; one pass counts the values below and inside each band and keeps those inside
    (``_first_bands``); where the counts show that the band holds its ranks, they are
    selected among the band's few values (``_select_in_bands``). A row where a band
    misses (about one in 400), or with a NaN, takes the exact fallback of whole-row
    partitions. ``values`` may be partitioned in place. Rows that are not random
    (``random`` false: a plan without volatility, whose paths are all the same) are
    partitioned: every band of them would be one value, checked at extra cost.
    """
    rows, paths = values.shape
    wanted = sorted(set(ranks))
    if paths < SAMPLED_MIN_PATHS or not rows or not random or not partition_is_slow():
        exact = partitioned_order_statistics(values, sorted({*wanted, paths - 1}))
        return exact, np.isnan(exact[paths - 1])
    return sampled_order_statistics(values, wanted)


def sampled_order_statistics(
    values: Matrix, wanted: list[int]
) -> tuple[dict[int, Matrix], npt.NDArray[np.bool_]]:
    """``order_statistics`` by sampled bands, for rows of at least
    ``SAMPLED_MIN_PATHS`` values (see there)."""
    rows, paths = values.shape
    clusters: list[list[int]] = []
    for rank in wanted:
        if not 0 < rank < paths - 1:
            continue
        if clusters and rank - clusters[-1][-1] <= 1:
            clusters[-1].append(rank)
        else:
            clusters.append([rank])
    found: dict[int, Matrix] = {}
    if paths - 1 in wanted:
        found[paths - 1] = values.max(axis=1)
    if 0 in wanted:
        found[0] = values.min(axis=1)
    if not clusters:
        return found, np.isnan(values.max(axis=1))
    bands, with_nan = _first_bands(values, clusters)
    missed = with_nan.copy()
    for band, cluster in zip(bands, clusters, strict=True):
        selected = np.empty((rows, len(cluster)))
        tied = band.holds & band.tied
        selected[tied] = band.low[tied, np.newaxis]
        ranks_inside = np.array(cluster)[np.newaxis, :] - band.below[:, np.newaxis]
        narrow = band.holds & ~band.tied & (band.widths <= _SORTED_WIDTH)
        if narrow.any():
            ordered = np.sort(band.values[narrow], axis=1)
            selected[narrow] = np.take_along_axis(ordered, ranks_inside[narrow], axis=1)
        wide = band.holds[band.wide_rows] & ~band.tied[band.wide_rows]
        if wide.any():
            rows_wide = band.wide_rows[wide]
            widths = band.widths[rows_wide]
            selected[rows_wide] = _select_in_bands(
                band.wide_values[wide, : int(widths.max())], widths, ranks_inside[rows_wide]
            )
        missed |= ~band.holds
        for column, rank in enumerate(cluster):
            found[rank] = selected[:, column]
    if missed.any():
        exact = partitioned_order_statistics(values[missed], sorted({*wanted, paths - 1}))
        for rank in wanted:
            found[rank][missed] = exact[rank]
        with_nan[missed] = np.isnan(exact[paths - 1])
    return found, with_nan
