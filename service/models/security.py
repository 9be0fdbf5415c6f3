"""Sign-in security state: per-account lockout, password age, second factor; per-address
throttle. Kept beside `users` (one row per account, made on first need)."""
import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class AccountSecurity(db.Model):
    __tablename__ = "account_security"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    # Wrong passwords since the last sign-in; the account locks at SIGNIN_MAX_FAILURES.
    failed_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    password_changed_at: Mapped[dt.datetime | None]
    # Set when an administrator created the account or reset its password.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    last_login_at: Mapped[dt.datetime | None]
    last_login_from: Mapped[str | None] = mapped_column(String(64))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    # The last 30-second step a code was accepted for: a code is good once.
    totp_last_step: Mapped[int | None]


class SigninThrottle(db.Model):
    """Failed sign-ins from one client address; past a few, each try waits longer."""
    __tablename__ = "signin_throttle"
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[dt.datetime]
    blocked_until: Mapped[dt.datetime | None]


class SecuritySetting(db.Model):
    """A password or session policy value the security administrator set; a policy without a
    row takes the installation's default from the environment (services/people/policy.py)."""
    __tablename__ = "security_settings"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    # Every policy is a whole number (a yes/no one is 0 or 1).
    value: Mapped[int]
    changed_at: Mapped[dt.datetime]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
