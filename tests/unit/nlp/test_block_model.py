"""The block model as data: exported trees score exactly as the fitted estimator does."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from annotator.core.errors import InputError
from annotator.nlp import block_features as bf
from annotator.nlp import block_training as bt
from annotator.nlp.block_model import TreeModel, default_model


def _data(n: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, 6))
    x[rng.random(x.shape) < 0.15] = np.nan  # missing values, as HTML evidence in text
    y = (np.nan_to_num(x[:, 0], nan=0.8) + np.nan_to_num(x[:, 2], nan=0.1) > 1.0)
    return x, y.astype(int)


def test_exported_trees_match_the_estimator_including_missing_values() -> None:
    x, y = _data()
    clf = HistGradientBoostingClassifier(max_iter=40, random_state=0).fit(x, y)
    baseline, trees = bt._export(clf, [f"f{i}" for i in range(6)])
    model = TreeModel(tuple(f"f{i}" for i in range(6)), baseline, trees)
    assert np.abs(model.predict(x) - clf.predict_proba(x)[:, 1]).max() < 1e-5


def test_json_round_trip_keeps_scores_and_digest() -> None:
    x, y = _data(seed=1)
    model = bt.fit(x, y, np.ones(len(y)), [f"f{i}" for i in range(6)], threshold=0.4,
                   params={"max_iter": 20})
    again = TreeModel.from_json(model.to_json())
    assert again.threshold == 0.4 and again.digest == model.digest
    assert np.allclose(again.predict(x), model.predict(x))
    changed = json.loads(model.to_json())
    changed["trees"][0]["value"][-1] += 1.0
    assert TreeModel.from_dict(changed).digest != model.digest


@pytest.mark.parametrize("text", ["not json", '{"format": "other"}',
                                  '{"format": "annotator-block-model", "format_version": 99}',
                                  '{"format": "annotator-block-model", "format_version": 1}'])
def test_a_damaged_model_is_refused_with_a_clear_error(text: str) -> None:
    with pytest.raises(InputError):
        TreeModel.from_json(text, where="project.sqlite: block_model")


def test_the_shipped_model_reads_todays_features() -> None:
    model = default_model()
    assert model is not None, "resources/clutter/block_model.json is missing"
    assert model.features == bf.FEATURE_NAMES
    assert 0.0 < model.threshold < 1.0 and len(model.trees) > 10


def test_threshold_keeps_flagged_content_under_three_percent_when_it_can() -> None:
    y = np.array([1, 1, 1, 0, 0, 0, 0, 0], dtype=bool)
    proba = np.array([0.9, 0.8, 0.3, 0.6, 0.1, 0.1, 0.1, 0.1])
    w = np.ones(len(y))
    cut = bt.best_threshold(y, proba, w)
    assert bt.scores(y, proba >= cut, w).content_flagged == 0.0
    assert cut > 0.6
