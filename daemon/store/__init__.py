"""The store: sqlmodel tables (``models``), the engine with its alembic migrations (``db``, ``migrations/``)
and the queries and upserts (``repo``). Imports nothing else of daemon/."""
