"""Signing in under the security policy: per-address slow-down, per-account lockout, the same
work (and time) for unknown and known usernames, second factor, password age. Every refusal
and every lock is an audit event."""
import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ...extensions import db
from ...models import AuditEvent, User
from ...models.security import AccountSecurity, SigninThrottle
from ..errors import Invalid, ServiceError, Unauthorized
from ..records.audit import record
from ..runtime import runtime
from .passwords import tr
from .policy import policy_value
from .totp import totp_required_for, verify_code

ADDRESS_WINDOW = dt.timedelta(minutes=15)


class AccountLocked(ServiceError):
    status = 423


class TooManyAttempts(ServiceError):
    """Too many failures from this address: wait `retry_after` seconds."""
    status = 429

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


class SecondFactorNeeded(Unauthorized):
    """Right password; the account's authenticator code is still needed."""


@dataclass
class SignIn:
    user: User
    previous_at: dt.datetime | None
    previous_from: str | None
    failures_since: int
    must_change_password: bool
    must_enrol_totp: bool


@lru_cache(maxsize=4)
def _dummy_hash(method):
    # Unknown usernames are checked against this, so they cost the same hash work.
    return generate_password_hash("no account has this password", method=method)


def _setting(name):
    # The security administrator's value where set, else the installation's (policy.py).
    return policy_value(name)


def security_of(user):
    """The account's security row (made on first need)."""
    row = db.session.get(AccountSecurity, user.id)
    if row is None:
        row = AccountSecurity(user_id=user.id, failed_count=0, must_change_password=False,
                              totp_enabled=False)
        db.session.add(row)
        db.session.flush()
    return row


def _check_address(address, now):
    row = db.session.get(SigninThrottle, address)
    if row is not None and row.blocked_until is not None and row.blocked_until > now:
        wait = int((row.blocked_until - now).total_seconds()) + 1
        raise TooManyAttempts(tr("Too many failed sign-ins from this address; try again in "
                                 "%(n)d seconds.", n=wait), wait)


def _address_failed(address, now, via):
    row = db.session.get(SigninThrottle, address)
    if row is None:
        row = SigninThrottle(address=address, failures=0, last_failure_at=now)
        db.session.add(row)
    if now - row.last_failure_at > ADDRESS_WINDOW:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    free = _setting("SIGNIN_ADDRESS_FREE_FAILURES")
    if row.failures > free:
        # Each failure past the free ones doubles the wait, up to the maximum.
        wait = min(2 ** (row.failures - free), _setting("SIGNIN_ADDRESS_MAX_DELAY_SECONDS"))
        row.blocked_until = now + dt.timedelta(seconds=wait)
        record("sign_in_slowed", address=address, failures=row.failures, seconds=wait, via=via)


def _unknown_name(username):
    """The throttle row that counts failures for a username no account has. Keyed by a digest
    (the address column holds 64 characters; a username may be any text typed)."""
    key = "user:" + hashlib.sha256((username or "").encode("utf-8")).hexdigest()[:40]
    return db.session.get(SigninThrottle, key) or SigninThrottle(
        address=key, failures=0, last_failure_at=runtime().clock.now_naive())


def _lock_of(user, username):
    """(row, counter name, lock name) of what counts failures for this username: the
    account's security row, or for a username no account has, a throttle row of its own.
    Unknown usernames count and lock as accounts do, so a lock does not tell which exist."""
    if user is not None:
        return security_of(user), "failed_count", "locked_until"
    return _unknown_name(username), "failures", "blocked_until"


def _refuse(user, username, address, now, via, reason):
    """Count a failed try against the address and the account (or the unknown username),
    audit it, commit, refuse."""
    _address_failed(address, now, via)
    locked = None
    row, count, lock = _lock_of(user, username)
    setattr(row, count, getattr(row, count) + 1)
    if getattr(row, count) >= _setting("SIGNIN_MAX_FAILURES"):
        locked = now + dt.timedelta(minutes=_setting("SIGNIN_LOCK_MINUTES"))
        setattr(row, lock, locked)
    if user is None:
        row.last_failure_at = now
        db.session.add(row)
    record("sign_in_failed", user, username=(username or "")[:80], address=address, via=via,
           reason=reason)
    if locked is not None:
        record("account_locked", user, username=(username or "")[:80],
               until=locked.isoformat(), address=address, **({} if user else {"known": False}))
    db.session.commit()
    raise Unauthorized(tr("Wrong username or password."))


def _check_lock(user, username, address, now, via, reason):
    """Refuse (423) while the account, or the unknown username, is locked; a lock that ran
    out is lifted with its count."""
    row, count, lock = _lock_of(user, username)
    until = getattr(row, lock)
    if until is None:
        return
    if until <= now:
        setattr(row, lock, None)
        setattr(row, count, 0)  # the lock ran out
        return
    _address_failed(address, now, via)
    record("sign_in_failed", user, username=(username or "")[:80], address=address, via=via,
           reason=reason)
    db.session.commit()
    raise AccountLocked(tr("This account is locked after repeated failed sign-ins "
                           "until %(until)s; a security administrator can unlock it.",
                           until=_local(until)))


def _password_expired(user, sec, now):
    days = _setting("PASSWORD_MAX_AGE_DAYS")
    changed = sec.password_changed_at or user.created_at
    return bool(days) and changed is not None and now - changed > dt.timedelta(days=days)


def failures_since(user, moment):
    """Failed sign-ins on the account since `moment` (all, when None)."""
    query = select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "sign_in_failed", AuditEvent.actor_id == user.id)
    if moment is not None:
        query = query.where(AuditEvent.at > moment)
    return db.session.scalar(query)


def sign_in(username, password, address, code=None, via="page"):
    """Check credentials under the policy; a SignIn, or the refusal (401, 423, 429)."""
    now = runtime().clock.now_naive()
    address = (address or "unknown")[:64]
    _check_address(address, now)
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    # The hash is checked whether or not the account exists, is disabled or locked: the time
    # of the answer must not tell which.
    right = check_password_hash(user.password_hash if user else _dummy_hash(method),
                                password or "")
    # Unknown usernames and disabled accounts are refused as a wrong password is, and lock
    # after as many tries for as long: the answers do not tell which usernames exist.
    if user is None:
        _check_lock(None, username, address, now, via, "unknown")
        _refuse(None, username, address, now, via, "unknown")
    _check_lock(user, username, address, now, via, "locked" if user.active else "disabled")
    if not user.active:
        _refuse(user, username, address, now, via, "disabled")
    sec = security_of(user)
    if not right:
        _refuse(user, username, address, now, via, "password")
    if sec.totp_enabled:
        if not code:
            db.session.rollback()
            raise SecondFactorNeeded(tr("Enter the 6-digit code from your authenticator app."),
                                     errors={"code": [tr("required for this account")]})
        step = verify_code(sec.totp_secret, code, sec.totp_last_step)
        if step is None:
            _refuse(user, username, address, now, via, "password")
        sec.totp_last_step = step
    result = SignIn(user, sec.last_login_at, sec.last_login_from,
                    failures_since(user, sec.last_login_at),
                    sec.must_change_password or _password_expired(user, sec, now),
                    totp_required_for(user) and not sec.totp_enabled)
    sec.failed_count, sec.last_login_at, sec.last_login_from = 0, now, address
    record("sign_in", user, username=user.username, address=address, via=via)
    db.session.commit()
    return result


def _local(moment):
    from ...clock import SHANGHAI
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def change_own_password(username, password, new_password, address, code=None):
    """An official replaces their own password (due at first sign-in, after a reset or on
    expiry) with their current credentials; returns the SignIn after the change."""
    from .accounts import set_password
    from .passwords import password_problems
    problems = password_problems(new_password, username)
    if problems:  # before signing in: a refused new password changes nothing
        raise Invalid(tr("the password was not changed"), errors={"new_password": problems})
    result = sign_in(username, password, address, code, via="api")
    set_password(result.user.username, new_password, actor=result.user)
    db.session.commit()
    result.must_change_password = False
    return result
