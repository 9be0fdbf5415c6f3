"""Sign-in history: each successful sign-in is an audit event, read back on the account page."""
from sqlalchemy import select

from ...extensions import db
from ...models import AuditEvent
from ..records.audit import record

ACTION = "sign_in"


def record_sign_in(user, address=None, via="page"):
    """Append and commit a sign-in event for `user` (from `address`, by page or API)."""
    record(ACTION, user, username=user.username, address=address or "", via=via)
    db.session.commit()


def recent_sign_ins(user, limit=20):
    """The latest sign-ins of `user`, newest first: [{at, address, via}]."""
    rows = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == ACTION, AuditEvent.actor_id == user.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all()
    return [{"at": row.at, "address": (row.detail or {}).get("address", ""),
             "via": (row.detail or {}).get("via", "")} for row in rows]
