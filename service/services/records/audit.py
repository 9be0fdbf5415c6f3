"""Writing audit events (in the caller's transaction)."""
from ...extensions import db
from ..runtime import runtime
from .chain import buffer


def event(action, actor=None, project=None, task=None, **detail):
    """The row of one audit event, for `write`."""
    return {"action": action, "actor_id": actor.id if actor else None,
            "project_id": project.id if project else None, "task_id": task.id if task else None,
            "at": runtime().clock.now_naive(), "detail": detail}


def write(events):
    """Append audit events to the hash chain in the session's transaction: they are inserted,
    chained, just before it commits (chain.py), and vanish with it if it rolls back."""
    if events:
        buffer(db.session, events)


def record(action, actor=None, project=None, task=None, **detail):
    """Append one audit event; it commits with the change it describes."""
    write([event(action, actor, project, task, **detail)])
