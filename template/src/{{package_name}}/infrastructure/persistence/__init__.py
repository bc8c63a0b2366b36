"""Persistence adapters on SQLAlchemy, and the schema that Alembic migrates."""
