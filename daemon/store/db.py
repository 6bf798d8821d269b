"""The database engine: SQLite by default, the file created 0600, migrations run at startup through
alembic.

Crash safety. pysqlite (Python's sqlite3 before 3.12) opens a transaction only before INSERT/UPDATE/DELETE,
so CREATE TABLE and the rest of a migration would each commit on their own, and a process killed during the
first start left some tables without ``alembic_version``: every later start then failed. Here pysqlite's own
transaction handling is switched off and SQLAlchemy's ``begin`` emits ``BEGIN``, as SQLAlchemy's pysqlite
notes recommend, so a migration, like every sync step, commits whole or not at all. The journal is WAL: a
reader (``kpisync status``, a dry run) never blocks the writer, and a kill at any instant leaves a database
SQLite recovers on the next open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision (tests/daemon/test_store_migrations.py checks it is alembic's head): a
# database already there opens without importing alembic, which costs every sync half a second of CPU.
HEAD_REVISION = "0004"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def open_engine(url_or_path: str | Path) -> Engine:
    """An engine for a path (SQLite, created 0600) or a SQLAlchemy URL, with the schema migrated to head."""
    if isinstance(url_or_path, Path) or "://" not in url_or_path:
        path = Path(url_or_path)
        _create_private(path)
        url = sqlite_url(path)
    else:
        url = url_or_path
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    migrate(engine)
    return engine


def _create_private(path: Path) -> None:
    # The database holds respondents' answers: create it owner-only before SQLite opens it with the umask.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # No implicit BEGIN/COMMIT from pysqlite: _sqlite_begin opens every transaction, DDL included.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # noqa: PLC0415 - only when a migration is due (HEAD_REVISION)

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is there already)."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command  # noqa: PLC0415 - see HEAD_REVISION

    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    """The revision alembic recorded in the database (None: a new or unmigrated database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
