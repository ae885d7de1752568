"""Kappa-type coefficients: Cohen's kappa, Fleiss' kappa and Gwet's AC1.

They sit beside alpha because leads know them, and because AC1 behaves where kappa and
alpha sag: block labels are mostly ``content``, and with such skewed marginals the
chance term of kappa approaches the observed agreement (the "kappa paradox", Gwet 2008).

Every function takes counts, not raw labels, so the report can build them with one
``bincount`` over hundreds of thousands of blocks.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from annotator.core.agreement.coefficient import Coefficient, clean


def _chance_corrected(observed: float, expected: float) -> float | None:
    if expected >= 1.0:
        return None
    return clean((observed - expected) / (1.0 - expected))


def contingency_table(
    first: Sequence[Hashable], second: Sequence[Hashable], labels: Sequence[Hashable] | None = None
) -> tuple[np.ndarray, list[Hashable]]:
    """Cross-tabulate two coders' labels (rows: first coder, columns: second)."""
    if len(first) != len(second):
        raise ValueError("both coders must label the same units")
    domain = list(labels) if labels is not None else sorted(set(first) | set(second), key=str)
    index = {label: position for position, label in enumerate(domain)}
    table = np.zeros((len(domain), len(domain)), dtype=np.int64)
    for left, right in zip(first, second, strict=True):
        table[index[left], index[right]] += 1
    return table, domain


def cohen_kappa(table: ArrayLike) -> Coefficient:
    """Cohen's (1960) kappa from a square contingency table of two coders.

    Chance is the product of each coder's own marginals: kappa asks how far the pair beat
    two coders who keep their habits but label at random.
    """
    counts = np.asarray(table, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError("a contingency table must be square")
    total = float(counts.sum())
    n_units = int(round(total))
    if total == 0:
        return Coefficient(None, 0, 0)
    observed = float(np.trace(counts)) / total
    expected = float(counts.sum(axis=1) @ counts.sum(axis=0)) / total**2
    return Coefficient(
        _chance_corrected(observed, expected), n_units, 2 * n_units, observed, expected
    )


def cohen_kappa_labels(
    first: Sequence[Hashable], second: Sequence[Hashable], labels: Sequence[Hashable] | None = None
) -> Coefficient:
    """Cohen's kappa from two equally long label sequences."""
    table, _ = contingency_table(first, second, labels)
    return cohen_kappa(table)


def _rater_counts(counts: ArrayLike) -> np.ndarray:
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim != 2:
        raise ValueError("counts must be a units x categories matrix")
    return table


def fleiss_kappa(counts: ArrayLike) -> Coefficient:
    """Fleiss' (1971) kappa from a subjects x categories matrix of rater counts.

    Fleiss assumes the same number of raters for every subject; a table that breaks this
    is refused rather than silently mis-weighted.
    """
    table = _rater_counts(counts)
    raters = table.sum(axis=1)
    if table.shape[0] == 0:
        return Coefficient(None, 0, 0)
    m = float(raters[0])
    if not np.all(raters == m):
        raise ValueError("Fleiss' kappa needs the same number of raters for every subject")
    n_units = table.shape[0]
    n_values = int(round(m * n_units))
    if m < 2:
        return Coefficient(None, 0, n_values)
    proportions = table.sum(axis=0) / (n_units * m)
    per_subject = ((table * table).sum(axis=1) - m) / (m * (m - 1.0))
    observed = float(per_subject.mean())
    expected = float((proportions**2).sum())
    return Coefficient(_chance_corrected(observed, expected), n_units, n_values, observed, expected)


def fleiss_kappa_per_category(counts: ArrayLike) -> list[float | None]:
    """Fleiss' (1971) category-wise kappa: agreement on one category against the rest."""
    table = _rater_counts(counts)
    n_units = table.shape[0]
    if n_units == 0:
        return [None] * table.shape[1]
    m = float(table[0].sum())
    if not np.all(table.sum(axis=1) == m):
        raise ValueError("Fleiss' kappa needs the same number of raters for every subject")
    proportions = table.sum(axis=0) / (n_units * m)
    disagreement = (table * (m - table)).sum(axis=0)
    results: list[float | None] = []
    for column, share in enumerate(proportions):
        denominator = n_units * m * (m - 1.0) * share * (1.0 - share)
        results.append(
            None if denominator == 0 else clean(1.0 - disagreement[column] / denominator)
        )
    return results


def gwet_ac1(counts: ArrayLike, n_categories: int | None = None) -> Coefficient:
    """Gwet's AC1 for any number of raters, some judgements missing (Gwet 2014, ch. 2).

    ``p_a`` averages, over units judged by two or more, the share of agreeing rater pairs;
    ``pi_q`` averages each unit's category shares over every unit judged at least once;
    chance is ``p_e = sum_q pi_q (1 - pi_q) / (Q - 1)`` with ``Q`` the number of categories
    the raters could choose from (``n_categories``, by default the number of columns).
    Matches ``gwet.ac1.raw`` in Gwet's irrCAC package.
    """
    table = _rater_counts(counts)
    categories = table.shape[1] if n_categories is None else n_categories
    if categories < table.shape[1]:
        raise ValueError("n_categories cannot be fewer than the columns of counts")
    raters = table.sum(axis=1)
    rated = raters >= 1
    pairable = raters >= 2
    n_units = int(np.count_nonzero(pairable))
    n_values = int(round(float(raters[pairable].sum())))
    if n_units == 0 or categories < 2:
        return Coefficient(None, n_units, n_values)
    pair_table = table[pairable]
    pair_raters = raters[pairable]
    agreement = ((pair_table * (pair_table - 1.0)).sum(axis=1)) / (pair_raters * (pair_raters - 1))
    observed = float(agreement.mean())
    shares = (table[rated] / raters[rated][:, None]).mean(axis=0)
    expected = float((shares * (1.0 - shares)).sum()) / (categories - 1)
    return Coefficient(_chance_corrected(observed, expected), n_units, n_values, observed, expected)


def percent_agreement(counts: ArrayLike) -> Coefficient:
    """Share of agreeing judgement pairs, averaged over units judged by two or more.

    Not chance-corrected: it is the figure people read first, and what AC1 and kappa
    correct, so it is reported beside them.
    """
    table = _rater_counts(counts)
    raters = table.sum(axis=1)
    pairable = raters >= 2
    n_units = int(np.count_nonzero(pairable))
    n_values = int(round(float(raters[pairable].sum())))
    if n_units == 0:
        return Coefficient(None, 0, 0)
    pair_table = table[pairable]
    pair_raters = raters[pairable]
    agreement = ((pair_table * (pair_table - 1.0)).sum(axis=1)) / (pair_raters * (pair_raters - 1))
    value = clean(agreement.mean())
    return Coefficient(value, n_units, n_values, value, None)
