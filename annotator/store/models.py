"""SQLAlchemy 2 typed models: documents, blocks, annotators' labels, suggestions, settings.

Portable types only (JSON, not JSONB; no SQLite-only SQL) so the same models run on
PostgreSQL for a team server. Annotation rows all carry their annotator: ownership is
enforced by the service layer, and uniqueness constraints here stop a double write
from ever producing two labels for the same thing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from annotator.core.vocabulary import Status

# Named constraints keep Alembic batch migrations deterministic on SQLite.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(1000), default="")
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    blocks: Mapped[list[Block]] = relationship(
        back_populates="document", order_by="Block.index", cascade="all, delete-orphan"
    )


class Block(Base):
    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("document_id", "index", name="uq_blocks_document_index"),
                      Index("ix_blocks_fingerprint", "fingerprint"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    # Added in revision 0004: the HTML page's evidence (HTML imports only) and a hash of
    # the block's words, for counting a site's template lines across documents.
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    fingerprint: Mapped[str | None] = mapped_column(String(16), nullable=True)

    document: Mapped[Document] = relationship(back_populates="blocks")


class Annotator(Base):
    __tablename__ = "annotators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="annotator")


class BlockLabel(Base):
    __tablename__ = "block_labels"
    __table_args__ = (
        UniqueConstraint(
            "document_id", "block_index", "annotator_id", name="uq_block_labels_doc_block_ann"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    block_index: Mapped[int] = mapped_column(Integer)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))


class Span(Base):
    __tablename__ = "spans"
    __table_args__ = (Index("ix_spans_doc_ann", "document_id", "annotator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Relation(Base):
    __tablename__ = "relations"
    __table_args__ = (Index("ix_relations_doc_ann", "document_id", "annotator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))
    # Indexed: deleting a span looks up the relations that point at it (migration 0005).
    head_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"), index=True)
    cue_id: Mapped[int | None] = mapped_column(
        ForeignKey("spans.id", ondelete="SET NULL"), nullable=True, index=True
    )
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DocLabel(Base):
    __tablename__ = "doc_labels"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", "name", name="uq_doc_labels_doc_ann_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(String(100))


class Progress(Base):
    __tablename__ = "progress"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", name="uq_progress_doc_ann"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=Status.TODO)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Suggestion(Base):
    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_doc_layer", "document_id", "layer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    layer: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float, default=1.0)
    rule: Mapped[str] = mapped_column(String(200), default="")
    model_version: Mapped[str] = mapped_column(String(200), default="")
    # Added in revision 0002: attribution parts, source naming and kind, etc.
    attrs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SuggestionReview(Base):
    """An annotator's verdict on one suggestion, so a rejected one stays hidden.

    Added in revision 0002. Accepting creates the annotator's own label as well; the
    review row records the decision so the suggestion is no longer shown as pending.
    """

    __tablename__ = "suggestion_reviews"
    __table_args__ = (
        UniqueConstraint("suggestion_id", "annotator_id", name="uq_suggestion_reviews_sug_ann"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(20))  # accepted | rejected


class SuggestionRun(Base):
    """Which pipeline version last processed a document, even when it found nothing.

    Added in revision 0003: inferring "processed" from the suggestion rows made a
    document without any suggestion look new to every run.
    """

    __tablename__ = "suggestion_runs"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    model_version: Mapped[str] = mapped_column(String(200))
    processed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProjectSetting(Base):
    __tablename__ = "project_settings"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
