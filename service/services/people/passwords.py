"""The password policy (等保 2.0 level 3), checked wherever a password is set."""
from functools import lru_cache
from pathlib import Path

from flask import has_request_context
from flask_babel import gettext

MIN_LENGTH = 10
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")


def tr(text, **params):
    """The text in the request's language (pages, API); plain English in commands."""
    return gettext(text, **params) if has_request_context() else text % params


@lru_cache(maxsize=1)
def common_passwords():
    """The shipped list of common passwords, lower-cased."""
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def _kinds(password):
    # Letters without case (Chinese characters) count with the lower-case letters.
    return sum((any(c.islower() or (c.isalpha() and not c.isupper()) for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password)))


def password_problems(password, username):
    """What is wrong with `password` for the account `username`, one message each."""
    from .policy import policy_value
    password, shortest = password or "", policy_value("password_min_length")
    problems = []
    if len(password) < shortest:
        problems.append(tr("at least %(n)d characters", n=shortest))
    if _kinds(password) < 3:
        problems.append(tr("at least three kinds of character: lower-case (or Chinese) "
                           "letters, upper-case letters, digits, other characters"))
    if username and username.strip().lower() in password.lower():
        problems.append(tr("must not contain the username"))
    if password.lower() in common_passwords():
        problems.append(tr("too common: it is on the list of passwords tried first"))
    return problems


def password_set(user, forced):
    """Note a new password on the account: its age starts now; `forced`: set by someone else,
    so the official must choose their own at the next sign-in."""
    from ..runtime import runtime
    from .signin import security_of
    sec = security_of(user)
    sec.password_changed_at = runtime().clock.now_naive()
    sec.must_change_password = forced
