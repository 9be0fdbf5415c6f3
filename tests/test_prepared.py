"""Prepared statements store and read values exactly as SQLAlchemy's own statements do."""
import datetime as dt

import pytest
from sqlalchemy import bindparam, event, insert, select, update
from sqlalchemy.exc import IntegrityError

from flow import start
from service.extensions import db
from service.models import Task
from service.services.approval.prepared import Prepared

INSERT = Prepared(insert(Task.__table__).returning(Task.id))
READ = Prepared(select(Task.__table__).where(Task.id == bindparam("row_id")))
CLOSE = Prepared(update(Task.__table__).where(Task.id == bindparam("row_id"),
                                              Task.status == "open").returning(Task.status))


def _row(project_id, **values):
    return {"project_id": project_id, "spiff_id": f"s-{values.get('step', 'x')}",
            "step": "x", "name": "名称", "form": None, "role": "finance", "district": "jingkou",
            "department": None, "status": "open", "created_at": dt.datetime(2026, 11, 23, 1, 2, 3),
            "due_date": dt.date(2026, 12, 7), "completed_late": None, "data": None, **values}


def test_what_prepared_writes_the_orm_reads_and_back(as_user, app):
    pid = start(as_user)
    with app.app_context():
        row_id = INSERT.first(_row(pid, step="prepared", data={"金额": "12.50", "n": [1, 2]}))[0]
        db.session.commit()
        orm = db.session.get(Task, row_id)
        assert (orm.created_at, orm.due_date, orm.data, orm.name) == (
            dt.datetime(2026, 11, 23, 1, 2, 3), dt.date(2026, 12, 7),
            {"金额": "12.50", "n": [1, 2]}, "名称")
        orm.completed_late, orm.due_at = True, dt.datetime(2026, 12, 7, 15, 59, 59)
        db.session.commit()
        names = [column.name for column in READ.statement.selected_columns]
        read = dict(zip(names, READ.first({"row_id": row_id})))
        assert read["completed_late"] is True
        assert read["due_at"] == dt.datetime(2026, 12, 7, 15, 59, 59)
        assert read["data"] == {"金额": "12.50", "n": [1, 2]}
        assert read == {name: getattr(orm, name) for name in names}


def test_prepared_runs_in_the_sessions_transaction_and_is_seen_by_listeners(as_user, app):
    pid = start(as_user)
    with app.app_context():
        seen = []

        def listen(conn, cursor, statement, *args):
            if not statement.startswith("BEGIN"):  # SQLite's transaction begins by statement
                seen.append(statement)
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            row_id = INSERT.first(_row(pid, step="rolled-back"))[0]
            assert CLOSE.first({"row_id": row_id, "status": "completed"}) == ("completed",)
            assert CLOSE.first({"row_id": row_id, "status": "completed"}) is None  # no match
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        assert len(seen) == 3 and seen[0].startswith("INSERT INTO tasks")
        db.session.rollback()  # the prepared statements' changes go with the transaction
        assert db.session.get(Task, row_id) is None


def test_a_missing_value_is_refused_before_anything_runs(app):
    with app.app_context():
        with pytest.raises(ValueError, match="row_id"):
            READ.rows({})


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(as_user, app):
    pid = start(as_user)
    with app.app_context():
        INSERT.first(_row(pid, step="twice"))
        with pytest.raises(IntegrityError):  # spiff_id is unique
            INSERT.first(_row(pid, step="twice"))
        db.session.rollback()
