"""Desk sign-in sessions on the server: begun at sign-in, checked on every page, ended at
sign-out. Every check of a browser session is `session_user`, so each rule (sign-out, password
change, lifetime, idle timeout) is applied there once."""
import datetime as dt
import secrets

from sqlalchemy import delete, or_, update

from ...database import WRITE, transaction_mode
from ...extensions import db
from ...models import BrowserSession, User
from ..runtime import runtime
from .policy import policy_value

# A session's last_seen_at is written at most this often, not on every page: each write would
# make a page a writer (on SQLite, waiting for the database's write lock), and the idle rule
# needs no finer time. A session may so end up to this much before its idle minutes are up.
TOUCH_EVERY = dt.timedelta(minutes=1)


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


def idle_minutes():
    """Minutes without a page after which a desk session ends: the security administrator's,
    else SESSION_IDLE_MINUTES."""
    return policy_value("session_idle_minutes")


def _idle(row, now):
    return now - row.last_seen_at > dt.timedelta(minutes=idle_minutes())


def session_user(user_id, sid):
    """The official a browser session belongs to, or None when it has ended: signed out,
    password changed or reset, account disabled, older than SESSION_LIFETIME_HOURS, or unused
    for SESSION_IDLE_MINUTES by the server's record (not the cookie's: a copied cookie
    carries its own time). A session in use is marked seen, at most once a minute."""
    if not sid:
        return None
    at_start = not db.session().in_transaction()
    row = db.session.get(BrowserSession, sid)
    if row is None or row.ended_at is not None or str(row.user_id) != str(user_id):
        return None
    now = _now()
    if now - row.created_at > _lifetime() or _idle(row, now):
        return None
    uid, version = row.user_id, row.token_version
    if at_start and now - row.last_seen_at >= TOUCH_EVERY:
        _touch(sid, now)
    user = db.session.get(User, uid)
    if user is None or not user.active or user.token_version != version:
        return None
    return user


def _touch(sid, now):
    # A short write transaction of its own, committed at once, so the page's transaction stays
    # a read (on SQLite: one snapshot, no write lock while the page is made). Only when
    # session_user's own read began the transaction (at_start), so no one's work is ended here.
    db.session.rollback()
    with transaction_mode(WRITE):
        db.session.execute(update(BrowserSession).where(
            BrowserSession.id == sid, BrowserSession.last_seen_at < now).values(
            last_seen_at=now))
        db.session.commit()


def ended_idle(sid):
    """Whether the open browser session `sid` went unused for the idle minutes (the page then
    says why the official was signed out)."""
    row = db.session.get(BrowserSession, sid) if sid else None
    return row is not None and row.ended_at is None and _idle(row, _now())


def end(sid):
    """End one session (sign-out): its cookie, replayed, opens nothing (commits)."""
    if sid:
        db.session.execute(update(BrowserSession).where(
            BrowserSession.id == sid, BrowserSession.ended_at.is_(None)).values(
            ended_at=_now()))
        db.session.commit()
