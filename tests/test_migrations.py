"""The Alembic migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from conftest import reset_database
from service.extensions import db
from service.migrations_support import MIGRATIONS_DIR


def test_migrations_match_the_models_and_downgrade_cleanly(app):
    with app.app_context():
        reset_database()
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == []
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        upgrade(directory=str(MIGRATIONS_DIR))


def test_init_db_command_runs_the_migrations(app, runner):
    with app.app_context():
        reset_database()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "statutory_approval v1 deployed" in result.output
    assert runner.invoke(args=["init-db"]).output.strip().endswith("unchanged")
