"""Bring the database schema up to date."""
from .config import ROOT
from .extensions import db

MIGRATIONS_DIR = ROOT / "migrations"


def upgrade_schema():
    """Apply Alembic migrations when the project has them, else create the tables."""
    if (MIGRATIONS_DIR / "versions").is_dir() and any((MIGRATIONS_DIR / "versions").glob("*.py")):
        from flask_migrate import upgrade
        upgrade(directory=str(MIGRATIONS_DIR))
    else:
        db.create_all()
