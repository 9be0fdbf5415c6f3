"""BPMN timer events: advance only the projects whose earliest timer is due (indexed column)."""
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ...engine import EngineError
from ...extensions import db
from ...models import Project
from ..records.audit import record
from ..approval.instances import keep, load_instance, save_instance
from ..runtime import runtime

BATCH = 50


def refresh_due_timers(now=None, batch=BATCH):
    """Fire due timers of due projects, one transaction per project; returns projects advanced."""
    now = now or runtime().clock.now_naive()
    advanced, failed = 0, set()
    while True:
        query = select(Project.id).where(Project.next_timer_at <= now,
                                         Project.status == "in_progress")
        if failed:
            query = query.where(Project.id.not_in(failed))
        ids = db.session.scalars(query.order_by(Project.next_timer_at).limit(batch)
                                 .with_for_update(skip_locked=True)).all()
        db.session.rollback()
        if not ids:
            return advanced
        for project_id in ids:
            try:
                advanced += _advance(project_id, now)
            except (EngineError, OperationalError) as exc:
                db.session.rollback()
                failed.add(project_id)
                _record_failure(project_id, exc)


def _advance(project_id, now):
    project = db.session.get(Project, project_id,
                             with_for_update={"skip_locked": True, "of": Project},
                             populate_existing=True)
    if project is None or project.next_timer_at is None or project.next_timer_at > now:
        db.session.rollback()
        return 0
    instance = load_instance(project)
    instance.advance(now)
    created, cancelled = save_instance(project, instance)
    record("timer", None, project, None, opened=[t.step for t in created],
           cancelled=[t.step for t in cancelled])
    for row in cancelled:
        record("cancel", None, project, row, step=row.step)
    db.session.commit()
    keep(project, instance)
    return 1


def _record_failure(project_id, exc):
    project = db.session.get(Project, project_id)
    record("timer_failed", None, project, None, error=str(exc)[:500])
    db.session.commit()
