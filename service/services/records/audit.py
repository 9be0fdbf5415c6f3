"""Writing audit events (in the caller's transaction)."""
from sqlalchemy import insert

from ...models import AuditEvent
from ..approval.prepared import Prepared
from ..runtime import runtime

_INSERT = Prepared(insert(AuditEvent.__table__))


def event(action, actor=None, project=None, task=None, **detail):
    """The row of one audit event, for `write`."""
    return {"action": action, "actor_id": actor.id if actor else None,
            "project_id": project.id if project else None, "task_id": task.id if task else None,
            "at": runtime().clock.now_naive(), "detail": detail}


def write(events):
    """Append audit events with one prepared INSERT in the session's transaction (no ORM
    objects: events are append-only and nothing holds them); they commit with the change."""
    if events:
        _INSERT.many(events)


def record(action, actor=None, project=None, task=None, **detail):
    """Append one audit event; it commits with the change it describes."""
    write([event(action, actor, project, task, **detail)])
