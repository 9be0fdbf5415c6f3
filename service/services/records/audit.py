"""Writing audit events (in the caller's transaction)."""
from sqlalchemy import insert

from ...extensions import db
from ...models import AuditEvent
from ..runtime import runtime


def event(action, actor=None, project=None, task=None, **detail):
    """The row of one audit event, for `write`."""
    return {"action": action, "actor_id": actor.id if actor else None,
            "project_id": project.id if project else None, "task_id": task.id if task else None,
            "at": runtime().clock.now_naive(), "detail": detail}


def write(events):
    """Append audit events in one Core INSERT in the session's transaction (no ORM objects:
    events are append-only and nothing holds them); they commit with the change."""
    if events:
        db.session.execute(insert(AuditEvent.__table__), events)


def record(action, actor=None, project=None, task=None, **detail):
    """Append one audit event; it commits with the change it describes."""
    write([event(action, actor, project, task, **detail)])
