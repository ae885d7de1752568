"""Pre-annotation: run the suggesters over the project in a separate process.

spaCy work happens in a child process (spawned, not forked: forking a process that
holds Qt or SQLite handles is unsafe), so neither the GUI event loop nor the command
line's progress bar waits on the parser. The parent only sends texts and writes the
results, one short transaction per document, so a cancelled run keeps everything
already written and the next run picks up where it stopped.

Documents are redone when they have no suggestions from the current pipeline version
(model version plus every rule set's version).
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotator.core.errors import InputError
from annotator.nlp.pipeline import block_suggestions, outside_clutter
from annotator.store import Project
from annotator.store.documents import document_blocks, document_ids, get_document
from annotator.store.suggestions import NewSuggestion, documents_needing, replace_for_document

CHUNK = 32
_DONE = "done"


@dataclass
class SuggestSummary:
    processed: int = 0
    suggestions: int = 0
    skipped: int = 0  # already processed by this pipeline version
    model: str = ""
    notice: str | None = None
    cancelled: bool = False
    startup_seconds: float = 0.0  # child process start + spaCy import + model load

    def line(self) -> str:
        text = (f"{self.processed} documents processed, {self.suggestions} suggestions, "
                f"{self.skipped} already up to date (model {self.model})")
        return text + (", cancelled" if self.cancelled else "")


def _worker(model_name: str | None, tasks: Any, results: Any) -> None:
    """Child process: load the model once, then parse chunks until told to stop."""
    try:
        from annotator.nlp.model import load_model
        from annotator.nlp.pipeline import analyse, pipeline_version

        model = load_model(model_name)
        results.put(("ready", pipeline_version(model), model.notice))
        while True:
            chunk = tasks.get()
            if chunk is None:
                break
            for doc_id, found in analyse(model, chunk):
                results.put(("doc", doc_id, found))
            results.put((_DONE, len(chunk), None))
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


def run_suggest(
    project: Project,
    *,
    model_name: str | None = None,
    only: list[int] | None = None,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SuggestSummary:
    context = mp.get_context("spawn")
    tasks: Any = context.Queue()
    results: Any = context.Queue()
    process = context.Process(target=_worker, args=(model_name, tasks, results), daemon=True)
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
        summary.model, summary.notice = version, notice
        with project.sessions() as session:
            needing = set(documents_needing(session, version))
            candidates = list(only) if only is not None else document_ids(session)
        wanted = candidates if force else [d for d in candidates if d in needing]
        summary.skipped = len(candidates) - len(wanted)
        total = len(wanted)
        if progress:
            progress(0, total)
        for start in range(0, total, CHUNK):
            if cancelled and cancelled():
                summary.cancelled = True
                break
            ids = wanted[start : start + CHUNK]
            chunk = []
            with project.sessions() as session:
                for doc_id in ids:
                    doc = get_document(session, doc_id)
                    if doc is not None:
                        blocks = [(s, e) for _, s, e in document_blocks(session, doc_id)]
                        chunk.append((doc_id, doc.text, blocks))
            tasks.put(chunk)
            inputs = {doc_id: (text, blocks) for doc_id, text, blocks in chunk}
            while True:
                kind, a, b = _get(results, process)
                if kind == _DONE:
                    break
                if kind == "error":
                    raise RuntimeError(a)
                text, blocks = inputs[a]
                # Clutter runs here, overlapping the child's parse of the next texts.
                clutter = block_suggestions(text, blocks)
                found = clutter + outside_clutter(clutter, b)
                items = [NewSuggestion(**s) for s in found]
                with project.session() as session:
                    replace_for_document(session, a, version, items)
                summary.processed += 1
                summary.suggestions += len(items)
                if progress:
                    progress(summary.processed, total)
                if cancelled and cancelled():
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
