"""Alembic environment: run from application code with a live connection.

The application passes its connection in ``config.attributes["connection"]`` (the
Taguette pattern), so migrations run inside the app's own engine with its pragmas.
Run by hand, ``sqlalchemy.url`` from the config is used instead.
"""

from alembic import context
from sqlalchemy import engine_from_config, pool

from annotator.store.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
