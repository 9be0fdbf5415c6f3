"""Officials: creation, sign-in and API tokens."""
import re
import time
from collections import OrderedDict

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from ...extensions import db
from ...models import Department, District, User
from ...roles import ROLES
from ...textcheck import bad_text

# One address, as reminders send it: no spaces, line breaks or second @ (header injection).
EMAIL = re.compile(r"[^@\s<>,;]{1,64}@[^@\s<>,;]{1,190}\.[^@\s<>,;.]{2,63}")
from ..records.audit import record
from ..errors import Forbidden, Invalid, Unauthorized
from .passwords import password_problems, password_set, tr


def _signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def check_user_fields(role, district, department):
    """Per-field problems with a role/district/department combination."""
    errors = {}
    if role not in ROLES:
        errors["role"] = [f"unknown role; one of {', '.join(ROLES)}"]
    elif ROLES[role]["district"] and not district:
        errors["district"] = [f"role {role} needs a district"]
    if district and db.session.get(District, district) is None:
        errors["district"] = [f"unknown district {district!r}"]
    if role == "joint_review" and not department:
        errors["department"] = ["a joint-review official needs a department"]
    if department and db.session.get(Department, department) is None:
        errors["department"] = [f"unknown department {department!r}"]
    return errors


def create_user(username, password, role, district=None, department=None, display_name="",
                email=None, actor=None, demo=False):
    """Add an official; Invalid with per-field messages when the combination is wrong. The
    password must meet the policy and is changed at the first sign-in (`demo`: the seeded demo
    accounts, which keep the published demo password)."""
    errors = check_user_fields(role, district, department)
    for name, value in (("username", username), ("display_name", display_name),
                        ("email", email), ("password", password)):
        if bad_text(value):
            errors[name] = ["contains control characters or undecodable bytes"]
    if "email" not in errors and email and not EMAIL.fullmatch(email):
        errors["email"] = ["not an e-mail address (name@host, no spaces or line breaks)"]
    taken = "username" not in errors and username and db.session.scalar(
        select(User.id).where(User.username == username))
    if not username or taken:
        errors["username"] = ["username is empty or taken"]
    if "password" not in errors and not demo and password_problems(password, username):
        errors["password"] = password_problems(password, username)
    if errors:
        raise Invalid("the user cannot be created", errors=errors)
    user = User(username=username, role=role, district=district or None,
                department=department or None, display_name=display_name or username,
                email=email)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    password_set(user, forced=not demo)
    record("user_add", actor, username=username, role=role, district=district,
           department=department)
    return user


def authenticate(username, password):
    """The active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not user.check_password(password or ""):
        return None
    return user


def issue_token(username, password, address=None, code=None):
    """A bearer token and the sign-in facts for valid credentials under the sign-in policy;
    refused (403) while the password must be changed or a second factor enrolled."""
    from .signin import sign_in
    result = sign_in(username, password, address, code, via="api")
    if result.must_change_password or result.must_enrol_totp:
        raise Forbidden(tr("Sign in on the sign-in page first: the password must be changed "
                           "or an authenticator enrolled."))
    return {"token": _signer().dumps({"uid": result.user.id, "v": result.user.token_version}),
            "last_sign_in_at": result.previous_at, "failed_attempts": result.failures_since}


def token_after_password_change(username, password, new_password, address=None, code=None):
    """Change one's own password with the current credentials, then a token as `issue_token`."""
    from .signin import change_own_password
    result = change_own_password(username, password, new_password, address, code)
    if result.must_enrol_totp:
        raise Forbidden(tr("Sign in on the sign-in page first: an authenticator must be "
                           "enrolled."))
    return {"token": _signer().dumps({"uid": result.user.id, "v": result.user.token_version}),
            "last_sign_in_at": result.previous_at, "failed_attempts": result.failures_since}


def user_from_token(token):
    """The user a bearer token belongs to, or None when it is wrong or expired."""
    payload = _token_payload(token)
    if payload is None:
        return None
    uid = payload.get("uid")
    if not isinstance(uid, int):
        return None
    # Read from the database on every call (populate_existing), so a deactivated user or a
    # revoked token (token_version) is refused at once.
    user = db.session.scalar(select(User).where(User.id == uid)
                             .execution_options(populate_existing=True))
    if user is None or not user.active or user.token_version != payload.get("v"):
        return None
    return user
# Checked signatures (token -> payload, signing time), so a client's repeated calls skip the
# HMAC and decoding; the age is still checked on every call.
_CHECKED = OrderedDict()
_CHECKED_SIZE = 4096


def _token_payload(token):
    key = (current_app.config["SECRET_KEY"], token)
    max_age = current_app.config["TOKEN_MAX_AGE"]
    found = _CHECKED.get(key)
    if found is None:
        try:
            found = _signer().loads(token, max_age=max_age, return_timestamp=True)
        except (BadSignature, SignatureExpired):
            return None
        _CHECKED[key] = found
        if len(_CHECKED) > _CHECKED_SIZE:
            _CHECKED.popitem(last=False)
    payload, signed_at = found
    if time.time() - signed_at.timestamp() > max_age:
        _CHECKED.pop(key, None)
        return None
    return payload if isinstance(payload, dict) else None
