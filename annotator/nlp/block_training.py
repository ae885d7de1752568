"""Training the block classifier: scikit-learn's histogram gradient boosting, exported to
the JSON trees of :class:`annotator.nlp.block_model.TreeModel`.

Why this learner: the features are a mix of counts, shares, flags and missing values
(HTML evidence is absent for text imports). Boosted trees take that as it is — no
scaling, NaN routed by learned branches, interactions such as "short *and* in a run of
short lines" found without hand-made crosses — and the histogram variant trains on
100,000 blocks in seconds on two cores. A linear model on the same features scored
lower on the benchmark's train split in cross-validation; a neural tagger would need a
GPU-sized budget for no gain at this data size.

Training data is weighted by block length (the score is weighted by characters) and a
project's own labels weigh more than the shipped base data, so a team labelling one
site sees its suggestions move within a few dozen documents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.nlp.block_model import TreeModel

# 150 rounds at 0.12 scored as 250 at 0.08 out of fold on the benchmark's train split
# (F1 0.944 against 0.943) in 80 % of the time, with a 40 % smaller model.
PARAMS: dict[str, Any] = {
    "max_iter": 150, "learning_rate": 0.12, "max_leaf_nodes": 31, "min_samples_leaf": 20,
    "l2_regularization": 1.0, "max_bins": 128, "early_stopping": False, "random_state": 0,
}
MAX_CONTENT_FLAGGED = 0.03


@dataclass
class Scores:
    precision: float
    recall: float
    f1: float
    content_flagged: float  # share of content characters predicted boilerplate

    def line(self) -> str:
        return (f"P {self.precision:.3f}  R {self.recall:.3f}  F1 {self.f1:.3f}  "
                f"content flagged {self.content_flagged:.1%}")


def scores(y: np.ndarray, predicted: np.ndarray, weight: np.ndarray) -> Scores:
    """Boilerplate-class precision, recall and F1, weighted (by characters)."""
    y, predicted = y.astype(bool), predicted.astype(bool)
    tp = float(weight[y & predicted].sum())
    fp = float(weight[~y & predicted].sum())
    fn = float(weight[y & ~predicted].sum())
    content = float(weight[~y].sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(p, r, f, fp / content if content else 0.0)


def best_threshold(y: np.ndarray, proba: np.ndarray, weight: np.ndarray) -> float:
    """The cut with the best F1 among those that flag at most 3 % of content; where no
    cut keeps to that, the most cautious cut that still scores within 0.01 of the best
    F1 (a suggestion that hides content costs an annotator more than a missed menu)."""
    cuts = [float(c) for c in np.linspace(0.2, 0.95, 31)]
    results = [(cut, scores(y, proba >= cut, weight)) for cut in cuts]
    within = [(cut, s) for cut, s in results if s.content_flagged <= MAX_CONTENT_FLAGGED]
    if within:
        return max(within, key=lambda item: item[1].f1)[0]
    top = max(s.f1 for _cut, s in results)
    near = [(cut, s) for cut, s in results if s.f1 >= top - 0.01]
    return min(near, key=lambda item: item[1].content_flagged)[0]


def _export(clf: Any, features: Sequence[str]) -> tuple[float, list[dict[str, list[Any]]]]:
    """The fitted trees as plain lists (scikit-learn keeps them in ``_predictors``)."""
    baseline = float(np.asarray(clf._baseline_prediction).ravel()[0])
    trees = []
    for (predictor,) in clf._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():  # pragma: no cover - no categorical features
            raise ValueError("categorical splits are not exported")
        trees.append({
            "feature": nodes["feature_idx"].astype(int).tolist(),
            "threshold": [float(v) for v in nodes["num_threshold"]],
            "missing_left": nodes["missing_go_to_left"].astype(bool).tolist(),
            "left": nodes["left"].astype(int).tolist(),
            "right": nodes["right"].astype(int).tolist(),
            "value": [round(float(v), 6) for v in nodes["value"]],
            "leaf": nodes["is_leaf"].astype(bool).tolist(),
            "depth": int(nodes["depth"].max()) + 1,
        })
    return baseline, trees


def _one_thread() -> Any:
    """OpenMP threads spin-wait: with anything else busy on a two-core machine (the GUI,
    a suggest worker) two of them ran twelve times slower than one."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")


def _fillable(x: np.ndarray) -> np.ndarray:
    """Columns with no value at all (HTML evidence in a text-only set) become zeros for
    the learner, which cannot bin an empty column; no tree then splits on them, so at
    prediction time their NaN never matters."""
    empty = np.isnan(x).all(axis=0)
    if not empty.any():
        return x
    x = x.copy()
    x[:, empty] = 0.0
    return x


def fit(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    features: Sequence[str],
    *,
    groups: np.ndarray | None = None,
    threshold: float | None = None,
    meta: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> TreeModel:
    """Fit on all rows. Without a given ``threshold`` it is chosen on out-of-fold
    predictions (documents kept whole per fold through ``groups``)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    settings = {**PARAMS, **(params or {})}
    x = _fillable(x)
    if len(np.unique(y)) < 2:
        raise ValueError("training needs both content and boilerplate blocks")
    if threshold is None:
        threshold = 0.5
        if groups is not None and len(np.unique(groups)) >= 5:
            proba = out_of_fold(x, y, weight, groups, settings, cancelled=cancelled)
            threshold = best_threshold(y, proba, weight)
    clf = HistGradientBoostingClassifier(**settings)
    with _one_thread():
        clf.fit(x, y.astype(int), sample_weight=weight)
    baseline, trees = _export(clf, features)
    return TreeModel(tuple(features), baseline, trees, threshold, dict(meta or {}))


def out_of_fold(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray, groups: np.ndarray,
    params: dict[str, Any] | None = None, folds: int = 5,
    cancelled: Callable[[], bool] | None = None,
) -> np.ndarray:
    """Each row's probability from a model that never saw its document."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    settings = {**PARAMS, **(params or {})}
    x = _fillable(x)
    proba = np.zeros(len(y))
    for train, held in GroupKFold(n_splits=folds).split(x, y, groups):
        if cancelled and cancelled():
            raise InterruptedError
        clf = HistGradientBoostingClassifier(**settings)
        with _one_thread():
            clf.fit(x[train], y[train].astype(int), sample_weight=weight[train])
        proba[held] = clf.predict_proba(x[held])[:, 1]
    return proba
