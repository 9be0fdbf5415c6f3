"""Where each role lands after signing in, and the 待办 count beside 消息 in the header."""
from flask import current_app, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Task
from ..roles import LANE_ROLES
from ..services.approval.tasks import scope_condition
from .desk import bp
from .helpers import BADGES

#: role -> landing endpoints, first one registered wins (others may add pages later).
LANDING = {
    "supervisor": ("supervision.escalation_list",),
    "leading_group": ("supervision.escalation_list",),
    "policy_staff": ("processes.index",),
    "admin": ("org_admin.users", "calendar_admin.days"),
    "system_admin": ("org_admin.users", "calendar_admin.days"),
    "security_admin": ("security.accounts_page",),
    "audit_admin": ("security.audit_page",),
}


def landing_url(user):
    """The page a role starts its day on; offices land on their work queue."""
    for endpoint in LANDING.get(user.role, ()):
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return url_for("desk.queue")


def todo_count(user):
    """Open tasks waiting in the official's role queue plus those they have claimed; None for
    roles that hold no steps (no badge)."""
    if user.role not in LANE_ROLES:
        return None
    return db.session.scalar(select(func.count(Task.id)).where(or_(
        scope_condition(user, "queue"), scope_condition(user, "mine")))) or 0


@bp.route("/")
@login_required
def home():
    """The role's landing page."""
    return redirect(landing_url(current_user))


def favicon():
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


def register(app):
    """The 待办 badge first, so it sits beside 消息; it links to the work queue; the icon."""
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    badges = {"queue": todo_count, **BADGES}
    BADGES.clear()
    BADGES.update(badges)
    app.config.setdefault("BADGE_ENDPOINTS", {})["desk.queue"] = True
