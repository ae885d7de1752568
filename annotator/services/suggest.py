"""Pre-annotation: run the suggesters over the project in a separate process.

spaCy work happens in a child process (spawned, not forked: forking a process that
holds Qt or SQLite handles is unsafe), so neither the GUI event loop nor the command
line's progress bar waits on the parser. The parent only sends texts and writes the
results, one short transaction per document, so a cancelled run keeps everything
already written and the next run picks up where it stopped.

Each document records the version that processed it, in two parts: the parse layers'
(spaCy model, attribution and claim rules) and the block layer's (clutter rules, rule
tables, the block model: see ``nlp.block_classifier.version``). A document whose parse
part is out of date is redone whole. One whose block part alone changed (a retrained
model, an edited rule table) is re-checked in this process, which needs no parse: if
its clutter suggestions come out the same it is only re-stamped, otherwise it is redone.
So a change re-suggests exactly the documents it affects, and verdicts on suggestions
that did not change survive (``store.suggestions.replace_for_document``).

``run_suggest`` is a job in the sense of ``core.jobs``: progress counts documents
(``"rechecking"`` those whose block part alone changed, then ``"suggesting"``), and a
set ``cancel`` stops after the document being written, ending the child at once.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

from annotator.core.errors import InputError
from annotator.core.jobs import Progress, is_cancelled, report
from annotator.core.model import NewSuggestion
from annotator.nlp import block_classifier
from annotator.nlp.block_model import TreeModel
from annotator.nlp.pipeline import (
    SuggestionDict,
    block_suggestions,
    combine_versions,
    outside_clutter,
    split_version,
)
from annotator.services.block_models import active_block_model, project_attribution_model
from annotator.store import Project
from annotator.store.documents import (
    block_evidence,
    block_repeats,
    document_blocks,
    document_ids,
    get_document,
)
from annotator.store.suggestions import (
    block_keys,
    replace_for_document,
    restamp,
    stored_versions,
    update_block_layer,
)

CHUNK = 32
RECHECKING, SUGGESTING = "rechecking", "suggesting"  # the stages ``progress`` reports
_CHUNK_END = "chunk_end"  # a message from the child process, not a status


@dataclass
class SuggestSummary:
    processed: int = 0
    suggestions: int = 0
    skipped: int = 0  # already processed by this pipeline version
    rechecked: int = 0  # block layer re-checked, suggestions unchanged: only re-stamped
    updated: int = 0  # block layer re-checked and rewritten without a parse
    model: str = ""
    notice: str | None = None
    cancelled: bool = False
    startup_seconds: float = 0.0  # child process start + spaCy import + model load

    def line(self) -> str:
        text = (f"{self.processed} documents processed, {self.suggestions} suggestions, "
                f"{self.skipped} already up to date")
        if self.rechecked:
            text += f", {self.rechecked} re-checked and unchanged"
        if self.updated:
            text += f", {self.updated} clutter updated without a parse"
        text += f" (model {self.model})"
        return text + (", cancelled" if self.cancelled else "")


def _worker(model_name: str | None, attribution_model: dict[str, Any] | None, tasks: Any,
            results: Any) -> None:
    """Child process: load the model once, then parse chunks until told to stop."""
    try:
        from annotator.nlp.block_model import TreeModel
        from annotator.nlp.model import load_model
        from annotator.nlp.pipeline import analyse, die_with_parent, parse_version

        die_with_parent()
        model = load_model(model_name)
        learnt = TreeModel.from_dict(attribution_model) if attribution_model else None
        results.put(("ready", parse_version(model, learnt), model.notice))
        while True:
            chunk = tasks.get()
            if chunk is None:
                break
            for doc_id, found in analyse(model, chunk, attribution_model=learnt):
                results.put(("doc", doc_id, found))
            results.put((_CHUNK_END, len(chunk), None))
    except InputError as exc:
        results.put(("input_error", str(exc), None))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises
        results.put(("error", f"{type(exc).__name__}: {exc}", None))


def _get(results: Any, process: Any) -> tuple[str, Any, Any]:
    while True:
        try:
            return results.get(timeout=0.2)
        except queue.Empty:
            if not process.is_alive():
                raise RuntimeError("the suggest worker process died") from None


@dataclass(frozen=True, slots=True)
class _BlockInputs:
    text: str
    blocks: list[tuple[int, int]]
    evidence: list[dict[str, Any] | None]
    repeats: list[int]

    def suggest(self, block_model: TreeModel | None) -> list[SuggestionDict]:
        return block_suggestions(self.text, self.blocks, evidence=self.evidence,
                                 repeats=self.repeats, block_model=block_model)


def _plan(candidates: list[int], stored: dict[int, str], version: str, force: bool
          ) -> tuple[list[int], list[int]]:
    """(documents to redo whole, documents whose block layer alone is out of date)."""
    parse, _blocks = split_version(version)
    wanted, recheck = [], []
    for doc_id in candidates:
        old = stored.get(doc_id)
        if force or old is None:
            wanted.append(doc_id)
        elif old != version:
            (recheck if split_version(old)[0] == parse else wanted).append(doc_id)
    return wanted, recheck


def _recheck(project: Project, doc_id: int, version: str,
             block_model: TreeModel | None) -> str:
    """Re-check one document's clutter without a parse.

    ``"same"``: nothing changed, the run is re-stamped. ``"updated"``: blocks were only
    added to the clutter (the usual effect of learning a site's template), so the block
    layer is rewritten and claims and attributions inside the new clutter dropped, as a
    full run would. ``"redo"``: a block left the clutter, and the claims and attributions
    it may hold were never kept, so the document needs its parse again.
    """
    with project.sessions() as session:
        doc = get_document(session, doc_id)
        if doc is None:
            return "same"
        inputs = _BlockInputs(doc.text, [(s, e) for _, s, e in document_blocks(session, doc_id)],
                              block_evidence(session, doc_id), block_repeats(session, doc_id))
        before = block_keys(session, doc_id)
    found = inputs.suggest(block_model)
    after = {(s["label"], s["start"], s["end"]) for s in found}
    if after == before:
        with project.session() as session:
            restamp(session, doc_id, version)
        return "same"
    if not {(s, e) for _, s, e in before} <= {(s, e) for _, s, e in after}:
        return "redo"
    with project.session() as session:
        update_block_layer(session, doc_id, version, [NewSuggestion(**s) for s in found])
    return "updated"


def run_suggest(
    project: Project,
    *,
    model_name: str | None = None,
    only: list[int] | None = None,
    force: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> SuggestSummary:
    context = mp.get_context("spawn")
    tasks: Any = context.Queue()
    results: Any = context.Queue()
    learnt = project_attribution_model(project)
    process = context.Process(
        target=_worker, daemon=True,
        args=(model_name, learnt.to_dict() if learnt else None, tasks, results))
    started = time.perf_counter()
    process.start()
    summary = SuggestSummary()
    try:
        kind, version, notice = _get(results, process)
        summary.startup_seconds = time.perf_counter() - started
        if kind == "input_error":
            raise InputError(version)
        if kind == "error":
            raise RuntimeError(version)
        block_model = active_block_model(project)
        version = combine_versions(version, block_classifier.version(block_model))
        summary.model, summary.notice = version, notice
        with project.sessions() as session:
            stored = stored_versions(session)
            candidates = list(only) if only is not None else document_ids(session)
        wanted, recheck = _plan(candidates, stored, version, force)
        summary.skipped = len(candidates) - len(wanted) - len(recheck)
        report(progress, 0, len(wanted) + len(recheck),
               RECHECKING if recheck else SUGGESTING)
        for checked, doc_id in enumerate(recheck, start=1):
            if is_cancelled(cancel):
                summary.cancelled = True
                return summary
            outcome = _recheck(project, doc_id, version, block_model)
            if outcome == "same":
                summary.rechecked += 1
            elif outcome == "updated":
                summary.updated += 1
            else:
                wanted.append(doc_id)
            report(progress, checked, len(wanted) + len(recheck), RECHECKING)
        done_before = summary.rechecked + summary.updated
        total = done_before + len(wanted)
        for start in range(0, len(wanted), CHUNK):
            if is_cancelled(cancel):
                summary.cancelled = True
                break
            ids = wanted[start : start + CHUNK]
            chunk = []
            inputs: dict[int, _BlockInputs] = {}
            with project.sessions() as session:
                for doc_id in ids:
                    doc = get_document(session, doc_id)
                    if doc is not None:
                        blocks = [(s, e) for _, s, e in document_blocks(session, doc_id)]
                        chunk.append((doc_id, doc.text, blocks))
                        inputs[doc_id] = _BlockInputs(doc.text, blocks,
                                                      block_evidence(session, doc_id),
                                                      block_repeats(session, doc_id))
            tasks.put(chunk)
            while True:
                kind, a, b = _get(results, process)
                if kind == _CHUNK_END:
                    break
                if kind == "error":
                    raise RuntimeError(a)
                # Clutter runs here, overlapping the child's parse of the next texts.
                clutter = inputs[a].suggest(block_model)
                found = clutter + outside_clutter(clutter, b)
                items = [NewSuggestion(**s) for s in found]
                with project.session() as session:
                    replace_for_document(session, a, version, items)
                summary.processed += 1
                summary.suggestions += len(items)
                report(progress, done_before + summary.processed, total, SUGGESTING)
                if is_cancelled(cancel):
                    summary.cancelled = True  # stop at once: the worker is terminated below
                    break
            if summary.cancelled:
                break
    finally:
        if summary.cancelled or not process.is_alive():
            process.terminate()
        else:
            tasks.put(None)
        process.join(timeout=10)
        if process.is_alive():
            process.terminate()
    return summary
