"""Krippendorff's alpha through the coincidence matrix (Krippendorff 2011).

The report feeds alpha hundreds of thousands of blocks, so everything here works on a
*value-count matrix* (one row per unit, one column per value, cells counting how many
coders gave that value) and builds the coincidence matrix with one matrix product instead
of looping over coder pairs. Missing judgements are simply absent from the counts; units
with fewer than two judgements are not pairable and drop out, as the 2011 paper says.

    alpha = 1 - D_o / D_e
    D_o = (1 / n) * sum_ck o_ck * delta2_ck
    D_e = (1 / (n (n - 1))) * sum_ck n_c * n_k * delta2_ck
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from annotator.core.agreement.coefficient import Coefficient, clean

Metric = Literal["nominal", "ordinal", "interval", "ratio"]
METRICS: tuple[Metric, ...] = ("nominal", "ordinal", "interval", "ratio")


def coincidence_matrix(counts: ArrayLike, weights: ArrayLike | None = None) -> NDArray[np.float64]:
    """``o_ck = sum_u w_u (n_uc * n_uk - [c == k] * n_uc) / (m_u - 1)`` over pairable units.

    Each unit contributes its ``m_u (m_u - 1)`` ordered pairs of judgements, weighted by
    ``1 / (m_u - 1)`` so that a unit contributes ``m_u`` pairable values in total.
    ``weights`` (default 1) says how many identical units a row stands for: token alpha
    has millions of tokens but only a few hundred thousand distinct runs of them.
    """
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim != 2:
        raise ValueError("counts must be a units x values matrix")
    per_unit = table.sum(axis=1)
    pairable = per_unit >= 2
    table = table[pairable]
    weighted = table / (per_unit[pairable] - 1.0)[:, None]
    if weights is not None:
        weighted *= _weights(weights, len(per_unit))[pairable][:, None]
    coincidences = table.T @ weighted
    coincidences[np.diag_indices_from(coincidences)] -= weighted.sum(axis=0)
    return coincidences


def distance_matrix(
    metric: Metric, marginals: NDArray[np.float64], values: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """Squared differences ``delta2_ck`` between the values (columns) for ``metric``.

    Ordinal distances depend on how often each rank was used (the marginals ``n_c``), not
    on numbers, which is why the column order must be the order of the scale.
    """
    size = len(marginals)
    if metric == "nominal":
        return 1.0 - np.eye(size)
    if metric == "ordinal":
        cumulative = np.cumsum(marginals)
        low = np.minimum.outer(np.arange(size), np.arange(size))
        high = np.maximum.outer(np.arange(size), np.arange(size))
        between = cumulative[high] - cumulative[low] + marginals[low]
        return (between - (marginals[low] + marginals[high]) / 2.0) ** 2
    if values is None:
        raise ValueError(f"the {metric} metric needs numeric values")
    numbers = np.asarray(values, dtype=np.float64)
    difference = np.subtract.outer(numbers, numbers)
    if metric == "interval":
        return difference**2
    if metric == "ratio":
        total = np.add.outer(numbers, numbers)
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(total == 0, 0.0, difference / np.where(total == 0, 1.0, total))
        return scaled**2
    raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")


def _weights(weights: ArrayLike, n_rows: int) -> NDArray[np.float64]:
    numbers = np.asarray(weights, dtype=np.float64)
    if numbers.shape != (n_rows,):
        raise ValueError("weights must give one number per row of counts")
    return numbers


def alpha_from_counts(
    counts: ArrayLike,
    metric: Metric = "nominal",
    values: ArrayLike | None = None,
    weights: ArrayLike | None = None,
) -> Coefficient:
    """Alpha from a units x values count matrix whose columns follow ``values``.

    ``values`` gives the numbers behind the columns for interval and ratio; for ordinal
    only the column order matters. ``weights`` makes row ``u`` stand for ``weights[u]``
    identical units (``n_units`` then counts them all). ``value`` is ``None`` when alpha
    is undefined: fewer than two pairable values, or no expected disagreement (a single
    value used).
    """
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim != 2:
        raise ValueError("counts must be a units x values matrix")
    per_unit = table.sum(axis=1)
    if weights is None:
        n_units = int(np.count_nonzero(per_unit >= 2))
    else:
        n_units = int(round(float(_weights(weights, len(per_unit))[per_unit >= 2].sum())))
    coincidences = coincidence_matrix(table, weights)
    marginals = coincidences.sum(axis=1)
    total = float(marginals.sum())
    n_values = int(round(total))
    if total < 2:
        return Coefficient(None, n_units, n_values)
    numbers = None if values is None else np.asarray(values, dtype=np.float64)
    if numbers is not None and numbers.shape != (table.shape[1],):
        raise ValueError("values must give one number per column of counts")
    delta = distance_matrix(metric, marginals, numbers)
    observed = float((coincidences * delta).sum()) / total
    expected = float((np.outer(marginals, marginals) * delta).sum()) / (total * (total - 1.0))
    if expected <= 0.0:
        return Coefficient(None, n_units, n_values, clean(observed), clean(expected))
    return Coefficient(
        clean(1.0 - observed / expected), n_units, n_values, clean(observed), clean(expected)
    )


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float | np.floating) and math.isnan(value))


def reliability_counts(
    data: Sequence[Sequence[Any]] | ArrayLike, value_domain: Sequence[Any] | None = None
) -> tuple[NDArray[np.int64], list[Any]]:
    """Turn Krippendorff's reliability data (coders x units, ``None``/NaN = missing) into
    a units x values count matrix and the list of values behind its columns.

    Without ``value_domain`` the values are the distinct judgements, sorted; give the
    domain to fix the order of an ordinal scale or to keep unused values.
    """
    rows = [list(row) for row in np.asarray(data, dtype=object)]
    if not rows:
        return np.zeros((0, 0), dtype=np.int64), []
    n_units = len(rows[0])
    if any(len(row) != n_units for row in rows):
        raise ValueError("every coder row must have one entry per unit")
    seen = {value for row in rows for value in row if not _is_missing(value)}
    if value_domain is None:
        domain = sorted(seen)
    else:
        domain = list(value_domain)
        unknown = seen - set(domain)
        if unknown:
            raise ValueError(f"values outside value_domain: {sorted(map(str, unknown))}")
    index = {value: column for column, value in enumerate(domain)}
    counts = np.zeros((n_units, len(domain)), dtype=np.int64)
    for row in rows:
        for unit, value in enumerate(row):
            if not _is_missing(value):
                counts[unit, index[value]] += 1
    return counts, domain


def krippendorff_alpha(
    data: Sequence[Sequence[Any]] | ArrayLike,
    metric: Metric = "nominal",
    value_domain: Sequence[Any] | None = None,
) -> Coefficient:
    """Alpha from reliability data laid out as in Krippendorff (2011): coders x units.

    Interval and ratio need numeric values; nominal and ordinal take any hashable labels
    (ordinal ones in scale order through ``value_domain``, else sorted).
    """
    counts, domain = reliability_counts(data, value_domain)
    numbers: NDArray[np.float64] | None = None
    if metric in ("interval", "ratio"):
        try:
            numbers = np.asarray(domain, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(f"the {metric} metric needs numeric values") from error
    return alpha_from_counts(counts, metric, numbers)


def one_vs_rest_counts(counts: ArrayLike, column: int) -> NDArray[np.float64]:
    """Collapse a count matrix to ``[this value, any other value]`` for one category.

    Alpha on the result says how reliably coders tell this category from the rest, which
    is what a lead needs when one boilerplate type is confused and the others are not.
    """
    table = np.asarray(counts, dtype=np.float64)
    chosen = table[:, column]
    return np.column_stack([chosen, table.sum(axis=1) - chosen])
