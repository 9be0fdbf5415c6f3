"""The tamper-evident audit trail: forged, deleted and cut-off rows are caught; PostgreSQL
refuses UPDATE and DELETE; an archive is refused when the chain is broken."""
import io
import json
import zipfile

import pytest
from sqlalchemy import text

from service.extensions import db
from flow import PLAN, start


def _run_sql(app, *statements, bypass_trigger=False):
    """What someone with direct database access does (on PostgreSQL, the table owner first
    switches the append-only trigger off, as only an owner or superuser can)."""
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        with db.engine.begin() as conn:
            if postgres and bypass_trigger:
                conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
            for statement in statements:
                conn.execute(text(statement))
            if postgres and bypass_trigger:
                conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only"))


def _project_with_history(as_user):
    pid = start(as_user)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    return pid


def _completion_seq(app, pid):
    with app.app_context():
        return db.session.execute(text(
            "SELECT id, seq FROM audit_events WHERE project_id = :p AND action = 'complete'"),
            {"p": pid}).one()


def test_intact_chain_verifies(as_user, runner):
    _project_with_history(as_user)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit chain intact" in result.output


def test_forged_completion_is_caught_and_archive_refused(as_user, app, runner):
    pid = _project_with_history(as_user)
    office = as_user("jingkou_office")
    archive = office.get(f"/api/v1/projects/{pid}/archive")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        chain = json.loads(z.read("audit-chain.json"))
        assert "audit-chain.json" in json.loads(z.read("manifest.json"))
    assert chain["verification"]["ok"] is True
    assert len(chain["rows"]) >= 2 and all(len(r["hash"]) == 64 for r in chain["rows"])

    row_id, seq = _completion_seq(app, pid)
    # The attack: one UPDATE makes the completion admin's, with forged data.
    _run_sql(app, "UPDATE audit_events SET actor_id = (SELECT id FROM users WHERE username = "
                  f"'admin'), detail = '{{\"data\": \"FORGED\"}}' WHERE id = {row_id}",
             bypass_trigger=True)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"row {seq} (id {row_id}) was changed after it was written" in result.output

    refused = office.get(f"/api/v1/projects/{pid}/archive")
    assert refused.status_code == 409
    assert "audit trail is broken" in refused.json["message"]


def test_deleted_row_is_caught(as_user, app, runner):
    pid = _project_with_history(as_user)
    as_user("jingkou_office").post("/api/v1/projects", json={"name": "后来的项目"})
    row_id, seq = _completion_seq(app, pid)
    _run_sql(app, f"DELETE FROM audit_events WHERE id = {row_id}", bypass_trigger=True)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"row {seq} of the chain is missing (deleted)" in result.output


def test_cut_off_tail_is_caught_by_the_exported_head(as_user, app, runner):
    _project_with_history(as_user)
    exported = runner.invoke(args=["audit", "export-head"])
    assert exported.exit_code == 0
    last = int(exported.output.split()[3])
    # Someone removes the last two rows and rewinds the head row to match.
    with app.app_context():
        keep = db.session.execute(text(
            "SELECT seq, hash FROM audit_events WHERE seq = :s"), {"s": last - 2}).one()
    _run_sql(app, f"DELETE FROM audit_events WHERE seq > {last - 2}",
             f"UPDATE audit_chain_head SET seq = {keep.seq}, hash = '{keep.hash}'",
             bypass_trigger=True)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert (f"the chain ends at row {last - 2} but an exported head records row {last}: "
            "rows were cut off") in result.output


def test_cut_off_tail_is_caught_by_the_head_row(as_user, app, runner):
    _project_with_history(as_user)
    with app.app_context():
        last = db.session.execute(text("SELECT max(seq) FROM audit_events")).scalar()
    _run_sql(app, f"DELETE FROM audit_events WHERE seq = {last}", bypass_trigger=True)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "but the chain head records row" in result.output


def test_postgresql_refuses_update_and_delete(as_user, app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the trigger is PostgreSQL's")
    pid = _project_with_history(as_user)
    row_id, _ = _completion_seq(app, pid)
    for statement in (f"UPDATE audit_events SET detail = '{{}}' WHERE id = {row_id}",
                      f"DELETE FROM audit_events WHERE id = {row_id}",
                      "TRUNCATE audit_events CASCADE"):
        with pytest.raises(Exception, match="append-only"):
            _run_sql(app, statement)


def test_upgrade_chains_the_rows_written_before(app, runner):
    from flask_migrate import upgrade
    from conftest import reset_database
    from service.migrations_support import MIGRATIONS_DIR
    with app.app_context():
        reset_database()
        upgrade(directory=str(MIGRATIONS_DIR), revision="d19a0c5e7b21")
        with db.engine.begin() as conn:
            for n in range(3):
                conn.execute(text("INSERT INTO audit_events (action, at, detail) VALUES "
                                  f"('calendar_set', '2026-11-2{n} 01:00:00', '{{\"n\": {n}}}')"))
        upgrade(directory=str(MIGRATIONS_DIR))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "3 rows" in result.output


def _savepoint_that_fails(action, **detail):
    from service.services.records.audit import record
    try:
        with db.session.begin_nested():
            record(action, **detail)
            raise LookupError("this step fails")
    except LookupError:
        pass


def test_rows_recorded_in_a_rolled_back_savepoint_are_not_in_the_trail(app, runner):
    """A savepoint that rolls back takes its audit rows with it: the trail claims only what
    happened. Rows recorded before it, and in savepoints released, commit with the rest."""
    from sqlalchemy import select
    from service.models import AuditEvent
    from service.services.records.audit import record
    with app.app_context():
        record("savepoint_test", step="before")
        _savepoint_that_fails("savepoint_test", step="rolled back")
        with db.session.begin_nested():
            record("savepoint_test", step="released")
        try:  # a released savepoint inside one that rolls back goes with the outer one
            with db.session.begin_nested():
                with db.session.begin_nested():
                    record("savepoint_test", step="inner, released")
                raise LookupError("the outer step fails")
        except LookupError:
            pass
        record("savepoint_test", step="after")
        db.session.commit()
        steps = [e.detail["step"] for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "savepoint_test")
            .order_by(AuditEvent.seq))]
    assert steps == ["before", "released", "after"]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "audit chain intact" in result.output, result.output
