"""Index the spans a relation points at.

Deleting a span (a merge replacing a record's spans, an annotator removing one) makes
SQLite look for relations whose ``head_id``, ``child_id`` or ``cue_id`` is that span,
to cascade or set null. Without an index each deleted span scans the whole relations
table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_relations_head_id", "head_id"),
    ("ix_relations_child_id", "child_id"),
    ("ix_relations_cue_id", "cue_id"),
)


def upgrade() -> None:
    for name, column in INDEXES:
        op.create_index(name, "relations", [column])


def downgrade() -> None:
    for name, _column in INDEXES:
        op.drop_index(name, table_name="relations")
