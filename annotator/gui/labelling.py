"""What the annotator's keys and clicks do to the open document.

Kept apart from the window so the window module stays about layout and flow. Each
handler reads the article view (selection, cursor, block under it), builds one command
over ``AnnotationService`` and hands it to the host's ``perform``, which commits it and
puts it on the undo stack; a refusal becomes one line in the status bar.

The labeller also holds the *pick*: the spans (or the one attribution) chosen for
linking, editing or deleting, shown in the article, the Spans list and the status bar.
It is given the widgets it reads and the window's command context, and imports nothing
of the window, so the window module can import it and not the other way round.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel

from annotator.core.errors import InputError
from annotator.core.keymap import Keymap
from annotator.core.model import Annotations, RelationData, SpanData
from annotator.core.schema import Schema
from annotator.core.snap import exact, snap
from annotator.gui.annotation_panel import UNSURE_BELOW, AnnotationPanel
from annotator.gui.article_view import ArticleView
from annotator.gui.commands import (
    AddSpan,
    ChangeSpan,
    Context,
    Link,
    RemoveSpans,
    Review,
    ServiceCommand,
    SetBlockLabels,
    SetDocLabel,
    SetRelationAttrs,
    SetSpanAttrs,
    Unlink,
)
from annotator.gui.label_palette import LabelPalette
from annotator.services.annotation import OpenedDocument, new_uid


class Host(Context, Protocol):
    """What the labeller needs from the window besides its widgets: the command
    context (service, ``changed``, ``notify``), the open document and ``perform``."""

    current: OpenedDocument | None

    def perform(self, command: ServiceCommand) -> bool:
        """Do ``command`` and put it on the undo stack; False if it was refused."""
        ...


class Labeller:
    """Turns keys and clicks into commands on the host's open document."""

    def __init__(self, host: Host, *, view: ArticleView, panel: AnnotationPanel,
                 palette: LabelPalette, pick_label: QLabel, actions: dict[str, QAction],
                 undo_stack: QUndoStack, schema: Schema, keymap: Keymap) -> None:
        self.host = host
        self.view = view
        self.panel = panel
        self.palette = palette
        self.pick_label = pick_label
        self.actions = actions
        self.undo_stack = undo_stack
        self.schema = schema
        self.keymap = keymap
        self.roles = _roles(schema)
        self.selected_spans: list[str] = []
        self.selected_relation: str | None = None

    def _notify(self, message: str) -> None:
        self.host.notify(message)

    # -- labelling -------------------------------------------------------------------
    def palette_chosen(self, action_id: str) -> None:
        self.actions[action_id].trigger()
        self.view.setFocus()

    def label_blocks(self, label: str) -> None:
        doc = self.host.current
        if doc is None:
            return
        targets = self.view.target_blocks()
        if not targets:
            self._notify("This document has no blocks to label")
            return
        selected = self.view.selection_range()
        if not self.host.perform(SetBlockLabels(self.host, doc.id,
                                                dict.fromkeys(targets, label))):
            return
        if selected is not None:
            self.view.move_to(selected[1])
        else:  # on to the next block: labelling a page is a run of single keys
            self.view.move_to_block(min(targets[-1] + 1, len(doc.blocks) - 1))

    def mark_span(self, label: str, exact_chars: bool = False) -> None:
        doc = self.host.current
        if doc is None:
            return
        chosen = self.view.selection_range()
        if chosen is None:
            self._relabel_under_cursor(doc, label)
            return
        bounds = (exact if exact_chars else snap)(doc.text, *chosen)
        if bounds is None:
            self._notify("Nothing to mark: the selection holds only spaces or punctuation")
            return
        start, end = bounds
        same = next((s for s in doc.annotations.spans if s.key == (label, start, end)), None)
        if same is not None:
            self._notify(f"Already marked {label}")
            self.select_spans([same.uid])
            return
        span = SpanData(new_uid(), label, start, end, {})
        if self.host.perform(AddSpan(self.host, doc.id, span)):
            self.view.move_to(end)
            self.select_spans(self._pick_with(span))

    def _relabel_under_cursor(self, doc: OpenedDocument, label: str) -> None:
        """A span key with no selection relabels the span under the cursor."""
        span = self.view.span_under_cursor()
        if span is None:
            key = self.keymap.keys(f"span:{label}")
            self._notify(f"Select some words first, then press {key[0] if key else label}")
            return
        if span.label == label:
            return
        if any(span.uid in (r.head, r.child, r.cue) for r in doc.annotations.relations):
            self._notify("This span is part of an attribution; remove the attribution "
                         "before relabelling it")
            return
        self.host.perform(ChangeSpan(self.host, doc.id, span,
                                     replace(span, label=label, attrs={})))

    def _pick_with(self, span: SpanData) -> list[str]:
        """The pick after marking ``span``: it joins the picked spans, replacing one of
        the same role (head, child or cue of an attribution), so marking a SOURCE and
        then a CLAIM leaves both picked for Ctrl+L. A span of no linkable role, or a
        pick that would mix in such a span, starts a new pick."""
        doc = self.host.current
        role = self.roles.get(span.label)
        if doc is None or role is None:
            return [span.uid]
        by_uid = {s.uid: s for s in doc.annotations.spans}
        kept = [u for u in self.selected_spans if u in by_uid and u != span.uid]
        if any(self.roles.get(by_uid[u].label) is None for u in kept):
            return [span.uid]
        return [u for u in kept if self.roles[by_uid[u].label] != role] + [span.uid]

    def link(self, relation_name: str) -> None:
        doc = self.host.current
        if doc is None:
            return
        kind = self.schema.relation(relation_name)
        by_uid = {s.uid: s for s in doc.annotations.spans}
        spans = [by_uid[u] for u in self.selected_spans if u in by_uid]
        heads = [s for s in spans if s.label in kind.head]
        children = [s for s in spans if s.label in kind.child]
        cues = [s for s in spans if s.label in kind.cue]
        if (len(heads) != 1 or len(children) != 1 or len(cues) > 1
                or len(spans) != len(heads) + len(children) + len(cues)):
            self._notify(f"Select one {'/'.join(kind.head)} and one "
                         f"{'/'.join(kind.child)} span"
                         f"{' (and optionally one ' + '/'.join(kind.cue) + ')' if kind.cue else ''}"
                         " with Ctrl+click, then press Ctrl+L")
            return
        head, child = heads[0], children[0]
        if any((r.head, r.child) == (head.uid, child.uid) for r in doc.annotations.relations):
            self._notify("These spans are already linked")
            return
        relation = RelationData(new_uid(), relation_name, head.uid, child.uid,
                                cues[0].uid if cues else None, {})
        if self.host.perform(Link(self.host, doc.id, relation)):
            self.select_relation(relation.uid)
            self._notify(f"Linked {head.label} → {child.label}"
                         + (" with its CUE" if cues else ""))

    def link_spans(self, uids: list[str]) -> None:
        """Link from the Spans list (context menu or drag): pick those, then link."""
        self.select_spans(uids)
        self.link(self.schema.relations[0].name)

    def delete(self) -> None:
        doc = self.host.current
        if doc is None:
            return
        focus = QApplication.focusWidget()
        panel = self.panel
        relation = panel.selected_relation()
        if focus is panel.relationList and relation:
            self.host.perform(Unlink(self.host, doc.id, relation))
            return
        if focus is panel.spanList and panel.selected_spans():
            self.host.perform(RemoveSpans(self.host, doc.id, panel.selected_spans()))
            return
        span = self.view.span_under_cursor()
        if span is not None:
            self.host.perform(RemoveSpans(self.host, doc.id, [span.uid]))
        elif self.selected_relation is not None:
            self.host.perform(Unlink(self.host, doc.id, self.selected_relation))
        else:
            self._notify("No span under the cursor")

    def set_span_attrs(self, uid: str, attrs: dict[str, Any]) -> None:
        doc = self.host.current
        if doc is not None:
            self.host.perform(SetSpanAttrs(self.host, doc.id, uid, attrs))

    def set_relation_attrs(self, uid: str, attrs: dict[str, Any]) -> None:
        doc = self.host.current
        if doc is None:
            return
        old = next((r for r in doc.annotations.relations if r.uid == uid), None)
        if old is not None:
            self.host.perform(SetRelationAttrs(self.host, doc.id, old, attrs))

    def set_doc_label(self, name: str, value: str) -> None:
        doc = self.host.current
        if doc is None:
            return
        if doc.annotations.doc_labels.get(name) == value:
            return
        self.host.perform(SetDocLabel(self.host, doc.id, name, value))

    def edit_attrs(self) -> None:
        if not self.selected_spans and self.selected_relation is None:
            span = self.view.span_under_cursor()
            if span is not None:
                self.select_spans([span.uid])
        if not self.panel.focus_editor():
            self._notify("Select a span with attributes (a CLAIM or SOURCE) or an attribution")

    # -- suggestions -----------------------------------------------------------------
    def _target_suggestion(self) -> Any:
        """The suggestion under review: selected in the list and tinted in the text
        (F8, a click in the list, or the caret entering a suggestion selects it)."""
        sid = self.view.current_suggestion
        return self.view.suggestion(sid) if sid is not None else None

    def accept_suggestion(self) -> None:
        self._review_one("accepted")

    def reject_suggestion(self) -> None:
        self._review_one("rejected")

    def _review_one(self, verdict: str) -> None:
        doc = self.host.current
        if doc is None:
            return
        sug = self._target_suggestion()
        if sug is None:
            self._notify("No suggestion selected: F8 goes to the next one, or pick one "
                         "in the Suggestions list")
            return
        service = self.host.service
        if verdict == "accepted":
            action = lambda: service.accept_suggestions(doc.id, [sug.id])  # noqa: E731
            text = f"Accept suggested {sug.label}"
        else:
            action = lambda: service.reject_suggestions(doc.id, [sug.id])  # noqa: E731
            text = f"Reject suggested {sug.label}"
        if self.host.perform(Review(self.host, doc.id, text, action)) and sug.layer == "block":
            block = self.view.current_block()
            if block is not None and self.view.blocks[block][0] <= sug.start <= \
                    self.view.blocks[block][1]:
                self.view.move_to_block(min(block + 1, len(self.view.blocks) - 1))

    def accept_all_blocks(self) -> None:
        doc = self.host.current
        if doc is None:
            return
        service = self.host.service
        command = Review(self.host, doc.id, "Accept all block suggestions",
                         lambda: service.accept_block_suggestions(doc.id))
        try:
            command.do()
        except InputError as exc:
            self._notify(str(exc))
            return
        if command.change is None or command.change.empty:
            self._notify("No pending block suggestions in this document")
            return
        self.undo_stack.push(command)
        self._notify(f"Accepted {len(command.change.verdicts_after)} block suggestions")

    def goto_suggestion(self, step: int) -> None:
        pending = self.view.pending()
        if not pending:
            self._notify("No pending suggestions in this document")
            return
        here = self.view.cursor_offset()
        current = self.view.current_suggestion
        if current is not None and any(s.id == current for s in pending):
            # From the one under review, in list order (several may start here).
            at = next(i for i, s in enumerate(pending) if s.id == current)
            target = pending[(at + (1 if step > 0 else -1)) % len(pending)]
        elif step > 0:
            target = next((s for s in pending if s.start > here), pending[0])
        else:
            target = next((s for s in reversed(pending) if s.start < here), pending[-1])
        self.view.set_current_suggestion(target.id, place_caret=True)
        self.view.setFocus()

    def goto_unsure(self) -> None:
        """The next pending suggestion scored below ``UNSURE_BELOW``, after the caret."""
        unsure = [s for s in self.view.pending() if s.score < UNSURE_BELOW]
        if not unsure:
            self._notify(f"No unsure suggestions here (none scored below {UNSURE_BELOW:.1f})")
            return
        here = self.view.cursor_offset()
        current = self.view.current_suggestion
        after = [s for s in unsure if s.start > here
                 or (s.start == here and current is not None and s.id > current)]
        target = (after or unsure)[0]
        self.view.set_current_suggestion(target.id, place_caret=True)
        self.view.setFocus()
        self._notify(f"Unsure: {target.label} scored {target.score:.2f}"
                     + (f" by {target.rule}" if target.rule else ""))

    def suggestion_activated(self, sid: int) -> None:
        """Chosen in the list: the text shows it and Enter acts on it."""
        self.view.set_current_suggestion(sid, place_caret=True)

    def view_suggestion_changed(self, sid: int | None) -> None:
        self.panel.set_current_suggestion(sid)

    # -- the pick ----------------------------------------------------------------------
    def clear_pick(self) -> None:
        """Another document: nothing of the last one stays picked (the caller redraws)."""
        self.selected_spans, self.selected_relation = [], None

    def keep_existing(self, annotations: Annotations) -> None:
        """After a change: drop picked spans and the attribution that are gone (the
        caller redraws)."""
        known = {s.uid for s in annotations.spans}
        self.selected_spans = [u for u in self.selected_spans if u in known]
        if self.selected_relation not in {r.uid for r in annotations.relations}:
            self.selected_relation = None

    def select_spans(self, uids: list[str]) -> None:
        self.selected_spans = list(dict.fromkeys(uids))
        self.selected_relation = None
        self.view.set_selected(self.selected_spans)
        self.panel.set_selection(self.selected_spans)
        self.show_pick()

    def show_pick(self) -> None:
        """The pick's size and make-up in the status bar, and what Ctrl+L will do."""
        doc = self.host.current
        by_uid = {s.uid: s for s in doc.annotations.spans} if doc else {}
        picked = [by_uid[u].label for u in self.selected_spans if u in by_uid]
        if not picked:
            self.pick_label.setText("")
            return
        self.pick_label.setText(f"Picked {len(picked)}: {' + '.join(picked)}"
                                + ("  (Ctrl+L links)" if len(picked) > 1 else ""))

    def select_relation(self, uid: str | None) -> None:
        self.selected_spans = []
        self.selected_relation = uid
        self.view.set_selected([], uid)
        self.panel.set_selection([], uid)
        self.show_pick()

    def span_clicked(self, uid: str | None, additive: bool) -> None:
        """A click picks one span (or none); Ctrl+click adds one and never drops a
        picked span, so Ctrl+clicking the SOURCE just marked keeps it. A picked span
        leaves the pick by a plain click elsewhere, Escape, or the Spans list."""
        if additive:
            if uid is None or uid in self.selected_spans:
                return
            self.select_spans([*self.selected_spans, uid])
        else:
            self.select_spans([uid] if uid else [])

    def pick_span_under_cursor(self) -> None:
        span = self.view.span_under_cursor()
        if span is None:
            self._notify("No span under the cursor")
            return
        self.span_clicked(span.uid, True)

    def panel_spans_selected(self, uids: list[str]) -> None:
        self.selected_spans = list(uids)
        self.selected_relation = None
        self.view.set_selected(self.selected_spans)
        self.show_pick()

    def panel_relation_selected(self, uid: str | None) -> None:
        self.selected_spans = []
        self.selected_relation = uid
        self.view.set_selected([], uid)

    # -- blocks ------------------------------------------------------------------------
    def current_block_changed(self, index: int | None) -> None:
        label = None
        doc = self.host.current
        if index is not None and doc is not None:
            label = doc.annotations.blocks.get(index)
        self.palette.set_current_block_label(label)

    def step_block(self, step: int) -> None:
        index = self.view.current_block()
        if index is not None:
            self.view.move_to_block(max(0, min(index + step, len(self.view.blocks) - 1)))


def _roles(schema: Schema) -> dict[str, str]:
    """Span label -> its role in a relation ("head", "child" or "cue")."""
    out: dict[str, str] = {}
    for rel in schema.relations:
        for role, labels in (("cue", rel.cue), ("child", rel.child), ("head", rel.head)):
            for label in labels:
                out.setdefault(label, role)
    return out
