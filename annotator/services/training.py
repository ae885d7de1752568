"""``annotator train``: learn clutter, and attributions, from the project's own labels.

Learns from documents marked done (``gold`` where adjudicated): every block labelled
boilerplate or left as content is a training row. The shipped base rows (features of the
benchmark's train split and the project's labelled articles, ``block_base.npz``) are mixed
in, with the project's rows weighing :data:`PROJECT_WEIGHT` times as much: a team that has
done twenty pages of one site then sees that site's template learnt, while a handful of
documents cannot undo what the base data teaches.

Before storing, one document in five (chosen by id, so the same ones each time) is held
out: a model trained without them is scored on them beside the model in use, and those
two figures are what the command prints. The stored model is then trained on all of them.

Both trainings are jobs in the sense of ``core.jobs``: progress names its step
(``"reading labels"``, ``"training"``, ``"parsing"``, ``"storing"``), and a set
``cancel`` returns a summary marked cancelled with nothing stored.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from annotator.core.errors import InputError
from annotator.core.fingerprint import fingerprint
from annotator.core.jobs import Progress, is_cancelled, report
from annotator.nlp import block_classifier as bc
from annotator.nlp import block_features as bf
from annotator.nlp import block_training as bt
from annotator.nlp.block_model import TreeModel, default_model
from annotator.nlp.rule_tables import rules_dir
from annotator.services.block_models import (
    active_block_model,
    project_attribution_model,
    store_attribution_model,
    store_block_model,
)
from annotator.store import Project, open_project
from annotator.store.training_queries import (
    LabelledDocument,
    iter_attributions,
    iter_labelled,
    labelled_document_ids,
)

PROJECT_WEIGHT = 5.0
MAX_LEARNT_LABELS = 5000
HOLD_OUT_EVERY = 5


@dataclass
class _Training:
    """What every training reports: how much it learnt from, where it is stored."""

    documents: int = 0
    held_out: int = 0
    version: str = ""
    seconds: float = 0.0
    cancelled: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass
class TrainSummary(_Training):
    blocks: int = 0
    boilerplate_blocks: int = 0
    before: bt.Scores | None = None  # the model in use, on the held-out documents
    after: bt.Scores | None = None  # trained without them, on them

    def lines(self) -> list[str]:
        if self.cancelled:
            return ["training cancelled; the model in use is unchanged"]
        out = [f"learnt from {self.documents} done documents ({self.blocks} blocks, "
               f"{self.boilerplate_blocks} boilerplate) in {self.seconds:.1f} s"]
        if self.before is not None and self.after is not None:
            out.append(f"held out {self.held_out} documents: model in use {self.before.line()}")
            out.append(f"{' ' * (len(str(self.held_out)) + 23)}new model    {self.after.line()}")
        out.extend(self.notes)
        out.append(f"stored in the project as {self.version}")
        return out


def _held_out(doc_id: int) -> bool:
    return int(hashlib.sha256(str(doc_id).encode()).hexdigest(), 16) % HOLD_OUT_EVERY == 0


def _rows(doc: LabelledDocument) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    item = bc.BlockInput(doc.blocks, doc.evidence, doc.repeats)
    x = bc.block_matrix(doc.text, item, bc.detector_verdicts(doc.text, doc.blocks))
    y = np.array([label != "content" for label in doc.labels], dtype=bool)
    w = np.array([len(" ".join(doc.text[s:e].split())) for s, e in doc.blocks], dtype=float)
    return x, y, w


def learnt_labels(docs: list[LabelledDocument], limit: int = MAX_LEARNT_LABELS
                  ) -> dict[str, str]:
    """Fingerprint -> the boilerplate label annotators gave that line most often, for
    lines labelled in at least two documents (a site's template, not a one-off)."""
    votes: dict[str, Counter[str]] = {}
    for doc in docs:
        for (start, end), label in zip(doc.blocks, doc.labels, strict=True):
            print_ = fingerprint(doc.text[start:end])
            if print_:
                votes.setdefault(print_, Counter())[label] += 1
    out = {}
    for print_, counts in sorted(votes.items(), key=lambda kv: -sum(kv[1].values())):
        label, n = counts.most_common(1)[0]
        if label != "content" and n >= 2:
            out[print_] = label
        if len(out) >= limit:
            break
    return out


def base_rows() -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The shipped training rows, or None when this install has none."""
    path = rules_dir() / "block_base.npz"
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if tuple(str(f) for f in data["features"]) != bf.FEATURE_NAMES:
            return None  # built for other features: the project's rows alone
        return data["x"].astype(np.float32), data["y"].astype(bool), data["w"].astype(float)


def _fit(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
         base: tuple[np.ndarray, np.ndarray, np.ndarray] | None, threshold: float,
         meta: dict[str, object]) -> TreeModel:
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    w = np.concatenate([p[2] for p in parts]) * PROJECT_WEIGHT
    if base is not None:
        x, y, w = np.vstack([base[0], x]), np.concatenate([base[1], y]), np.concatenate([base[2], w])
    return bt.fit(x, y, w, bf.FEATURE_NAMES, threshold=threshold, meta=meta)


def train_blocks(
    project: Project,
    *,
    with_base: bool = True,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> TrainSummary:
    """Train the project's block model from its done documents and store it."""
    started = time.perf_counter()
    summary = TrainSummary()

    def step(done: int, total: int, stage: str) -> bool:
        report(progress, done, total, stage)
        if is_cancelled(cancel):
            summary.cancelled = True
        return summary.cancelled

    with project.sessions() as session:
        chosen = labelled_document_ids(session)
        if not chosen:
            raise InputError("no document is marked done yet: label and finish some first")
        total = len(chosen) + 2
        rows: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        docs: list[LabelledDocument] = []
        for number, doc in enumerate(iter_labelled(session, chosen), start=1):
            rows[doc.document_id] = _rows(doc)
            docs.append(doc)
            if step(number, total, "reading labels"):
                return summary
    parts = list(rows.values())
    y_all = np.concatenate([p[1] for p in parts])
    summary.documents, summary.blocks = len(rows), int(len(y_all))
    summary.boilerplate_blocks = int(y_all.sum())
    base = base_rows() if with_base else None
    if base is None and len(np.unique(y_all)) < 2:
        raise InputError("the done documents have only one kind of block (all content or all "
                         "boilerplate): nothing to tell apart yet")
    current = active_block_model(project)
    shipped = default_model()
    reference = shipped or current
    threshold = reference.threshold if reference else 0.5
    held = [d for d in rows if _held_out(d)]
    kept = [rows[d] for d in rows if d not in held]
    if held and kept:
        hx = np.vstack([rows[d][0] for d in held])
        hy = np.concatenate([rows[d][1] for d in held])
        hw = np.concatenate([rows[d][2] for d in held])
        trial = _fit(kept, base, threshold, {})
        summary.held_out = len(held)
        summary.after = bt.scores(hy, trial.decide(hx), hw)
        if current is not None:
            summary.before = bt.scores(hy, current.decide(hx), hw)
    else:
        summary.notes.append("too few documents to hold any out: no held-out figures yet")
    if step(len(chosen) + 1, total, "training"):
        return summary
    meta = {"trained_on": "project", "documents": summary.documents, "blocks": summary.blocks,
            "with_base": base is not None, "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S")}
    model = _fit(parts, base, threshold, meta)
    model.labels = learnt_labels(docs)
    if step(total, total, "storing"):
        return summary
    store_block_model(project, model)
    summary.version = bc.version(model)
    summary.seconds = time.perf_counter() - started
    return summary


def _train_child(url: str, with_base: bool, results: Any) -> None:
    """Child process: open the project, train, report progress and the summary."""
    try:
        project = open_project(url, create=False)
        try:
            summary = train_blocks(
                project, with_base=with_base,
                progress=lambda done, total, stage: results.put(("progress", (done, total, stage))))
        finally:
            project.close()
        results.put(("result", summary))
    except InputError as exc:
        results.put(("input_error", str(exc)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises
        results.put(("error", f"{type(exc).__name__}: {exc}"))


def train_blocks_in_child(
    project: Project,
    *,
    with_base: bool = True,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> TrainSummary:
    """:func:`train_blocks` in a spawned process, for the window.

    Features and the learner are Python and numpy work that holds the GIL for up to a
    second at a time; on a thread beside the event loop that froze the window for
    0.8 s. In a child the window never waits, and Cancel ends the training at once
    (a transaction cut short is rolled back, so the model in use stays).
    """
    context = mp.get_context("spawn")
    results: Any = context.Queue()
    process = context.Process(target=_train_child, args=(project.url, with_base, results),
                              daemon=True)
    process.start()
    try:
        while True:
            try:
                kind, payload = results.get(timeout=0.1)
            except queue.Empty:
                if is_cancelled(cancel):
                    return TrainSummary(cancelled=True)
                if not process.is_alive():
                    raise RuntimeError("the training process died") from None
                continue
            if kind == "progress":
                report(progress, *payload)
            elif kind == "result":
                return payload  # type: ignore[no-any-return]
            elif kind == "input_error":
                raise InputError(payload)
            elif kind == "error":
                raise RuntimeError(payload)
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=10)


@dataclass
class AttributionTrainSummary(_Training):
    attributions: int = 0
    cues_learnt: int = 0
    before: tuple[float, float] | None = None  # (found, right) of what is in use
    after: tuple[float, float] | None = None

    def lines(self) -> list[str]:
        if self.cancelled:
            return ["attribution training cancelled; the model in use is unchanged"]
        out = [f"attributions: learnt from {self.documents} done documents "
               f"({self.attributions} attributions, {self.cues_learnt} cue words) "
               f"in {self.seconds:.1f} s"]
        if self.before is not None and self.after is not None:
            out.append(f"held out {self.held_out} documents: in use found "
                       f"{self.before[0]:.2f}, right {self.before[1]:.2f}; new model found "
                       f"{self.after[0]:.2f}, right {self.after[1]:.2f}")
        out.extend(self.notes)
        if self.version:
            out.append(f"stored in the project as {self.version}")
        return out


def _found_right(model: TreeModel | None, docs: list[tuple[Any, list[Any], list[Any]]]
                 ) -> tuple[float, float]:
    from annotator.nlp import attribution_learning as al

    found = gold_total = right = suggested = 0
    for doc, gold, _cues in docs:
        made = al.suggest(doc, model)
        suggested += len(made)
        right += sum(al.is_gold(s, gold) for s in made)
        gold_total += len(gold)
        found += sum(
            any(al.is_gold(s, [g]) for s in made) for g in gold)
    return (found / gold_total if gold_total else 0.0,
            right / suggested if suggested else 0.0)


def train_attributions(
    project: Project,
    *,
    model_name: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> AttributionTrainSummary:
    """Train the project's attribution re-scorer from done documents and store it.

    Parses the documents here (spaCy in this process: training runs off the GUI thread
    or from the command line, never while the window waits)."""
    from annotator.nlp import attribution_learning as al
    from annotator.nlp.model import load_model

    started = time.perf_counter()
    summary = AttributionTrainSummary()
    with project.sessions() as session:
        chosen = labelled_document_ids(session)
        labelled = [d for d in iter_attributions(session, chosen) if d.attributions]
    if not labelled:
        summary.notes.append("attributions: no done document has any yet; nothing learnt")
        return summary
    nlp = load_model(model_name).nlp
    items: dict[int, tuple[Any, list[Any], list[Any]]] = {}
    total = len(labelled) + 1
    for number, (record, doc) in enumerate(
            zip(labelled, nlp.pipe(d.text for d in labelled), strict=True), start=1):
        items[record.document_id] = (doc, record.attributions, record.cues)
        report(progress, number, total, "parsing")
        if is_cancelled(cancel):
            summary.cancelled = True
            return summary
    summary.documents = len(items)
    summary.attributions = sum(len(g) for _d, g, _c in items.values())
    held = [d for d in items if _held_out(d)]
    kept = [items[d] for d in items if d not in held]
    if held and len(kept) >= 2:
        try:
            trial = al.train(kept)
        except ValueError:
            summary.notes.append("attributions: too few to hold any out yet")
        else:
            summary.held_out = len(held)
            summary.before = _found_right(project_attribution_model(project),
                                          [items[d] for d in held])
            summary.after = _found_right(trial, [items[d] for d in held])
    try:
        model = al.train(list(items.values()), meta={
            "documents": summary.documents, "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S")})
    except ValueError as exc:
        summary.notes.append(f"attributions: {exc}")
        return summary
    report(progress, total, total, "storing")
    store_attribution_model(project, model)
    summary.cues_learnt = sum(1 for used, _seen in model.data["cues"].values()
                              if used >= al.MIN_CUE_USES)
    summary.version = f"attribution-model-{model.digest}"
    summary.seconds = time.perf_counter() - started
    return summary
