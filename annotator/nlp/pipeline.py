"""One pass of every suggester over a batch of documents.

The spaCy parse is shared: entities, clutter (topic coherence), claims and attributions
all read the same ``Doc``. Results are plain dicts so they cross a process boundary
cheaply (pickled in the suggest worker) and map one-to-one onto ``suggestions`` rows.

Storage shape per layer:
- ``entity``: label = entity type, offsets of the entity.
- ``block``: label = boilerplate category, offsets of the block, ``attrs.block_index``.
- ``claim``: label ``CLAIM``, offsets of the sentence, ``attrs.checkworthy``.
- ``attribution``: label ``ATTRIBUTION``, offsets covering all parts; ``attrs`` is an
  ``AttributionPayload`` encoded (``core.suggestion_payload``): the parts' offsets
  beside the source's ``naming``/``kind``, ``quote_type`` and any ``intermediary``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.core.suggestion_payload import AttributionPayload
from annotator.nlp import attribution, attribution_learning, block_classifier, claims, entities
from annotator.nlp.block_model import TreeModel, default_model
from annotator.nlp.model import LoadedModel

Item = tuple[int, str, Sequence[tuple[int, int]]]  # (document id, text, block offsets)
SuggestionDict = dict[str, Any]

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Called first in a worker process: end it when the process that started it dies.

    A killed ``suggest`` (kill -9, a crashed window) would otherwise leave its spaCy
    worker running, holding a model's worth of memory. On Linux the kernel sends SIGTERM
    on the parent's death (``PR_SET_PDEATHSIG``); if the parent died before this call,
    the worker has been re-parented already and ends at once. Elsewhere the worker's
    queue reads fail when the parent is gone, which ends it too.
    """
    import multiprocessing
    import os
    import signal
    import sys

    parent = multiprocessing.parent_process()
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)


def parse_version(model: LoadedModel, attribution_model: TreeModel | None = None) -> str:
    """The version of everything that reads the parse: the model, the rule sets, and a
    project's attribution model when it has trained one."""
    parts = [model.version, attribution.RULES_VERSION, claims.RULES_VERSION]
    if attribution_model is not None:
        parts.append(f"attribution-model-{attribution_model.digest}")
    return "+".join(parts)


def combine_versions(parse: str, blocks: str) -> str:
    """One document's stored version: the parse layers' and the block layer's, apart,
    so a new block model re-checks clutter without parsing every document again."""
    return f"{parse}|{blocks}"


def split_version(version: str) -> tuple[str, str]:
    parse, _, blocks = version.rpartition("|")
    return (parse, blocks) if parse else (version, "")


def pipeline_version(model: LoadedModel, block_model: TreeModel | None = None) -> str:
    """Changes whenever the model or any rule set changes, so documents are redone."""
    return combine_versions(parse_version(model), block_classifier.version(
        block_model if block_model is not None else default_model()))


def block_suggestions(
    text: str, blocks: Sequence[tuple[int, int]], doc: Any = None, *,
    evidence: Sequence[dict[str, Any] | None] | None = None,
    repeats: Sequence[int] | None = None, block_model: TreeModel | None = None,
) -> list[SuggestionDict]:
    """Clutter over blocks. Needs no parse (it scores the same without one), so the
    suggest service runs it in the parent process while the child parses the next text."""
    item = block_classifier.BlockInput(blocks, evidence, repeats)
    return [
        {"layer": "block", "label": hit.label, "start": blocks[hit.block_index][0],
         "end": blocks[hit.block_index][1], "score": hit.score, "rule": hit.rule,
         "attrs": {"block_index": hit.block_index}}
        for hit in block_classifier.suggest(text, item, block_model, doc)
    ]


def doc_suggestions(doc: Any, model: LoadedModel,
                    attribution_model: TreeModel | None = None) -> list[SuggestionDict]:
    """Entities, claims and attributions: everything that reads the parse."""
    out: list[SuggestionDict] = []
    if model.entities_enabled:
        for ent in entities.entities(doc):
            out.append({"layer": "entity", "label": ent.label, "start": ent.start,
                        "end": ent.end, "score": ent.score, "rule": ent.rule, "attrs": {}})
    for claim in claims.suggest_claims(doc):
        out.append({"layer": "claim", "label": "CLAIM", "start": claim.start, "end": claim.end,
                    "score": claim.score, "rule": claim.rule, "attrs": dict(claim.attrs)})
    for att in attribution_learning.suggest(doc, attribution_model):
        payload = AttributionPayload.of(att.source, att.cue, att.content, att.attrs)
        start, end = payload.extent
        out.append({"layer": "attribution", "label": "ATTRIBUTION", "start": start, "end": end,
                    "score": att.score, "rule": att.rule, "attrs": payload.encode()})
    return out


def outside_clutter(blocks: list[SuggestionDict], found: list[SuggestionDict]
                    ) -> list[SuggestionDict]:
    """Drop claim and attribution suggestions inside blocks suggested as clutter: a
    repeated caption or an off-topic box holds sentences that look like claims, but an
    annotator would never mark them there."""
    flagged = [(b["start"], b["end"]) for b in blocks]
    return [
        s for s in found
        if s["layer"] not in ("claim", "attribution")
        or not any(start <= s["start"] and s["end"] <= end for start, end in flagged)
    ]


def suggestions_for(doc: Any, text: str, blocks: Sequence[tuple[int, int]],
                    model: LoadedModel) -> list[SuggestionDict]:
    """Every layer for one parsed document, in one process."""
    found = block_suggestions(text, blocks, doc)
    return found + outside_clutter(found, doc_suggestions(doc, model))


def analyse(model: LoadedModel, items: Iterable[Item], batch_size: int = 16,
            attribution_model: TreeModel | None = None,
            ) -> Iterator[tuple[int, list[SuggestionDict]]]:
    """Parse with ``nlp.pipe`` (one model load, batched) and run the parse-reading
    suggesters; block (clutter) suggestions are left to ``block_suggestions``."""
    pending: list[Item] = []

    def texts() -> Iterator[str]:
        for item in items:
            pending.append(item)
            yield item[1]

    for doc in model.nlp.pipe(texts(), batch_size=batch_size):
        doc_id, _text, _blocks = pending.pop(0)
        yield doc_id, doc_suggestions(doc, model, attribution_model)
