"""The agreement report of a project, in the project's own label schema.

The maths lives in ``core.agreement.report``; this module decides *whose* work and
*which* labels: the annotators asked for (every annotator except ``gold`` and
``suggestions`` by default), the schema's block and span labels (so unused labels still
show with n = 0), and the schema's ordinal document labels (ordinal alpha, not nominal).
The CLI and the GUI both call ``compute``, a job in the sense of ``core.jobs``: the GUI
runs it on a worker thread, whose ``progress`` callback is only ever called there, and
a set ``cancel`` event makes it raise ``Cancelled`` (a part of a report is no report).
Token alpha's tokens are counted while the store is read (``store.agreement_queries``),
which hands the whole project over as columns (``core.agreement.columns``) read with a
few range-scanned queries per page of documents.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core import schema as schema_mod
from annotator.core.agreement.columns import WorkColumns
from annotator.core.agreement.data import DocAnnotations
from annotator.core.agreement.report import build, document_report
from annotator.core.agreement.token_alpha import with_tokens
from annotator.core.errors import InputError
from annotator.core.gc_pause import gc_paused
from annotator.core.jobs import Cancelled, Progress, check, report
from annotator.store import Project
from annotator.store import agreement_queries as q
from annotator.store.documents import get_document_by_hash

LOADING, COMPUTING = "loading", "computing"
"""The stages ``progress`` reports: documents read (done/total), then the report itself
(0/1, then 1/1 when it is ready)."""


@dataclass(frozen=True, slots=True)
class SchemaInputs:
    """The label lists ``report.build`` takes, read from a project's schema."""

    block_labels: list[str]
    span_labels: list[str]
    relation_labels: list[str]
    ordinal_values: dict[str, list[str]]

    def kwargs(self) -> dict[str, Any]:
        return {
            "block_labels": self.block_labels,
            "span_labels": self.span_labels,
            "relation_labels": self.relation_labels,
            "ordinal_values": self.ordinal_values,
        }


def schema_inputs(schema: schema_mod.Schema) -> SchemaInputs:
    """Block/span/relation label names and, per ordinal document label, its scale."""
    return SchemaInputs(
        block_labels=schema.block_names,
        span_labels=schema.span_names,
        relation_labels=[relation.name for relation in schema.relations],
        ordinal_values={doc.name: doc.scale for doc in schema.documents if doc.ordinal},
    )


def project_schema(project: Project) -> schema_mod.Schema:
    return schema_mod.from_dict(project.get_setting("schema"))


def parse_annotators(spec: str | None) -> list[str] | None:
    """``"a,b,c"`` -> ``["a", "b", "c"]`` (blanks dropped, order kept, duplicates once)."""
    if spec is None:
        return None
    names = list(dict.fromkeys(name.strip() for name in spec.split(",") if name.strip()))
    if not names:
        raise InputError("--annotators: give annotator names separated by commas")
    return names


def known_annotators(project: Project) -> list[str]:
    """Every annotator of the project, sorted, the reserved names included."""
    with project.sessions() as session:
        return sorted(q.annotator_ids(session))


def others(project: Project, chosen: Mapping[int, str]) -> dict[int, str]:
    """The people not compared (reserved names aside): their work is only counted."""
    with project.sessions() as session:
        everyone = q.select_annotators(session, None)
    return {id_: name for id_, name in everyone.items() if id_ not in chosen}


def check_annotators(project: Project, names: Sequence[str] | None) -> dict[int, str]:
    """Annotator id -> name of who is compared; a clear ``InputError`` for unknown names.

    Two names at least, since agreement is between people; ``gold`` may be named to
    compare annotators against the adjudicated version.
    """
    with project.sessions() as session:
        known = q.annotator_ids(session)
        chosen = q.select_annotators(session, names)
    if names is not None:
        missing = [name for name in names if name not in known]
        if missing:
            listed = ", ".join(sorted(known)) or "none yet"
            raise InputError(f"--annotators: no annotator {missing[0]!r} in this project "
                             f"(annotators: {listed})")
        if len(chosen) < 2:
            raise InputError("--annotators: name at least two annotators to compare")
    return chosen




def load_documents(
    project: Project,
    annotators: Mapping[int, str],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[DocAnnotations]:
    """Every document with the chosen annotators' work (see ``store.agreement_queries``);
    the other annotators' works come with their status only, to be counted as left out."""

    def loading(done: int, total: int) -> None:
        report(progress, done, total, LOADING)

    status_only = others(project, annotators)
    with project.sessions() as session, gc_paused():
        docs = list(q.iter_doc_annotations(session, annotators, status_only=status_only,
                                           progress=loading, cancelled=_poll(cancel)))
    check(cancel)
    return docs


def load_columns(
    project: Project,
    annotators: Mapping[int, str],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> WorkColumns:
    """The same work as ``load_documents``, as the report's columns: what ``compute``
    reads, since it skips building an object per span only to flatten it again."""

    def loading(done: int, total: int) -> None:
        report(progress, done, total, LOADING)

    status_only = others(project, annotators)
    with project.sessions() as session, gc_paused():
        cols = q.load_columns(session, annotators, status_only=status_only, progress=loading,
                              cancelled=_poll(cancel))
    check(cancel)
    if cols is None:  # (the store saw the event set between pages)
        raise Cancelled
    return cols


def _poll(cancel: threading.Event | None) -> Callable[[], bool] | None:
    """The store's page loop asks a plain callable between pages."""
    return cancel.is_set if cancel is not None else None


def compute(
    project: Project,
    annotators: Sequence[str] | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """The agreement report (``core.agreement.report.build``) of the whole project.

    ``annotators`` names who is compared, in that order (default: everyone except gold
    and suggestions). Raises ``InputError`` for unknown names and ``Cancelled`` when
    ``cancel`` is set while documents are read (the computation itself is a few
    vectorised seconds at most and runs to the end).
    """
    chosen = check_annotators(project, annotators)
    inputs = schema_inputs(project_schema(project))
    docs = load_columns(project, chosen, progress=progress, cancel=cancel)
    report(progress, 0, 1, COMPUTING)
    # Default: everyone with work on some document (build's rule), so a name created by
    # opening the app once does not add empty rows and columns to the report.
    order = list(annotators) if annotators is not None else None
    with gc_paused():
        result = build(docs, annotators=order, **inputs.kwargs())
    check(cancel)
    report(progress, 1, 1, COMPUTING)
    return result


def compute_document(
    project: Project, doc: DocAnnotations, annotators: Sequence[str] | None = None
) -> dict[str, Any]:
    """The figures and itemised differences of one document (``document_report``).

    A document given without tokens is tokenized from the stored text (found by its
    sha256), so its token alpha is the one the project report counts.
    """
    inputs = schema_inputs(project_schema(project))
    if doc.n_tokens is None:
        with project.sessions() as session:
            stored = get_document_by_hash(session, doc.doc_id)
            text = stored.text if stored is not None else None
        if text is not None and len(text) == doc.text_length:
            doc = with_tokens(doc, text)
    return document_report(doc, annotators=annotators, **inputs.kwargs())
