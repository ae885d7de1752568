"""Blocks keep the page's evidence and a fingerprint of their line.

``evidence`` (JSON, HTML imports only): tag path, landmark containers, link share,
class/id words, the main-text extractor's verdict. ``fingerprint``: a hash of the
block's words, so "how many documents of this project print the same line" is one
indexed query (a site's template repeats; prose does not). Existing blocks get their
fingerprint here; their evidence stays empty (the HTML was not kept).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

from annotator.core.fingerprint import fingerprint

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("blocks") as batch:
        batch.add_column(sa.Column("evidence", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("fingerprint", sa.String(length=16), nullable=True))
        batch.create_index("ix_blocks_fingerprint", ["fingerprint"])
    bind = op.get_bind()
    blocks = sa.table("blocks", sa.column("id", sa.Integer), sa.column("document_id", sa.Integer),
                      sa.column("start", sa.Integer), sa.column("end", sa.Integer),
                      sa.column("fingerprint", sa.String))
    documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("text", sa.Text))
    doc_ids = [row[0] for row in bind.execute(sa.select(documents.c.id))]
    update = (sa.update(blocks).where(blocks.c.id == sa.bindparam("bid"))
              .values(fingerprint=sa.bindparam("fp")))
    for doc_id in doc_ids:
        text = bind.execute(sa.select(documents.c.text).where(documents.c.id == doc_id)).scalar()
        rows = bind.execute(sa.select(blocks.c.id, blocks.c.start, blocks.c.end)
                            .where(blocks.c.document_id == doc_id)).all()
        if rows and text is not None:
            bind.execute(update, [{"bid": bid, "fp": fingerprint(text[s:e])}
                                  for bid, s, e in rows])


def downgrade() -> None:
    with op.batch_alter_table("blocks") as batch:
        batch.drop_index("ix_blocks_fingerprint")
        batch.drop_column("fingerprint")
        batch.drop_column("evidence")
