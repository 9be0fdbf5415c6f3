"""Desk sign-in sessions on the server: begun at sign-in, checked on every page, ended at
sign-out. Every check of a browser session is `session_user`, so a further rule (an idle
timeout, say) is added there once."""
import datetime as dt
import secrets

from sqlalchemy import delete, or_, update

from ...extensions import db
from ...models import BrowserSession, User
from ..runtime import runtime
from .policy import policy_value


def _now():
    return runtime().clock.now_naive()


def _lifetime():
    # The security administrator's session lifetime, else SESSION_LIFETIME_HOURS.
    return dt.timedelta(hours=policy_value("session_lifetime_hours"))


def begin(user):
    """Start a session for an official who has just signed in; returns its id (commits)."""
    now = _now()
    # The official's ended and expired sessions are of no further use.
    db.session.execute(delete(BrowserSession).where(
        BrowserSession.user_id == user.id,
        or_(BrowserSession.ended_at.is_not(None),
            BrowserSession.created_at < now - _lifetime())))
    sid = secrets.token_urlsafe(32)
    db.session.add(BrowserSession(id=sid, user_id=user.id, token_version=user.token_version,
                                  created_at=now, last_seen_at=now))
    db.session.commit()
    return sid


def session_user(user_id, sid):
    """The official a browser session belongs to, or None when it has ended: signed out,
    password changed or reset, account disabled, or older than SESSION_LIFETIME_HOURS."""
    if not sid:
        return None
    row = db.session.get(BrowserSession, sid)
    if row is None or row.ended_at is not None or str(row.user_id) != str(user_id):
        return None
    if _now() - row.created_at > _lifetime():
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active or user.token_version != row.token_version:
        return None
    return user


def end(sid):
    """End one session (sign-out): its cookie, replayed, opens nothing (commits)."""
    if sid:
        db.session.execute(update(BrowserSession).where(
            BrowserSession.id == sid, BrowserSession.ended_at.is_(None)).values(
            ended_at=_now()))
        db.session.commit()
