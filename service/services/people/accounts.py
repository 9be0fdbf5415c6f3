"""An official's account over time: disable when they leave, enable again, set a password.

Each change is one transaction with its audit rows; the CLI (`flask users …`) calls these.
三员分立: an administrator's account is the security administrator's to reset, disable or
enable (never their own); officials' accounts stay the system administrator's.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import User
from ...roles import ADMINISTRATOR_ROLES, SECURITY_ADMIN_ROLES
from ...textcheck import bad_text
from ..approval.tasks import lock_claimed_rows
from ..organisation.access import ORGANISATION_ROLES
from ..records.audit import record
from ..errors import Conflict, Forbidden, Invalid, NotFound
from .passwords import password_problems, password_set, tr


def _user(username):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no official named {username!r}")
    return user


def check_manager(actor, user, password=False):
    """Forbidden unless `actor` may reset, disable, enable or change `user`'s account: an
    administrator's account by the security administrator (not their own), any other by the
    system administrator; the command line (actor None) always."""
    if actor is None:
        return
    administrator = user.role in ADMINISTRATOR_ROLES
    if administrator and actor.role in SECURITY_ADMIN_ROLES:
        if actor.id == user.id:  # else one account could undo its own lock-out or reset
            raise Forbidden(tr("another security administrator must reset, disable or enable "
                               "your own account"))
        return
    if not administrator and actor.role in ORGANISATION_ROLES:
        return
    if administrator and password and actor.id == user.id:
        raise Forbidden(tr("change your own password on your account page (/account/)"))
    if administrator:
        # A system administrator who could set another administrator's password could sign
        # in as them: the separation of duties would be void.
        raise Forbidden(tr("%(name)s holds an administrator's role: the security "
                           "administrator manages this account (password, disabling, "
                           "enabling), not the system administrator (三员分立)",
                           name=user.username))
    raise Forbidden(tr("%(name)s is not an administrator: the system administrator resets, "
                       "disables and enables officials' accounts", name=user.username))


def disable_user(username, reason, actor=None):
    """Stop an official signing in (their API tokens stop at once); the open tasks they had
    claimed go back to their office's queue, each release audited. Returns the released rows."""
    user = _user(username)
    check_manager(actor, user)
    if not (reason or "").strip() or bad_text(reason):
        raise Invalid("a reason is required", errors={"reason": ["say why (e.g. 调离)"]})
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
    check_manager(actor, user)
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


def reset_password(username, password, actor=None):
    """An administrator gives an official a new password (`set_password`), when `actor` may
    manage the account (`check_manager`); one's own goes through the account page."""
    check_manager(actor, _user(username), password=True)
    return set_password(username, password, actor)
