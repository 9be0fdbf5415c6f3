"""Work arriving: a new or returned task notifies its office (inbox notice, e-mail when SMTP is
set). Connected to `tasks_inserted`, so the notice can link to the task row."""
from flask import current_app
from sqlalchemy import and_, case, exists, insert, literal, or_, select

from ...extensions import db
from ...models import Notification, OutboxEmail, Task, User
from .. import signals
from ..runtime import runtime
from .notices import render, split_name

WORK_KINDS = ("task_new", "task_returned")


def _office(task):
    """Active officials who may act on the task: its role, district and department."""
    where = [User.active.is_(True), User.role == task.role,
             or_(User.district.is_(None), User.district == task.district)]
    if task.department is not None:
        where.append(User.department == task.department)
    return and_(*where)


def _texts(project, task, kind):
    due = task.due_date.isoformat() if task.due_date else "—"
    return render(kind, {"project": project.name, "step": split_name(task.name), "due_date": due})


def notify_work(project, tasks):
    """One notice per official of each task's office, in one INSERT … SELECT per task."""
    now = runtime().clock.now_naive()
    for task in tasks:
        # A step the project has completed before is back: it was returned (退回) or sent back
        # by an objection, and the office should read it as such. Decided inside the INSERT,
        # so a completion costs one statement more, not two.
        returned = exists().where(Task.project_id == project.id, Task.step == task.step,
                                  Task.status == "completed")
        new, back = _texts(project, task, "task_new"), _texts(project, task, "task_returned")

        def pick(index, limit=None):
            first, second = (new[index], back[index]) if limit is None else \
                (new[index][:limit], back[index][:limit])
            return case((returned, literal(second)), else_=literal(first))
        columns = {"user_id": User.id,
                   "kind": case((returned, literal("task_returned")), else_=literal("task_new")),
                   "subject_zh": pick(0, 300), "subject_en": pick(1, 300),
                   "body_zh": pick(2), "body_en": pick(3),
                   "project_id": literal(project.id), "task_id": literal(task.id),
                   "created_at": literal(now)}
        db.session.execute(insert(Notification).from_select(
            list(columns), select(*columns.values()).where(_office(task))))
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
