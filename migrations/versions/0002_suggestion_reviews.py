"""Suggestion attributes and per-annotator reviews of suggestions.

Attribution suggestions need their parts (source, cue, content) and the source's
naming and kind; annotators' accept/reject decisions must persist so a rejected
suggestion stays hidden after a restart.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("attrs", sa.JSON(), nullable=False, server_default="{}"))
    op.create_table(
        "suggestion_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["annotator_id"], ["annotators.id"],
                                name="fk_suggestion_reviews_annotator_id_annotators",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"],
                                name="fk_suggestion_reviews_suggestion_id_suggestions",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_suggestion_reviews"),
        sa.UniqueConstraint("suggestion_id", "annotator_id",
                            name="uq_suggestion_reviews_sug_ann"),
    )


def downgrade() -> None:
    op.drop_table("suggestion_reviews")
    with op.batch_alter_table("suggestions") as batch:
        batch.drop_column("attrs")
