"""The store: sqlmodel tables, the engine with its migrations, and the queries the sync cycle needs."""
