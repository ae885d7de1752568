"""Machine suggestions: written by ``suggest``, reviewed by annotators.

A suggestion is project-wide (one per document, layer, label, offsets, model version);
each annotator's accept/reject verdict lives in ``suggestion_reviews`` so one person's
rejection does not hide the suggestion from another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from annotator.core.model import NewSuggestion, SuggestionRow
from annotator.store.keyed_rows import set_or_clear
from annotator.store.models import Suggestion, SuggestionReview, SuggestionRun, utcnow

LAYERS = ("entity", "block", "claim", "attribution")


def replace_for_document(
    session: Session, document_id: int, model_version: str, items: Sequence[NewSuggestion]
) -> None:
    """Make ``items`` the document's suggestions and record the run.

    Annotators' verdicts survive a re-run: a new suggestion identical to a reviewed one
    (same layer, label and offsets) keeps its verdict, so a rejected suggestion stays
    hidden after ``suggest --all`` or a model upgrade.
    """
    kept = session.execute(
        select(SuggestionReview.annotator_id, SuggestionReview.verdict, Suggestion.layer,
               Suggestion.label, Suggestion.start, Suggestion.end)
        .join(Suggestion, Suggestion.id == SuggestionReview.suggestion_id)
        .where(Suggestion.document_id == document_id)
    ).all()
    session.execute(delete(Suggestion).where(Suggestion.document_id == document_id))
    if items:
        session.execute(
            insert(Suggestion),
            [
                {"document_id": document_id, "layer": s.layer, "label": s.label,
                 "start": s.start, "end": s.end, "score": s.score, "rule": s.rule,
                 "model_version": model_version, "attrs": dict(s.attrs)}
                for s in items
            ],
        )
    if kept and items:
        new_ids = {
            (layer, label, start, end): sid
            for sid, layer, label, start, end in session.execute(
                select(Suggestion.id, Suggestion.layer, Suggestion.label, Suggestion.start,
                       Suggestion.end).where(Suggestion.document_id == document_id)
            )
        }
        verdicts = {
            (new_ids[key], annotator): verdict
            for annotator, verdict, *rest in kept
            if (key := tuple(rest)) in new_ids
        }
        if verdicts:
            session.execute(insert(SuggestionReview), [
                {"suggestion_id": sid, "annotator_id": annotator, "verdict": verdict}
                for (sid, annotator), verdict in verdicts.items()
            ])
    restamp(session, document_id, model_version)


def update_block_layer(session: Session, document_id: int, model_version: str,
                       items: Sequence[NewSuggestion]) -> None:
    """Make ``items`` the document's block suggestions without touching the rows that
    stay (their ids and verdicts survive), drop claim and attribution suggestions that
    now lie inside a suggested block, and record the run."""
    current = {
        (label, start, end): sid
        for sid, label, start, end in session.execute(
            select(Suggestion.id, Suggestion.label, Suggestion.start, Suggestion.end)
            .where(Suggestion.document_id == document_id, Suggestion.layer == "block")
        ).all()
    }
    wanted = {(s.label, s.start, s.end): s for s in items}
    gone = [sid for key, sid in current.items() if key not in wanted]
    if gone:
        session.execute(delete(Suggestion).where(Suggestion.id.in_(gone)))
    fresh = [s for key, s in wanted.items() if key not in current]
    if fresh:
        session.execute(insert(Suggestion), [
            {"document_id": document_id, "layer": s.layer, "label": s.label, "start": s.start,
             "end": s.end, "score": s.score, "rule": s.rule, "model_version": model_version,
             "attrs": dict(s.attrs)}
            for s in fresh
        ])
    for s in items:
        session.execute(delete(Suggestion).where(
            Suggestion.document_id == document_id,
            Suggestion.layer.in_(("claim", "attribution")),
            Suggestion.start >= s.start, Suggestion.end <= s.end))
    restamp(session, document_id, model_version)


def stored_versions(session: Session) -> dict[int, str]:
    """The version that last processed each document (documents never run are absent)."""
    return dict(session.execute(
        select(SuggestionRun.document_id, SuggestionRun.model_version)).all())


def block_keys(session: Session, document_id: int) -> set[tuple[str, int, int]]:
    """(label, start, end) of a document's block suggestions."""
    return set(session.execute(
        select(Suggestion.label, Suggestion.start, Suggestion.end)
        .where(Suggestion.document_id == document_id, Suggestion.layer == "block")
    ).all())


def restamp(session: Session, document_id: int, model_version: str) -> None:
    """Record that ``model_version`` would suggest what is stored: nothing is rewritten,
    so suggestion ids and every verdict stay as they are."""
    run = session.get(SuggestionRun, document_id)
    if run is None:
        session.add(SuggestionRun(document_id=document_id, model_version=model_version,
                                  processed_at=utcnow()))
    else:
        run.model_version, run.processed_at = model_version, utcnow()


def for_document(
    session: Session, document_id: int, annotator_id: int | None = None,
    layers: Iterable[str] = LAYERS,
) -> list[SuggestionRow]:
    """Selected by columns rather than ORM objects: 4-5 times faster, which is what
    lets a 1 MB article with 15,000 entity suggestions open within a second."""
    verdicts: dict[int, str] = {}
    if annotator_id is not None:
        verdicts = dict(
            session.execute(
                select(SuggestionReview.suggestion_id, SuggestionReview.verdict)
                .join(Suggestion, Suggestion.id == SuggestionReview.suggestion_id)
                .where(Suggestion.document_id == document_id,
                       SuggestionReview.annotator_id == annotator_id)
            ).all()
        )
    rows = session.execute(
        select(Suggestion.id, Suggestion.layer, Suggestion.label, Suggestion.start,
               Suggestion.end, Suggestion.score, Suggestion.rule, Suggestion.model_version,
               Suggestion.attrs)
        .where(Suggestion.document_id == document_id, Suggestion.layer.in_(list(layers)))
        .order_by(Suggestion.start, Suggestion.end, Suggestion.id)
    )
    return [
        SuggestionRow(sid, layer, label, start, end, score, rule, version, dict(attrs or {}),
                      verdicts.get(sid))
        for sid, layer, label, start, end, score, rule, version, attrs in rows
    ]


def set_verdict(
    session: Session, suggestion_id: int, annotator_id: int, verdict: str | None
) -> None:
    """Record accepted/rejected for one annotator; ``None`` makes it pending again (undo)."""
    set_or_clear(session, SuggestionReview,
                 {"suggestion_id": suggestion_id, "annotator_id": annotator_id}, "verdict", verdict)
