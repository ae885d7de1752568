"""Trained models as data: gradient-boosted trees in a JSON file (the block classifier's,
and the attribution re-scorer's).

Why trees as JSON rather than a pickled estimator: a project file is shared between
people, and unpickling runs code; a table of thresholds does not. It is also small
(a few hundred kB), diffable, versioned by its own hash, and scored with numpy alone
in well under a millisecond per article, so suggesting needs no learning library.
Training (:mod:`annotator.nlp.block_training`) writes it; a default one trained on the
shared benchmark's train split and the project's own labelled articles ships in
``resources/clutter/block_model.json``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from annotator.core.errors import InputError
from annotator.nlp.rule_tables import rules_dir

FORMAT = "annotator-block-model"  # the first kind stored; every tree model reads as it
FORMAT_VERSION = 1


@dataclass
class TreeModel:
    """Boosted trees over named features (for blocks,
    :data:`annotator.nlp.block_features.FEATURE_NAMES`).

    ``predict`` gives the probability that a block is boilerplate; ``threshold`` is the
    cut chosen on held-out data when the model was trained.
    """

    features: tuple[str, ...]
    baseline: float
    trees: list[dict[str, list[Any]]]
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    # Lines the project's annotators labelled as clutter, by fingerprint: the label they
    # gave most often. Which label a flagged block gets is taken from here first.
    labels: dict[str, str] = field(default_factory=dict)
    # Other lookup tables the model decides with (the attribution re-scorer's learnt cues).
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # All trees in flat arrays; child indices are made global so one walk does all.
        sizes = [len(t["feature"]) for t in self.trees]
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self._roots = offsets[:-1]

        def flat(key: str, dtype: Any) -> np.ndarray:
            if not self.trees:
                return np.zeros(0, dtype=dtype)
            return np.concatenate([np.asarray(t[key], dtype=dtype) for t in self.trees])

        shift = np.repeat(self._roots, sizes)
        self._feature = flat("feature", np.int64)
        self._threshold = flat("threshold", np.float64)
        self._missing_left = flat("missing_left", bool)
        self._left = flat("left", np.int64) + shift
        self._right = flat("right", np.int64) + shift
        self._value = flat("value", np.float64)
        self._leaf = flat("leaf", bool)

    def raw_scores(self, x: np.ndarray) -> np.ndarray:
        """Walk every (tree, row) pair down at once; pairs that reach a leaf drop out, so
        the work is the sum of path lengths, not trees x rows x deepest path."""
        n, n_trees = x.shape[0], len(self.trees)
        if n == 0 or n_trees == 0:
            return np.full(n, self.baseline)
        node = np.repeat(self._roots, n)
        row = np.tile(np.arange(n), n_trees)
        active = np.arange(node.size)
        while active.size:
            current = node[active]
            inner = ~self._leaf[current]
            active, current = active[inner], current[inner]
            if not active.size:
                break
            values = x[row[active], self._feature[current]]
            go_left = np.where(np.isnan(values), self._missing_left[current],
                               values <= self._threshold[current])
            node[active] = np.where(go_left, self._left[current], self._right[current])
        return self.baseline + self._value[node].reshape(n_trees, n).sum(axis=0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of boilerplate for each row of ``x``."""
        return 1.0 / (1.0 + np.exp(-self.raw_scores(x)))

    def decide(self, x: np.ndarray, proba: np.ndarray | None = None) -> np.ndarray:
        """Which rows are clutter (or, for another model, positive)."""
        return (self.predict(x) if proba is None else proba) >= self.threshold

    # ------------------------------------------------------------------ as data

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "format_version": FORMAT_VERSION,
                "features": list(self.features), "baseline": self.baseline,
                "threshold": self.threshold, "meta": self.meta, "trees": self.trees,
                "labels": self.labels, "data": self.data}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)

    @property
    def digest(self) -> str:
        """The model's part of the suggestion version: a hash of what it decides with."""
        body = json.dumps({"features": list(self.features), "baseline": self.baseline,
                           "threshold": self.threshold, "trees": self.trees,
                           "labels": self.labels, "data": self.data},
                          separators=(",", ":"), sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:12]

    @classmethod
    def from_dict(cls, data: Any, where: str = "block model") -> TreeModel:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise InputError("not a block model", where=where)
        if data.get("format_version") != FORMAT_VERSION:
            raise InputError(f"block model format {data.get('format_version')} is not "
                             f"{FORMAT_VERSION}", where=where)
        try:
            return cls(tuple(data["features"]), float(data["baseline"]), list(data["trees"]),
                       float(data.get("threshold", 0.5)), dict(data.get("meta") or {}),
                       {str(k): str(v) for k, v in (data.get("labels") or {}).items()},
                       dict(data.get("data") or {}))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"damaged block model ({exc})", where=where) from None

    @classmethod
    def from_json(cls, text: str, where: str = "block model") -> TreeModel:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"block model is not JSON ({exc.msg})", where=where) from None
        return cls.from_dict(data, where)


def default_model_path() -> Any:
    return rules_dir() / "block_model.json"


@lru_cache(maxsize=2)
def _default(path: str, mtime: float) -> TreeModel | None:
    try:
        text = open(path, encoding="utf-8").read()  # noqa: SIM115 - small file
    except OSError:
        return None
    return TreeModel.from_json(text, where=path)


def default_model() -> TreeModel | None:
    """The shipped model (None in a tree where it has not been trained yet)."""
    path = default_model_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    return _default(str(path), mtime)
