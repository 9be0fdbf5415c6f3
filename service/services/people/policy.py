"""The password and session policies in force: the security administrator's values where set,
else the installation's defaults from the environment (config.py); every change audited."""
from dataclasses import dataclass

from flask import current_app, g, has_request_context, request
from sqlalchemy import select

from ...extensions import db
from ...models import User
from ...models.security import SecuritySetting
from ...roles import SECURITY_ADMIN_ROLES
from ..errors import Invalid
from ..records.audit import record
from ..runtime import runtime
from .passwords import MIN_LENGTH, tr


@dataclass(frozen=True)
class Policy:
    key: str
    label: str  # a msgid (messages.po)
    low: int = 0
    high: int = 1
    flag: bool = False

    def default(self):
        """The installation's value (environment, config.py)."""
        if self.key == "session_lifetime_hours":
            return round(current_app.permanent_session_lifetime.total_seconds() / 3600, 2)
        if self.key == "password_min_length":
            return MIN_LENGTH
        value = current_app.config.get(self.key.upper())
        return bool(value) if self.flag else value


#: Each policy with the range the security administrator may choose from. The keys are the
#: config names in lower case (sign-in code asks for the config names).
POLICIES = {p.key: p for p in (
    Policy("signin_max_failures", "Wrong passwords before an account locks", 1, 20),
    Policy("signin_lock_minutes", "Minutes a locked account stays locked", 1, 1440),
    Policy("signin_address_free_failures",
           "Failed sign-ins from one address before each try waits longer", 1, 100),
    Policy("signin_address_max_delay_seconds",
           "Longest wait for one address, in seconds", 1, 3600),
    Policy("password_min_length", "Shortest password, in characters", MIN_LENGTH, 64),
    Policy("password_max_age_days", "Days a password lasts (0: it never expires)", 0, 365),
    Policy("session_idle_minutes", "Minutes without activity before a page session ends",
           1, 240),
    Policy("session_lifetime_hours", "Hours a page session lasts at most", 1, 24),
    Policy("totp_required",
           "Administrators and policy staff sign in with an authenticator code", flag=True),
)}
_CACHE = "_security_policy"


def _stored():
    """The stored rows by name: read once per request (two workers must agree, so never
    kept across requests); outside a request, read each time."""
    if not has_request_context():
        return {r.name: r for r in db.session.scalars(select(SecuritySetting))}
    current = request._get_current_object()
    cached = g.get(_CACHE)
    if cached is None or cached[0] is not current:
        cached = (current, {r.name: r for r in db.session.scalars(select(SecuritySetting))})
        setattr(g, _CACHE, cached)
    return cached[1]


def _value(item, rows):
    row = rows.get(item.key)
    if row is None:
        return item.default()
    return bool(row.value) if item.flag else row.value


def policy_value(name):
    """The value in force of one policy (key or config name, e.g. SIGNIN_MAX_FAILURES)."""
    return _value(POLICIES[name.lower()], _stored())


def policy():
    """Every policy: value in force, default, source (default/set), last change and by whom."""
    rows = _stored()
    names = {u.id: u.username for u in db.session.scalars(select(User).where(User.id.in_(
        [r.changed_by_id for r in rows.values() if r.changed_by_id])))} if rows else {}
    result = []
    for item in POLICIES.values():
        row = rows.get(item.key)
        result.append({"name": item.key, "label": item.label, "value": _value(item, rows),
                       "default": item.default(), "source": "set" if row else "default",
                       "minimum": None if item.flag else item.low,
                       "maximum": None if item.flag else item.high, "flag": item.flag,
                       "changed_at": row.changed_at if row else None,
                       "changed_by": names.get(row.changed_by_id) if row else None})
    return result


def _problem(item, value):
    if value is None:
        return None  # back to the installation's default
    if item.flag:
        return None if isinstance(value, bool) else tr("yes or no (true or false)")
    if isinstance(value, bool) or not isinstance(value, int) \
            or not item.low <= value <= item.high:
        return tr("a whole number from %(low)d to %(high)d", low=item.low, high=item.high)
    return None


def set_policy(values, actor=None):
    """Set policies (None: back to the default) in one audited change; security
    administrator only (actor None: the command line). Returns policy()."""
    from .security_admin import require
    require(actor, SECURITY_ADMIN_ROLES, "change the password and session policies")
    errors = {}
    for name, value in values.items():
        item = POLICIES.get(name)
        problem = tr("no such policy") if item is None else _problem(item, value)
        if problem:
            errors[name] = [problem]
    if not values:
        errors["policy"] = [tr("give at least one policy")]
    if errors:
        raise Invalid(tr("the policies were not changed"), errors=errors)
    rows, now = _stored(), runtime().clock.now_naive()
    before = {name: _value(POLICIES[name], rows) for name in values}
    for name, value in values.items():
        row = rows.get(name)
        if value is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = SecuritySetting(name=name)
            db.session.add(row)
        row.value, row.changed_at = int(value), now
        row.changed_by_id = actor.id if actor is not None else None
    db.session.flush()
    g.pop(_CACHE, None)
    after = {name: policy_value(name) for name in values}
    record("security_policy_change", actor, before=before, after=after)
    db.session.commit()
    return policy()
