"""Annotating one document as one annotator: every action committed at once.

Each method commits its own transaction (a killed process loses at most the action in
flight) and returns what is needed to undo it, so the GUI's undo stack can be a thin
list of (do, undo) pairs over this service. Ownership is enforced here: an annotator
can change only rows stored under their own name, and the reserved names (``gold``,
``suggestions``) are written only by adjudication and import.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from annotator.core import schema as schema_mod
from annotator.core.errors import InputError
from annotator.store import Project
from annotator.store import annotations as db
from annotator.store.annotations import Annotations, RelationData, SpanData
from annotator.store.documents import document_blocks, get_document

STATUSES = ("todo", "in_progress", "done", "skipped")


def new_uid() -> str:
    return uuid.uuid4().hex


class AnnotationService:
    def __init__(self, project: Project, annotator: str, *, allow_reserved: bool = False) -> None:
        name = annotator.strip()
        if not name:
            raise InputError("annotator name is empty")
        if name in db.RESERVED_NAMES and not allow_reserved:
            raise InputError(f"the annotator name {name!r} is reserved")
        self.project = project
        self.name = name
        self.schema = schema_mod.from_dict(project.get_setting("schema"))
        with project.session() as session:
            self.annotator_id = db.get_or_create_annotator(
                session, name, "lead" if name == "gold" else "annotator"
            )

    # -- reading ---------------------------------------------------------------------
    def load(self, document_id: int) -> Annotations:
        with self.project.sessions() as session:
            return db.load(session, document_id, self.annotator_id)

    def _text_length(self, session: Any, document_id: int) -> int:
        doc = get_document(session, document_id)
        if doc is None:
            raise InputError(f"no document with id {document_id}")
        return len(doc.text)

    def _check_owner(self, owner: tuple[int, int] | None, what: str, uid: str) -> None:
        if owner is None:
            raise InputError(f"no {what} {uid}")
        if owner[1] != self.annotator_id:
            raise InputError(f"{what} {uid} belongs to another annotator")

    # -- blocks ----------------------------------------------------------------------
    def set_block_labels(self, document_id: int, labels: dict[int, str | None]) -> dict[int, str | None]:
        """Set several blocks at once; returns their previous labels (for undo)."""
        for label in labels.values():
            if label is not None:
                self.schema.block(label)
        with self.project.session() as session:
            n_blocks = len(document_blocks(session, document_id))
            current = db.load(session, document_id, self.annotator_id).blocks
            previous = {i: current.get(i) for i in labels}
            for index, label in labels.items():
                if not 0 <= index < n_blocks:
                    raise InputError(f"block {index} outside document {document_id}")
                db.set_block_label(session, document_id, self.annotator_id, index, label)
            self._touch(session, document_id)
        return previous

    # -- spans -----------------------------------------------------------------------
    def add_span(
        self, document_id: int, label: str, start: int, end: int,
        attrs: dict[str, Any] | None = None, uid: str | None = None,
    ) -> SpanData:
        span = SpanData(uid or new_uid(), label, start, end, dict(attrs or {}))
        self.put_span(document_id, span)
        return span

    def put_span(self, document_id: int, span: SpanData) -> None:
        """Create or restore a span exactly (used by redo and undo too)."""
        self.schema.span(span.label)
        with self.project.session() as session:
            length = self._text_length(session, document_id)
            if not 0 <= span.start < span.end <= length:
                raise InputError(f"span [{span.start}, {span.end}) outside the text "
                                 f"(length {length})")
            owner = db.span_owner(session, span.uid)
            if owner is not None:
                self._check_owner(owner, "span", span.uid)
            db.put_span(session, document_id, self.annotator_id, span)
            self._touch(session, document_id)

    def set_span_attrs(self, uid: str, attrs: dict[str, Any]) -> SpanData:
        """Replace a span's attributes; returns the span as it was."""
        with self.project.session() as session:
            owner = db.span_owner(session, uid)
            self._check_owner(owner, "span", uid)
            assert owner is not None
            old = next(s for s in db.load(session, owner[0], self.annotator_id).spans
                       if s.uid == uid)
            db.put_span(session, owner[0], self.annotator_id, replace(old, attrs=dict(attrs)))
            self._touch(session, owner[0])
        return old

    def remove_span(self, uid: str) -> tuple[SpanData, list[RelationData]]:
        """Delete a span; returns it and the relations that went with it (for undo)."""
        with self.project.session() as session:
            owner = db.span_owner(session, uid)
            self._check_owner(owner, "span", uid)
            assert owner is not None
            current = db.load(session, owner[0], self.annotator_id)
            span = next(s for s in current.spans if s.uid == uid)
            touched = [r for r in current.relations if uid in (r.head, r.child, r.cue)]
            db.delete_span(session, uid)
            self._touch(session, owner[0])
        return span, touched

    # -- relations -------------------------------------------------------------------
    def link(
        self, document_id: int, head: str, child: str, cue: str | None = None,
        label: str = "ATTRIBUTION", attrs: dict[str, Any] | None = None, uid: str | None = None,
    ) -> RelationData:
        relation = RelationData(uid or new_uid(), label, head, child, cue, dict(attrs or {}))
        self.put_relation(document_id, relation)
        return relation

    def put_relation(self, document_id: int, relation: RelationData) -> None:
        kind = self.schema.relation(relation.label)
        with self.project.session() as session:
            spans = {s.uid: s for s in db.load(session, document_id, self.annotator_id).spans}
            for role, uid, allowed in (("head", relation.head, kind.head),
                                       ("child", relation.child, kind.child),
                                       ("cue", relation.cue, kind.cue)):
                if uid is None:
                    continue
                if uid not in spans:
                    raise InputError(f"{role} span {uid} is not one of your spans here")
                if spans[uid].label not in allowed:
                    raise InputError(f"{relation.label} {role} must be "
                                     f"{' or '.join(allowed)}, not {spans[uid].label}")
            owner = db.relation_owner(session, relation.uid)
            if owner is not None:
                self._check_owner(owner, "relation", relation.uid)
            db.put_relation(session, document_id, self.annotator_id, relation)
            self._touch(session, document_id)

    def unlink(self, uid: str) -> RelationData:
        with self.project.session() as session:
            owner = db.relation_owner(session, uid)
            self._check_owner(owner, "relation", uid)
            assert owner is not None
            old = next(r for r in db.load(session, owner[0], self.annotator_id).relations
                       if r.uid == uid)
            db.delete_relation(session, uid)
            self._touch(session, owner[0])
        return old

    # -- document labels and progress -----------------------------------------------
    def set_doc_label(self, document_id: int, name: str, value: str | None) -> str | None:
        if value is not None and value not in self.schema.document(name).values:
            raise InputError(f"{value!r} is not a value of {name}")
        with self.project.session() as session:
            old = db.load(session, document_id, self.annotator_id).doc_labels.get(name)
            db.set_doc_label(session, document_id, self.annotator_id, name, value)
            self._touch(session, document_id)
        return old

    def set_status(self, document_id: int, status: str, add_seconds: float = 0.0) -> str:
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        with self.project.session() as session:
            old = db.load(session, document_id, self.annotator_id).status
            db.set_status(session, document_id, self.annotator_id, status, add_seconds)
        return old

    def _touch(self, session: Any, document_id: int) -> None:
        """Any labelling moves a document from todo to in progress."""
        current = db.load(session, document_id, self.annotator_id).status
        if current == "todo":
            db.set_status(session, document_id, self.annotator_id, "in_progress")
