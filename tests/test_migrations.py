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


def test_workflow_states_move_onto_the_project_rows_and_back(app):
    """Upgrading a database that has projects keeps each one's workflow state."""
    from sqlalchemy import text
    with app.app_context():
        reset_database()
        upgrade(directory=str(MIGRATIONS_DIR), revision="5c1e2d7a9b40")
        with db.engine.begin() as connection:
            for statement in [
                    "INSERT INTO districts (code, name_zh, name_en) VALUES ('d', '区', 'D')",
                    "INSERT INTO process_definitions (id, key, version, name, sha256, "
                    "change_note, deployed_at) VALUES (1, 'k', 1, 'k', 'x', '', "
                    "'2026-11-23 01:00:00')",
                    "INSERT INTO projects (id, name, district, status, definition_id, data, "
                    "revision, created_at, updated_at) VALUES (7, 'p', 'd', 'in_progress', 1, "
                    "'{}', 3, '2026-11-23 01:00:00', '2026-11-23 01:00:00')",
                    "INSERT INTO project_states (project_id, state) VALUES (7, '{\"s\": 1}')"]:
                connection.execute(text(statement))
        upgrade(directory=str(MIGRATIONS_DIR))
        with db.engine.connect() as connection:
            assert connection.scalar(text("SELECT state FROM projects WHERE id = 7")) == \
                '{"s": 1}'
        downgrade(directory=str(MIGRATIONS_DIR), revision="5c1e2d7a9b40")
        with db.engine.connect() as connection:
            assert connection.scalar(text(
                "SELECT state FROM project_states WHERE project_id = 7")) == '{"s": 1}'
        reset_database()
