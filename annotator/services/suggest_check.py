"""Is there anything to suggest? Answered without starting spaCy.

A suggest run starts a process that loads a spaCy model before it knows whether any
document needs it; the window used to do that, with "Suggesting…" and a progress bar,
at every start. This check reads the versions stored per document and compares them
with what the current rules, rule tables and project models would stamp
(``services.suggest`` explains the two-part version). The spaCy model's own part is
taken from what each document was stamped with, since knowing the installed model's
version means loading it: a change of model alone is picked up by an explicit run
(Project → Suggest, ``annotator suggest``), which compares with the loaded model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from annotator.nlp import block_classifier
from annotator.nlp.model import LoadedModel
from annotator.nlp.pipeline import combine_versions, parse_version, split_version
from annotator.services.block_models import active_block_model, project_attribution_model
from annotator.store import Project
from annotator.store.documents import document_ids
from annotator.store.suggestions import stored_versions


@dataclass(frozen=True)
class _StampedModel:
    """Only the version of the model a document was processed with (all
    ``parse_version`` reads), without the model itself."""

    version: str


def documents_to_suggest(project: Project, only: Sequence[int] | None = None) -> list[int]:
    """The documents (of ``only``, default all) a suggest run would process, in order."""
    learnt = project_attribution_model(project)
    blocks = block_classifier.version(active_block_model(project))
    with project.sessions() as session:
        stored = stored_versions(session)
        candidates = list(only) if only is not None else document_ids(session)
    expected: dict[str, str] = {}
    pending = []
    for doc_id in candidates:
        old = stored.get(doc_id)
        if old is None:
            pending.append(doc_id)
            continue
        model = split_version(old)[0].split("+", 1)[0]
        if model not in expected:
            stamped = cast(LoadedModel, _StampedModel(model))
            expected[model] = combine_versions(parse_version(stamped, learnt), blocks)
        if old != expected[model]:
            pending.append(doc_id)
    return pending
