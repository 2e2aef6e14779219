"""incidents.search_text: text and address folded for case- and accent-free search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 22:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    _backfill(op.get_bind())


def _backfill(bind: sa.engine.Connection) -> None:
    """Fold the existing incidents in batches (the folding is Python: see ioc.search)."""
    from ioc.search import search_text

    incidents = sa.table("incidents", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                         sa.column("address", sa.String), sa.column("search_text", sa.Text))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(incidents.c.id, incidents.c.text, incidents.c.address)
            .where(incidents.c.id > last).order_by(incidents.c.id).limit(BATCH)).all()
        if not rows:
            return
        bind.execute(
            incidents.update().where(incidents.c.id == sa.bindparam("b_id"))
            .values(search_text=sa.bindparam("b_text")),
            [{"b_id": r.id, "b_text": search_text(r.text, r.address)} for r in rows])
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("search_text")
