"""Work arriving: a new or returned task notifies its office (inbox notice, e-mail when SMTP is
set). Connected to `tasks_inserted`, so the notice can link to the task row."""
from flask import current_app
from sqlalchemy import bindparam, case, exists, insert, literal, or_, select

from ...extensions import db
from ...models import Notification, OutboxEmail, Task, User
from .. import signals
from ..runtime import runtime
from .notices import render, split_name

WORK_KINDS = ("task_new", "task_returned")


def _notice_insert(with_department):
    """INSERT … SELECT of one notice per official of a task's office, the texts of a new and of
    a returned step as parameters: whether the step was returned (the project completed it
    before: 退回, or an objection sent it back) is decided inside the statement, so a
    completion costs one statement more, not two."""
    # The same parameter is used in the SELECT list and here: one value, one name.
    returned = exists().where(Task.project_id == bindparam("project_id"),
                              Task.step == bindparam("step"), Task.status == "completed")
    office = [User.active.is_(True), User.role == bindparam("role"),
              or_(User.district.is_(None), User.district == bindparam("district"))]
    if with_department:
        office.append(User.department == bindparam("department"))

    def pick(name):
        kind = Notification.__table__.c[name].type
        return case((returned, bindparam(f"back_{name}", type_=kind)),
                    else_=bindparam(f"new_{name}", type_=kind))
    columns = {"user_id": User.id,
               "kind": case((returned, literal("task_returned")), else_=literal("task_new")),
               **{name: pick(name) for name in TEXTS},
               # Typed: PostgreSQL cannot infer a parameter's type from a SELECT list.
               **{name: bindparam(name, type_=Notification.__table__.c[name].type)
                  for name in ("project_id", "task_id", "created_at")}}
    # Core (the table): the ORM would read a parameter dict as rows to bulk-insert.
    return insert(Notification.__table__).from_select(list(columns),
                                                      select(*columns.values()).where(*office))


TEXTS = ("subject_zh", "subject_en", "body_zh", "body_en")
# Built once per shape: making the statement anew cost more than running it
# (bench/profile_completion.py).
_INSERTS = {False: _notice_insert(False), True: _notice_insert(True)}


def _texts(project, task, kind):
    due = task.due_date.isoformat() if task.due_date else "—"
    subject_zh, subject_en, body_zh, body_en = render(
        kind, {"project": project.name, "step": split_name(task.name), "due_date": due})
    return dict(zip(TEXTS, (subject_zh[:300], subject_en[:300], body_zh, body_en)))


def notify_work(project, tasks):
    """One notice per official of each task's office, in one INSERT … SELECT per task."""
    now = runtime().clock.now_naive()
    for task in tasks:
        new, back = _texts(project, task, "task_new"), _texts(project, task, "task_returned")
        params = {"project_id": project.id, "step": task.step, "role": task.role,
                  "district": task.district, "department": task.department,
                  "task_id": task.id, "created_at": now,
                  **{f"new_{k}": v for k, v in new.items()},
                  **{f"back_{k}": v for k, v in back.items()}}
        db.session.execute(_INSERTS[task.department is not None], params)
        if current_app.config.get("SMTP_HOST"):
            _queue_mail(task, now)


def _queue_mail(task, now):
    rows = db.session.execute(select(Notification, User.email).join(
        User, User.id == Notification.user_id).where(
        Notification.task_id == task.id, Notification.kind.in_(WORK_KINDS),
        Notification.created_at == now, User.email.is_not(None), User.email != "")).all()
    db.session.add_all(
        OutboxEmail(notification_id=note.id, to_addr=email,
                    subject=f"{note.subject_zh} / {note.subject_en}",
                    body=f"{note.body_zh}\n\n{note.body_en}\n",
                    status="pending", attempts=0, next_attempt_at=now, created_at=now)
        for note, email in rows)


@signals.tasks_inserted.connect
def _on_inserted(project, tasks, actor=None, **extra):
    notify_work(project, tasks)
