"""Bring the database schema up to date."""
from .config import shipped
from .extensions import db

MIGRATIONS_DIR = shipped("migrations")


def upgrade_schema(use_migrations=True):
    """Apply the Alembic migrations (or, for fast test set-up, create the tables directly)."""
    if use_migrations and any((MIGRATIONS_DIR / "versions").glob("*.py")):
        from flask_migrate import upgrade
        upgrade(directory=str(MIGRATIONS_DIR))
    else:
        db.create_all()
