"""Sending notices: one inbox row per recipient, plus an outbox e-mail when SMTP is configured."""
from flask import current_app
from sqlalchemy import or_, select

from ...extensions import db
from ...models import District, Notification, OutboxEmail, User
from .notices import render
from ..runtime import runtime


class Recipients:
    """Who receives what, with lookups cached for one sweep."""

    def __init__(self):
        self._cache = {}

    def _users(self, key, query):
        if key not in self._cache:
            self._cache[key] = db.session.scalars(query().where(User.active.is_(True))
                                                  .order_by(User.id)).all()
        return self._cache[key]

    def office(self, role, district, department=None, claimed_by_id=None):
        """The official who claimed the work, else everyone in its role queue."""
        if claimed_by_id is not None:
            user = db.session.get(User, claimed_by_id)
            return [user] if user is not None and user.active else []
        def query():
            found = select(User).where(User.role == role,
                                       or_(User.district.is_(None), User.district == district))
            if department is not None:
                found = found.where(User.department == department)
            return found
        return self._users(("office", role, district, department), query)

    def supervisors(self, district):
        """The district's supervisors and the city supervision office."""
        return self._users(("supervisors", district), lambda: select(User).where(
            User.role == "supervisor", or_(User.district.is_(None), User.district == district)))

    def leading_group(self):
        return self._users(("leading_group",),
                           lambda: select(User).where(User.role == "leading_group"))

    def district_name(self, code):
        key = ("district", code)
        if key not in self._cache:
            row = db.session.get(District, code)
            self._cache[key] = (row.name_zh, row.name_en) if row else (code, code)
        return self._cache[key]


def notify(users, kind, params, project=None, task=None, escalation=None):
    """Write the notice to each distinct user's inbox and queue e-mails; returns the rows."""
    subject_zh, subject_en, body_zh, body_en = render(kind, params)
    now = runtime().clock.now_naive()
    mail = bool(current_app.config.get("SMTP_HOST"))
    rows, seen = [], set()
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        rows.append(Notification(
            user_id=user.id, kind=kind, subject_zh=subject_zh, subject_en=subject_en,
            body_zh=body_zh, body_en=body_en, project_id=project.id if project else None,
            task_id=task.id if task else None,
            escalation_id=escalation.id if escalation else None, created_at=now))
    db.session.add_all(rows)
    if mail:
        db.session.flush()
        by_id = {u.id: u for u in users}
        db.session.add_all(
            OutboxEmail(notification_id=row.id, to_addr=by_id[row.user_id].email,
                        subject=f"{subject_zh} / {subject_en}",
                        body=f"{body_zh}\n\n{body_en}\n", status="pending", attempts=0,
                        next_attempt_at=now, created_at=now)
            for row in rows if by_id[row.user_id].email)
    return rows
