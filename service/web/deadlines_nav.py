"""Navigation entries and the inbox badge of the deadline pages."""
from ..models import Department
from ..roles import ROLES, SUPERVISING_ROLES
from ..services.notices.inbox import unread_count
from .helpers import BADGES, NAV, place_label, role_label

ENTRIES = [
    ("supervision.escalation_list", "Supervision", SUPERVISING_ROLES),
    ("supervision.statistics_page", "Statistics", SUPERVISING_ROLES),
    ("supervision.reports_page", "Monthly reports", SUPERVISING_ROLES),
    ("supervision.forecast_page", "Forecast", SUPERVISING_ROLES),
    ("calendar_admin.days", "Calendar", ("admin", "system_admin")),
    ("outbox_admin.mails", "E-mail outbox", ("admin", "system_admin")),
]


def register(app):
    """Add the entries once, and the unread badge linking to the inbox page."""
    for entry in ENTRIES:
        if entry not in NAV:
            NAV.append(entry)
    BADGES["inbox"] = unread_count
    endpoints = app.config.setdefault("BADGE_ENDPOINTS", {})
    endpoints["desk.inbox"] = True
    app.jinja_env.filters["office_label"] = office_label


def office_label(code):
    """An office: a role's name, else a department's."""
    return role_label(code) if code in ROLES else place_label(Department, code)
