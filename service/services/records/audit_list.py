"""The audit administrator's list of audit rows: newest first by chain position (seq), filtered
by action, official and project, paged by key (services/paging.py)."""
from sqlalchemy import select

from ...extensions import db
from ...models import AuditEvent, User
from ...roles import AUDIT_ADMIN_ROLES
from ..paging import Page, page_of
from ..people.security_admin import require


def list_events(user, action=None, actor=None, project_id=None, before_seq=None, page=1,
                per_page=100, cursor=None):
    """A `paging.Page` of audit rows the audit administrator asked for, newest first."""
    require(user, AUDIT_ADMIN_ROLES, "read the audit trail")
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        # The official's id first, so the list reads the (actor, seq) index, not a join.
        actor_id = db.session.scalar(select(User.id).where(User.username == actor))
        if actor_id is None:
            return Page([], 0)
        query = query.where(AuditEvent.actor_id == actor_id)
    if project_id:
        query = query.where(AuditEvent.project_id == project_id)
    if before_seq:
        query = query.where(AuditEvent.seq < before_seq)
    return page_of(query, (AuditEvent.seq.desc(),), page, per_page, cursor)
