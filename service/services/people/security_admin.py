"""The security administrator's work (lockouts, second factors) and each official's own
second-factor enrolment; every change audited, each in the caller's transaction."""
from sqlalchemy import select

from ...extensions import db
from ...models import User
from ...models.security import AccountSecurity
from ...roles import AUDIT_ADMIN_ROLES, SECURITY_ADMIN_ROLES
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..records.audit import record
from ..runtime import runtime
from .passwords import tr
from .signin import security_of
from .totp import new_secret, provisioning_uri, qr_png, verify_code


def require(actor, roles, what):
    """Forbidden unless `actor` (None: the command line) holds one of `roles`."""
    if actor is not None and actor.role not in roles:
        raise Forbidden(tr("only %(who)s may %(what)s", who=" / ".join(roles), what=what))


def _user(username):
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(tr("no official named %(name)s", name=username))
    return user


def accounts_overview(actor):
    """Every official with lock state, failures and second factor, for the security page."""
    require(actor, SECURITY_ADMIN_ROLES, "see account security")
    now = runtime().clock.now_naive()
    rows = db.session.execute(select(User, AccountSecurity).outerjoin(
        AccountSecurity, AccountSecurity.user_id == User.id).order_by(User.username)).all()
    return [{"username": u.username, "role": u.role, "active": u.active,
             "locked": bool(s and s.locked_until and s.locked_until > now),
             "locked_until": s.locked_until if s else None,
             "failed_count": s.failed_count if s else 0,
             "totp": bool(s and s.totp_enabled),
             "last_login_at": s.last_login_at if s else None} for u, s in rows]


def unlock(username, actor=None):
    """Lift an account's sign-in lock (security administrator); audited."""
    require(actor, SECURITY_ADMIN_ROLES, "unlock accounts")
    user = _user(username)
    sec = security_of(user)
    now = runtime().clock.now_naive()
    if not (sec.locked_until and sec.locked_until > now) and not sec.failed_count:
        raise Conflict(tr("%(name)s is not locked", name=username))
    sec.locked_until, sec.failed_count = None, 0
    record("account_unlock", actor, username=username)
    return user


def reset_totp(username, actor=None):
    """Remove an official's authenticator (lost phone) so they enrol again at the next
    sign-in; by another administrator only, audited."""
    require(actor, SECURITY_ADMIN_ROLES, "reset second factors")
    user = _user(username)
    if actor is not None and actor.id == user.id:
        raise Forbidden(tr("another security administrator must reset your own second factor"))
    sec = security_of(user)
    if not sec.totp_enabled:
        raise Conflict(tr("%(name)s has no authenticator enrolled", name=username))
    sec.totp_secret, sec.totp_enabled, sec.totp_last_step = None, False, None
    record("totp_reset", actor, username=username)
    return user


def enrol_totp(user, secret, code):
    """Confirm an official's own authenticator with a first code from it; audited."""
    sec = security_of(user)
    step = verify_code(secret, code)
    if step is None:
        raise Invalid(tr("the authenticator was not enrolled"),
                      errors={"code": [tr("the code does not match; check the phone's time")]})
    sec.totp_secret, sec.totp_enabled, sec.totp_last_step = secret, True, step
    record("totp_enrol", user, username=user.username)
    return user


def _not_enrolled(user):
    # Over the API, only a first authenticator: a bearer token alone (kept by scripts, long
    # lived) must not be enough to replace the one an official signs in with.
    if security_of(user).totp_enabled:
        raise Conflict(tr("an authenticator is already enrolled; a security administrator "
                          "resets it before another is enrolled"))


def begin_totp(user):
    """A new secret for the official's own authenticator with its otpauth:// link and QR code;
    nothing is kept: the secret comes back with the first code (`confirm_totp`)."""
    _not_enrolled(user)
    secret = new_secret()
    return {"secret": secret, "otpauth_uri": provisioning_uri(secret, user.username),
            "qr_png": qr_png(secret, user.username)}


def confirm_totp(user, secret, code):
    """Enrol the authenticator of `secret` with a first code from it (409 when one is
    enrolled, 422 on a wrong code); audited `totp_enrol`."""
    _not_enrolled(user)
    return enrol_totp(user, secret, code)


AUDIT_READERS = AUDIT_ADMIN_ROLES
