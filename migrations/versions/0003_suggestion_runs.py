"""Record which pipeline version processed each document.

A document whose run found no suggestion had no rows to show it was processed, so
every ``suggest`` parsed it again. Existing projects are seeded from their rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_runs",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=200), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name="fk_suggestion_runs_document_id_documents",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name="pk_suggestion_runs"),
    )
    op.execute(
        "INSERT INTO suggestion_runs (document_id, model_version, processed_at) "
        "SELECT document_id, MAX(model_version), CURRENT_TIMESTAMP FROM suggestions "
        "GROUP BY document_id"
    )


def downgrade() -> None:
    op.drop_table("suggestion_runs")
