"""Annotating one document as one annotator: every action committed at once.

Each method commits its own transaction (a killed process loses at most the action in
flight) and returns what is needed to undo it, so the GUI's undo stack can be a thin
list of (do, undo) pairs over this service. Ownership is enforced here: an annotator
can change only rows stored under their own name, and the reserved names (``gold``,
``suggestions``) are written only by adjudication and import.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, overload

from annotator.core import schema as schema_mod
from annotator.core.errors import InputError
from annotator.core.model import Annotations, RelationData, SpanData, SuggestionRow
from annotator.core.suggestion_payload import PART_LABELS, AttributionPayload
from annotator.core.vocabulary import RESERVED_ANNOTATORS, STATUSES, role_for
from annotator.store import Project
from annotator.store import annotations as db
from annotator.store import suggestions as sugg_db
from annotator.store.documents import (
    document_blocks,
    get_document,
    search_document_ids,
    titles,
)
from annotator.store.engine import retry_when_busy


def new_uid() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class OpenedDocument:
    """Everything the annotation window shows for one document, read in one session.

    One round trip per document switch keeps switching fast in a large project. Not a
    ``core.model.DocumentData``: it is the window's reading of one, with this annotator's
    work and the suggestions beside the text, blocks numbered as the labels refer to
    them, and without what the window never shows (hash, metadata, fingerprints).
    """

    id: int
    title: str
    source: str
    text: str
    blocks: list[tuple[int, int, int]]  # (index, start, end)
    annotations: Annotations
    suggestions: list[SuggestionRow]


@dataclass(frozen=True, slots=True)
class ReviewChange:
    """What accepting or rejecting suggestions did, so it can be undone and redone exactly.

    Accepting creates the annotator's own labels (block labels, spans, relations) and
    records the verdict; the undo restores the previous block labels and verdicts and
    removes exactly the spans and relations that were created (uids are kept, so a redo
    recreates the same rows).
    """

    document_id: int
    verdicts_before: dict[int, str | None] = field(default_factory=dict)
    verdicts_after: dict[int, str] = field(default_factory=dict)
    blocks_before: dict[int, str | None] = field(default_factory=dict)
    blocks_after: dict[int, str] = field(default_factory=dict)
    spans: tuple[SpanData, ...] = ()
    relations: tuple[RelationData, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.verdicts_after or self.blocks_after or self.spans or self.relations)


REVIEWABLE_LAYERS = ("block", "claim", "attribution")


class AnnotationService:
    def __init__(self, project: Project, annotator: str, *, allow_reserved: bool = False) -> None:
        name = annotator.strip()
        if not name:
            raise InputError("annotator name is empty")
        if name in RESERVED_ANNOTATORS and not allow_reserved:
            raise InputError(f"the annotator name {name!r} is reserved")
        self.project = project
        self.name = name
        self.schema = schema_mod.from_dict(project.get_setting("schema"))
        with project.session() as session:
            self.annotator_id = db.get_or_create_annotator(session, name, role_for(name))

    # -- reading ---------------------------------------------------------------------
    def load(self, document_id: int) -> Annotations:
        with self.project.sessions() as session:
            return db.load(session, document_id, self.annotator_id)

    def _text_length(self, session: Any, document_id: int) -> int:
        doc = get_document(session, document_id)
        if doc is None:
            raise InputError(f"no document with id {document_id}")
        return len(doc.text)

    def _check_inside(self, session: Any, document_id: int, span: SpanData) -> None:
        length = self._text_length(session, document_id)
        if not 0 <= span.start < span.end <= length:
            raise InputError(f"span [{span.start}, {span.end}) outside the text "
                             f"(length {length})")

    def _check_owner(self, owner: tuple[int, int] | None, what: str, uid: str) -> None:
        if owner is None:
            raise InputError(f"no {what} {uid}")
        if owner[1] != self.annotator_id:
            raise InputError(f"{what} {uid} belongs to another annotator")

    @staticmethod
    def _owner(session: Any, what: str, uid: str) -> tuple[int, int] | None:
        """(document id, annotator id) of the span or relation ``uid``, None if not stored."""
        return (db.span_owner if what == "span" else db.relation_owner)(session, uid)

    def _stored_as_own(self, session: Any, what: str, uid: str) -> bool:
        """Is the span or relation ``uid`` stored? An ``InputError`` when it is stored
        under another annotator (uids are global: nobody overwrites another's row)."""
        owner = self._owner(session, what, uid)
        if owner is not None:
            self._check_owner(owner, what, uid)
        return owner is not None

    @overload
    def _owned(self, session: Any, what: Literal["span"], uid: str
               ) -> tuple[int, Annotations, SpanData]: ...
    @overload
    def _owned(self, session: Any, what: Literal["relation"], uid: str
               ) -> tuple[int, Annotations, RelationData]: ...
    def _owned(self, session: Any, what: str, uid: str
               ) -> tuple[int, Annotations, SpanData | RelationData]:
        """The document holding this annotator's span or relation ``uid``, their labels on
        it and the span or relation; an ``InputError`` when there is no such one or it is
        someone else's."""
        owner = self._owner(session, what, uid)
        self._check_owner(owner, what, uid)
        assert owner is not None
        current = db.load(session, owner[0], self.annotator_id)
        items: list[Any] = current.spans if what == "span" else current.relations
        return owner[0], current, next(item for item in items if item.uid == uid)

    # -- blocks ----------------------------------------------------------------------
    @retry_when_busy  # one transaction: safe to run again
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

    @retry_when_busy
    def put_span(self, document_id: int, span: SpanData) -> None:
        """Create or restore a span exactly (used by redo and undo too)."""
        self.schema.span(span.label)
        with self.project.session() as session:
            self._check_inside(session, document_id, span)
            self._stored_as_own(session, "span", span.uid)
            db.put_span(session, document_id, self.annotator_id, span)
            self._touch(session, document_id)

    @retry_when_busy
    def set_span_attrs(self, uid: str, attrs: dict[str, Any]) -> SpanData:
        """Replace a span's attributes; returns the span as it was."""
        with self.project.session() as session:
            document_id, _, old = self._owned(session, "span", uid)
            db.put_span(session, document_id, self.annotator_id, replace(old, attrs=dict(attrs)))
            self._touch(session, document_id)
        return old

    @retry_when_busy
    def remove_span(self, uid: str) -> tuple[SpanData, list[RelationData]]:
        """Delete a span; returns it and the relations that went with it (for undo)."""
        with self.project.session() as session:
            document_id, current, span = self._owned(session, "span", uid)
            touched = [r for r in current.relations if uid in (r.head, r.child, r.cue)]
            db.delete_span(session, uid)
            self._touch(session, document_id)
        return span, touched

    # -- relations -------------------------------------------------------------------
    def link(
        self, document_id: int, head: str, child: str, cue: str | None = None,
        label: str = "ATTRIBUTION", attrs: dict[str, Any] | None = None, uid: str | None = None,
    ) -> RelationData:
        relation = RelationData(uid or new_uid(), label, head, child, cue, dict(attrs or {}))
        self.put_relation(document_id, relation)
        return relation

    @retry_when_busy
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
            self._stored_as_own(session, "relation", relation.uid)
            db.put_relation(session, document_id, self.annotator_id, relation)
            self._touch(session, document_id)

    @retry_when_busy
    def unlink(self, uid: str) -> RelationData:
        """Delete a relation; returns it (for undo)."""
        with self.project.session() as session:
            document_id, _, old = self._owned(session, "relation", uid)
            db.delete_relation(session, uid)
            self._touch(session, document_id)
        return old

    # -- document labels and progress -----------------------------------------------
    @retry_when_busy
    def set_doc_label(self, document_id: int, name: str, value: str | None) -> str | None:
        if value is not None and value not in self.schema.document(name).values:
            raise InputError(f"{value!r} is not a value of {name}")
        with self.project.session() as session:
            old = db.load(session, document_id, self.annotator_id).doc_labels.get(name)
            db.set_doc_label(session, document_id, self.annotator_id, name, value)
            self._touch(session, document_id)
        return old

    @retry_when_busy
    def set_status(self, document_id: int, status: str, add_seconds: float = 0.0) -> str:
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
        with self.project.session() as session:
            old = db.load(session, document_id, self.annotator_id).status
            db.set_status(session, document_id, self.annotator_id, status, add_seconds)
        return old

    def _touch(self, session: Any, document_id: int) -> None:
        """Any labelling moves a document from todo to in progress and stamps the time."""
        db.touch(session, document_id, self.annotator_id)

    # -- reading for the annotation window ------------------------------------------
    def open(self, document_id: int) -> OpenedDocument:
        """Text, blocks, this annotator's labels and the suggestions, in one session."""
        with self.project.sessions() as session:
            doc = get_document(session, document_id)
            if doc is None:
                raise InputError(f"no document with id {document_id}")
            return OpenedDocument(
                doc.id, doc.title, doc.source, doc.text, document_blocks(session, document_id),
                db.load(session, document_id, self.annotator_id),
                sugg_db.for_document(session, document_id, self.annotator_id),
            )

    def suggestions(self, document_id: int) -> list[SuggestionRow]:
        with self.project.sessions() as session:
            return sugg_db.for_document(session, document_id, self.annotator_id)

    def document_ids(self, search: str = "") -> list[int]:
        """Ids in list order, filtered by every word of ``search`` (run off the GUI thread)."""
        with self.project.sessions() as session:
            return search_document_ids(session, search)

    def document_titles(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        with self.project.sessions() as session:
            return titles(session, ids)

    def statuses(self) -> dict[int, str]:
        with self.project.sessions() as session:
            return db.statuses(session, self.annotator_id)

    # -- suggestions -----------------------------------------------------------------
    def accept_suggestions(self, document_id: int, ids: Iterable[int]) -> ReviewChange:
        """Accept suggestions: each becomes the annotator's own label, in one commit."""
        return self._review(document_id, list(ids), "accepted")

    def reject_suggestions(self, document_id: int, ids: Iterable[int]) -> ReviewChange:
        """Reject suggestions: they stop being shown to this annotator."""
        return self._review(document_id, list(ids), "rejected")

    def accept_block_suggestions(self, document_id: int) -> ReviewChange:
        """Accept every pending block suggestion of a document in one commit.

        Blocks the annotator has already labelled keep their label (the annotator's
        decision wins over the machine's); their suggestions are recorded as accepted
        when they agree and rejected when not, so nothing is left pending.
        """
        with self.project.sessions() as session:
            pending = [row.id for row in sugg_db.for_document(
                session, document_id, self.annotator_id, layers=("block",)
            ) if row.verdict is None]
        return self._review(document_id, pending, "accepted", keep_labelled_blocks=True)

    @retry_when_busy
    def apply_review(self, change: ReviewChange) -> None:
        """Redo a review exactly (same uids)."""
        with self.project.session() as session:
            self._apply_change(session, change)
            self._touch(session, change.document_id)

    @retry_when_busy
    def revert_review(self, change: ReviewChange) -> None:
        """Undo a review: created labels removed, block labels and verdicts restored."""
        with self.project.session() as session:
            for rel in change.relations:
                if self._stored_as_own(session, "relation", rel.uid):
                    db.delete_relation(session, rel.uid)
            for span in change.spans:
                if self._stored_as_own(session, "span", span.uid):
                    db.delete_span(session, span.uid)
            for index, label in change.blocks_before.items():
                db.set_block_label(session, change.document_id, self.annotator_id, index, label)
            for sid, verdict in change.verdicts_before.items():
                sugg_db.set_verdict(session, sid, self.annotator_id, verdict)
            self._touch(session, change.document_id)  # an undo is an edit: newer wins

    def _apply_change(self, session: Any, change: ReviewChange) -> None:
        for index, label in change.blocks_after.items():
            db.set_block_label(session, change.document_id, self.annotator_id, index, label)
        for span in change.spans:
            db.put_span(session, change.document_id, self.annotator_id, span)
        for rel in change.relations:
            db.put_relation(session, change.document_id, self.annotator_id, rel)
        for sid, verdict in change.verdicts_after.items():
            sugg_db.set_verdict(session, sid, self.annotator_id, verdict)

    @retry_when_busy
    def _review(
        self, document_id: int, ids: list[int], verdict: str, keep_labelled_blocks: bool = False
    ) -> ReviewChange:
        with self.project.session() as session:
            length = self._text_length(session, document_id)
            rows = {r.id: r for r in sugg_db.for_document(session, document_id,
                                                            self.annotator_id)}
            current = db.load(session, document_id, self.annotator_id)
            blocks = [(s, e) for _, s, e in document_blocks(session, document_id)]
            plan = _ReviewPlan(self.schema, current, length)
            for sid in ids:
                row = rows.get(sid)
                if row is None:
                    raise InputError(f"no suggestion {sid} on document {document_id}")
                if row.layer not in REVIEWABLE_LAYERS:
                    raise InputError(f"{row.layer} suggestions are shown for reference; "
                                     "there is nothing to accept or reject")
                final = verdict
                if verdict == "accepted":
                    final = plan.accept(row, blocks, keep_labelled_blocks)
                plan.verdicts_before[sid] = row.verdict
                plan.verdicts_after[sid] = final
            change = ReviewChange(
                document_id, plan.verdicts_before, plan.verdicts_after,
                {i: current.blocks.get(i) for i in plan.blocks_after}, plan.blocks_after,
                tuple(plan.spans), tuple(plan.relations),
            )
            self._apply_change(session, change)
            self._touch(session, document_id)
        return change


class _ReviewPlan:
    """Works out which labels accepting suggestions creates, reusing identical ones."""

    def __init__(self, schema: schema_mod.Schema, current: Annotations, length: int) -> None:
        self.schema = schema
        self.current = current
        self.length = length
        self.verdicts_before: dict[int, str | None] = {}
        self.verdicts_after: dict[int, str] = {}
        self.blocks_after: dict[int, str] = {}
        self.spans: list[SpanData] = []
        self.relations: list[RelationData] = []

    def accept(self, row: SuggestionRow, blocks: list[tuple[int, int]], keep: bool) -> str:
        """Plan the labels for one accepted suggestion; returns the verdict to record."""
        if row.layer == "block":
            return self._accept_block(row, blocks, keep)
        if row.layer == "claim":
            label = row.label if row.label in self.schema.span_names else "CLAIM"
            self._span(label, row.start, row.end, row.attrs)
            return "accepted"
        self._accept_attribution(row)
        return "accepted"

    def _accept_block(self, row: SuggestionRow, blocks: list[tuple[int, int]],
                      keep: bool) -> str:
        self.schema.block(row.label)  # unknown label: a clear InputError
        index = row.attrs.get("block_index", row.attrs.get("block"))
        if isinstance(index, int) and 0 <= index < len(blocks):
            indices = [index]
        else:
            inside = [i for i, (s, e) in enumerate(blocks) if s >= row.start and e <= row.end]
            indices = inside or [i for i, (s, e) in enumerate(blocks)
                                 if s < row.end and e > row.start]
        if not indices:
            raise InputError(f"block suggestion [{row.start}, {row.end}) covers no block")
        verdict = "accepted"
        for i in indices:
            own = self.current.blocks.get(i)
            if keep and own is not None:
                if own != row.label:
                    verdict = "rejected"
                continue
            self.blocks_after[i] = row.label
        return verdict

    def _span(self, label: str, start: int, end: int, attrs: dict[str, Any]) -> str:
        if not 0 <= start < end <= self.length:
            raise InputError(f"suggested span [{start}, {end}) is outside the text")
        allowed = self.schema.span(label).attrs
        clean = {k: v for k, v in attrs.items() if k in allowed and v in allowed[k]}
        for span in [*self.current.spans, *self.spans]:
            if span.key == (label, start, end):
                return span.uid
        span = SpanData(new_uid(), label, start, end, clean)
        self.spans.append(span)
        return span.uid

    def _accept_attribution(self, row: SuggestionRow) -> None:
        relation = next((r for r in self.schema.relations if "SOURCE" in r.head),
                        self.schema.relations[0] if self.schema.relations else None)
        if relation is None:
            raise InputError("the label schema has no relation to accept attributions into")
        payload = AttributionPayload.decode(row.attrs)
        if payload is None or payload.source is None:
            raise InputError("this attribution suggestion names no source or no content span")
        # The schema decides which attributes each label keeps (``_span`` filters them).
        attrs = dict(payload.attrs)
        head = self._span(relation.head[0], *payload.source, attrs)
        child_uid = self._span(PART_LABELS["content"], *payload.content, {})
        cue_uid = (self._span(relation.cue[0], *payload.cue, {})
                   if payload.cue and relation.cue else None)
        for rel in [*self.current.relations, *self.relations]:
            if (rel.label, rel.head, rel.child) == (relation.name, head, child_uid):
                return
        rel_attrs = {k: v for k, v in attrs.items()
                     if k in relation.attrs and v in relation.attrs[k]}
        self.relations.append(RelationData(new_uid(), relation.name, head, child_uid, cue_uid,
                                           rel_attrs))
