"""Undoable commands: thin QUndoCommands over ``AnnotationService``.

Every service call commits at once and returns what undoing it needs, so a command
is a pair of service calls. The window first calls ``do()`` (which may refuse with an
``InputError`` that becomes a status-bar message, leaving the stack untouched) and
only then pushes the command; ``QUndoStack.push`` calls ``redo()``, which therefore
skips the service the first time. Undo and redo after that replay through the service,
which re-checks ownership each time.

Commands carry their document id: undoing something done on another document first
brings that document back on screen, so the annotator sees what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from annotator.core.errors import InputError
from annotator.core.model import RelationData, SpanData
from annotator.core.vocabulary import Status
from annotator.services.annotation import AnnotationService, ReviewChange


class Context(Protocol):
    """What commands need from the window."""

    service: AnnotationService

    def changed(self, document_id: int) -> None:
        """Re-read the document's labels (showing the document) after a change."""

    def notify(self, message: str) -> None:
        """Show one line in the status bar: a refusal, or what a command did."""


class ServiceCommand(QUndoCommand):
    def __init__(self, ctx: Context, document_id: int, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.document_id = document_id
        self._skip_redo = False

    def do(self) -> None:
        """Perform the action the first time; raises ``InputError`` if refused."""
        self._do()
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
        else:
            self._guard(self._do)
        self.ctx.changed(self.document_id)

    def undo(self) -> None:
        self._guard(self._undo)
        self.ctx.changed(self.document_id)

    def _guard(self, fn: Callable[[], Any]) -> None:
        """Through the window's writer when it has one, so undo and redo wait for a
        busy project in order instead of blocking the window (``writer.py``)."""
        write = getattr(self.ctx, "write", None)
        try:
            if write is not None:
                write(self, fn)
            else:
                fn()
        except InputError as exc:
            self.ctx.notify(str(exc))

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class SetBlockLabels(ServiceCommand):
    def __init__(self, ctx: Context, document_id: int, labels: dict[int, str | None]) -> None:
        names = sorted({v or "none" for v in labels.values()})
        where = (f"block {next(iter(labels)) + 1}" if len(labels) == 1
                 else f"{len(labels)} blocks")
        super().__init__(ctx, document_id, f"Label {where} {', '.join(names)}")
        self.labels = dict(labels)
        self.previous: dict[int, str | None] = {}

    def _do(self) -> None:
        self.previous = self.ctx.service.set_block_labels(self.document_id, self.labels)

    def _undo(self) -> None:
        self.ctx.service.set_block_labels(self.document_id, self.previous)


class AddSpan(ServiceCommand):
    def __init__(self, ctx: Context, document_id: int, span: SpanData) -> None:
        super().__init__(ctx, document_id, f"Mark {span.label}")
        self.span = span

    def _do(self) -> None:
        self.ctx.service.put_span(self.document_id, self.span)

    def _undo(self) -> None:
        self.ctx.service.remove_span(self.span.uid)


class ChangeSpan(ServiceCommand):
    """Relabel a span (a span key pressed on an existing span)."""

    def __init__(self, ctx: Context, document_id: int, old: SpanData, new: SpanData) -> None:
        super().__init__(ctx, document_id, f"Relabel {old.label} as {new.label}")
        self.old, self.new = old, new

    def _do(self) -> None:
        self.ctx.service.put_span(self.document_id, self.new)

    def _undo(self) -> None:
        self.ctx.service.put_span(self.document_id, self.old)


class RemoveSpans(ServiceCommand):
    def __init__(self, ctx: Context, document_id: int, uids: list[str]) -> None:
        super().__init__(ctx, document_id,
                         "Remove span" if len(uids) == 1 else f"Remove {len(uids)} spans")
        self.uids = list(uids)
        self.removed: list[SpanData] = []
        self.relations: dict[str, RelationData] = {}

    def _do(self) -> None:
        self.removed, self.relations = [], {}
        for uid in self.uids:
            span, rels = self.ctx.service.remove_span(uid)
            self.removed.append(span)
            for rel in rels:
                self.relations.setdefault(rel.uid, rel)

    def _undo(self) -> None:
        for span in self.removed:
            self.ctx.service.put_span(self.document_id, span)
        for rel in self.relations.values():
            self.ctx.service.put_relation(self.document_id, rel)


class SetSpanAttrs(ServiceCommand):
    """Consecutive edits of the same attribute of one span (arrow keys stepping through
    values) merge into one undo step; another attribute is a step of its own."""

    ID = 1001

    def __init__(self, ctx: Context, document_id: int, uid: str, attrs: dict[str, Any]) -> None:
        super().__init__(ctx, document_id, "Set attributes")
        self.uid = uid
        self.attrs = dict(attrs)
        self.old: dict[str, Any] = {}
        self.changed: set[str] = set()

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (not isinstance(other, SetSpanAttrs) or other.uid != self.uid
                or other.changed != self.changed):
            return False
        self.attrs = other.attrs
        return True

    def _do(self) -> None:
        self.old = dict(self.ctx.service.set_span_attrs(self.uid, self.attrs).attrs)
        if not self.changed:
            self.changed = {k for k in {*self.old, *self.attrs}
                            if self.old.get(k) != self.attrs.get(k)}

    def _undo(self) -> None:
        self.ctx.service.set_span_attrs(self.uid, self.old)


class Link(ServiceCommand):
    def __init__(self, ctx: Context, document_id: int, relation: RelationData) -> None:
        super().__init__(ctx, document_id, f"Link {relation.label.lower()}")
        self.relation = relation

    def _do(self) -> None:
        self.ctx.service.put_relation(self.document_id, self.relation)

    def _undo(self) -> None:
        self.ctx.service.unlink(self.relation.uid)


class Unlink(ServiceCommand):
    def __init__(self, ctx: Context, document_id: int, uid: str) -> None:
        super().__init__(ctx, document_id, "Remove attribution")
        self.uid = uid
        self.old: RelationData | None = None

    def _do(self) -> None:
        self.old = self.ctx.service.unlink(self.uid)

    def _undo(self) -> None:
        if self.old is not None:
            self.ctx.service.put_relation(self.document_id, self.old)


class SetRelationAttrs(ServiceCommand):
    ID = 1002

    def __init__(self, ctx: Context, document_id: int, old: RelationData,
                 attrs: dict[str, Any]) -> None:
        super().__init__(ctx, document_id, "Set attribution attributes")
        self.old = old
        self.new = replace(old, attrs=dict(attrs))

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetRelationAttrs) or other.old.uid != self.old.uid:
            return False
        self.new = other.new
        return True

    def _do(self) -> None:
        self.ctx.service.put_relation(self.document_id, self.new)

    def _undo(self) -> None:
        self.ctx.service.put_relation(self.document_id, self.old)


class SetDocLabel(ServiceCommand):
    def __init__(self, ctx: Context, document_id: int, name: str, value: str | None) -> None:
        super().__init__(ctx, document_id, f"Rate {name}: {value or 'none'}")
        self.name, self.value = name, value
        self.old: str | None = None

    def _do(self) -> None:
        self.old = self.ctx.service.set_doc_label(self.document_id, self.name, self.value)

    def _undo(self) -> None:
        self.ctx.service.set_doc_label(self.document_id, self.name, self.old)


class SetStatus(ServiceCommand):
    def __init__(self, ctx: Context, document_id: int, status: str, seconds: float = 0.0) -> None:
        super().__init__(ctx, document_id, f"Mark {status.replace('_', ' ')}")
        self.status = status
        self.seconds = seconds
        self.old: str = Status.TODO

    def _do(self) -> None:
        self.old = self.ctx.service.set_status(self.document_id, self.status, self.seconds)
        self.seconds = 0.0  # time is counted once, not again on redo

    def _undo(self) -> None:
        self.ctx.service.set_status(self.document_id, self.old)


class Review(ServiceCommand):
    """Accept or reject suggestions; ``action`` performs it and returns the change."""

    def __init__(self, ctx: Context, document_id: int, text: str,
                 action: Callable[[], ReviewChange]) -> None:
        super().__init__(ctx, document_id, text)
        self.action = action
        self.change: ReviewChange | None = None

    def _do(self) -> None:
        if self.change is None:
            self.change = self.action()
        else:
            self.ctx.service.apply_review(self.change)

    def _undo(self) -> None:
        if self.change is not None:
            self.ctx.service.revert_review(self.change)
