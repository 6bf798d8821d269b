"""Alembic environment: the engine comes from daemon.store.db (config.attributes["engine"]), never from
an ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine
from sqlmodel import SQLModel

import daemon.store.models  # noqa: F401  (registers the tables on SQLModel.metadata for autogenerate)

engine: Engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        # The whole upgrade is the one transaction engine.begin() opened (daemon/store/db.py emits BEGIN):
        # a process killed mid-migration leaves the schema as it was.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
