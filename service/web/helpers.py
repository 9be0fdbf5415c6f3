"""Template helpers: language, navigation, time display, and the inbox badge."""
import datetime as dt

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user

from ..clock import SHANGHAI
from ..extensions import db
from ..forms import pick
from ..models import Department, District
from ..roles import ROLES
from ..services.runtime import runtime

#: Other concerns add header badges here: name -> function(user) -> int.
BADGES = {}
#: Navigation: (endpoint, label msgid, roles allowed or None for everyone). Others append.
NAV = [("desk.queue", "Work queue", None)]


def local_time(value, fmt="%Y-%m-%d %H:%M"):
    """A stored naive-UTC timestamp in Asia/Shanghai."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(SHANGHAI).strftime(fmt)


def days_left(task):
    """Working days from today to the task's due date (negative when overdue)."""
    if task.due_date is None:
        return None
    rt = runtime()
    return rt.calendar().working_days_between(rt.clock.today(), task.due_date)


def due_class(task):
    """'red' when overdue, 'yellow' when due soon, '' otherwise."""
    if task.status != "open" or task.due_at is None:
        return ""
    if runtime().clock.now_naive() > task.due_at:
        return "red"
    left = days_left(task)
    limit = task.yellow_days if task.yellow_days is not None else \
        current_app.config["DEFAULT_YELLOW_DAYS"]
    return "yellow" if left is not None and left <= limit else ""


def role_label(role):
    """The role's name in the page language."""
    return pick(ROLES.get(role, {"zh": role, "en": role}), str(get_locale() or "zh"))


def place_label(model, code):
    """A district's or department's name in the page language."""
    if not code:
        return ""
    row = db.session.get(model, code)
    if row is None:
        return code
    return row.name_en if str(get_locale()) == "en" else row.name_zh


def register(app):
    """Install filters and the context every page sees."""
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["pick"] = lambda label: pick(label, str(get_locale() or "zh"))
    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.filters["district_label"] = lambda code: place_label(District, code)
    app.jinja_env.filters["department_label"] = lambda code: place_label(Department, code)

    @app.context_processor
    def page_context():
        badges, nav = {}, []
        if current_user.is_authenticated:
            badges = {name: fn(current_user) for name, fn in BADGES.items()}
            nav = [(endpoint, label) for endpoint, label, roles in NAV
                   if roles is None or current_user.role in roles]
        return {"lang": str(get_locale() or "zh"), "badges": badges, "nav": nav, "days_left": days_left,
                "due_class": due_class, "current_path": request.full_path.rstrip("?")}
