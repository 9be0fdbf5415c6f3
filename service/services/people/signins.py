"""Sign-in history: each successful sign-in is a `sign_in` audit event (written by
people.signin), read back on the account page."""
from sqlalchemy import select

from ...extensions import db
from ...models import AuditEvent

ACTION = "sign_in"


def recent_sign_ins(user, limit=20):
    """The latest sign-ins of `user`, newest first: [{at, address, via}]."""
    rows = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == ACTION, AuditEvent.actor_id == user.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all()
    return [{"at": row.at, "address": (row.detail or {}).get("address", ""),
             "via": (row.detail or {}).get("via", "")} for row in rows]
