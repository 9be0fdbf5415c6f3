"""An official's account over time: disable when they leave, enable again, set a password.

Each change is one transaction with its audit rows; the CLI (`flask users …`) calls these.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import User
from ...textcheck import bad_text
from ..approval.tasks import lock_claimed_rows
from ..records.audit import record
from ..errors import Conflict, Invalid, NotFound
from .passwords import password_problems, password_set, tr


def _user(username):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no official named {username!r}")
    return user


def disable_user(username, reason, actor=None):
    """Stop an official signing in (their API tokens stop at once); the open tasks they had
    claimed go back to their office's queue, each release audited. Returns the released rows."""
    if not (reason or "").strip() or bad_text(reason):
        raise Invalid("a reason is required", errors={"reason": ["say why (e.g. 调离)"]})
    user = _user(username)
    if not user.active:
        raise Conflict(f"{username} is already disabled")
    user.active = False
    user.token_version += 1  # every bearer token issued so far carries the old version
    # Locked, so a completion by the official in flight either commits first or finds the
    # claim gone (its conditional UPDATE then matches nothing: 409).
    claimed = lock_claimed_rows(user.id)
    for task in claimed:
        task.claimed_by_id, task.claimed_at = None, None
        record("release", actor, task.project, task, step=task.step, official=username,
               reason=reason.strip())
    record("user_disable", actor, username=username, reason=reason.strip(),
           released=[t.id for t in claimed])
    return claimed


def enable_user(username, actor=None):
    """Let a disabled official sign in again (with a new token; old ones stay refused)."""
    user = _user(username)
    if user.active:
        raise Conflict(f"{username} is already active")
    user.active = True
    record("user_enable", actor, username=username)
    return user


def set_password(username, password, actor=None):
    """Give an official a new password under the policy; their API tokens issued before stop
    working. Set by anyone but the official (an administrator, the CLI), it must be changed at
    their next sign-in."""
    user = _user(username)
    problems = password_problems(password, username) if not bad_text(password) else \
        ["no control characters"]
    if problems:
        raise Invalid(tr("the password was not changed"), errors={"password": problems})
    user.set_password(password)
    user.token_version += 1
    password_set(user, forced=actor is None or actor.id != user.id)
    record("password_set", actor, username=username)
    return user
