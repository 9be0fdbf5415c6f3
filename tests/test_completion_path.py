"""Completing a task: the answer's next steps, the completed row, the statements it takes."""
from sqlalchemy import event, select

from flow import APPROVE_REVIEW, PLAN, SIGN, project, run_straight, start
from helpers_deadlines import at
from service.extensions import db
from service.models import Task


def test_next_steps_are_the_projects_open_steps(as_user):
    pid = start(as_user)
    first = as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    assert first["next_steps"] == project(as_user, pid)["current_steps"]
    review = as_user("city_review").complete(pid, "city_review", APPROVE_REVIEW)
    assert review["next_steps"] == project(as_user, pid)["current_steps"]
    run_straight(as_user, pid, start_at="file_compensation_plan")
    # One of the five parallel sign-offs: the four others stay open and are answered too.
    signed = as_user("dept_housing").complete(pid, "joint_signoff", SIGN)
    current = project(as_user, pid)["current_steps"]
    assert len(current) == 4 and signed["next_steps"] == current


def test_completed_row_carries_its_deadline_columns(as_user, app, clock):
    pid = start(as_user)  # Monday 2026-11-23: submit_plan due Monday 2026-12-07
    at(clock, 2026, 12, 9, 10, 0)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    with app.app_context():
        row = db.session.scalar(select(Task).where(Task.project_id == pid,
                                                   Task.step == "submit_plan"))
        assert (row.status, row.completed_late, row.days_taken, row.next_alert_at) == \
            ("completed", True, 12, None)
        assert row.claimed_by_id == row.completed_by_id is not None
        assert row.data["households"] == PLAN["households"]


def test_statements_per_completion(as_user, app):
    pid = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(pid, "submit_plan")
    statements = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):  # SQLite's transaction is begun by a statement
            statements.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = office.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": PLAN})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.json
    # user; the project's lock (PostgreSQL: SQLite's writing transaction holds the database's
    # lock from its BEGIN); task with its project and open rows; completing UPDATE; project
    # with its workflow state; new row; the new step's notices to its office (one INSERT …
    # SELECT); audit events (escalations only when a level had fired), with the audit chain
    # head taken before them and moved after them (two statements)
    assert len(statements) <= (9 if engine.dialect.name == "sqlite" else 10), statements


def test_plain_answer_equals_the_schema_dump(as_user, app):
    pid = start(as_user)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    as_user("city_review").complete(pid, "city_review", APPROVE_REVIEW)
    run_straight(as_user, pid, start_at="file_compensation_plan")
    housing = as_user("dept_housing")
    housing.post(f"/api/v1/tasks/{housing.task_for(pid, 'joint_signoff')['id']}/claim")
    with app.test_request_context():
        from service.api.plain import complete_result
        from service.api.schemas import CompleteResultSchema
        from service.models import Project
        found = db.session.get(Project, pid)
        rows = db.session.scalars(select(Task).where(Task.project_id == pid)).all()
        assert any(r.claimed_by_id for r in rows) and any(r.completed_by_id for r in rows)
        assert complete_result(found, rows) == \
            CompleteResultSchema().dump({"project": found, "next_steps": rows})
