"""The in-app inbox: a user's notices, unread count, marking read."""
from sqlalchemy import func, select, update

from ...extensions import db
from ...models import Notification
from ..errors import NotFound
from ..runtime import runtime
from ..paging import page_of


def list_inbox(user, unread=False, page=1, per_page=50, cursor=None):
    """A page of the user's notices, newest first (`paging.Page`)."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return page_of(query, (Notification.id.desc(),), page, per_page, cursor)


def unread_count(user):
    """How many notices the user has not read (shown in every page's header)."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user, notification_id):
    """Mark one of the user's notices read. Commits."""
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user.id:
        raise NotFound("notice not found")
    if row.read_at is None:
        row.read_at = runtime().clock.now_naive()
    db.session.commit()
    return row


def mark_all_read(user):
    """Mark every unread notice of the user read; returns how many. Commits."""
    done = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=runtime().clock.now_naive())).rowcount
    db.session.commit()
    return done
