"""The desk session's security rules on every page: idle timeout, the forced password change
and second-factor enrolment, and the sign-in facts shown after signing in."""
from flask import flash, redirect, request, session, url_for
from flask_babel import format_datetime, gettext as _
from flask_login import current_user, logout_user

from ..models.timestamps import as_aware
from ..services.people import browser_sessions
from ..sessions import SESSION_ID

MUST_CHANGE = "must_change_password"
MUST_ENROL = "must_enrol_totp"
# Pages a session that must first change its password or enrol may still open.
OPEN_ENDPOINTS = {"auth.login", "auth.logout", "auth.set_language", "static",
                  "security.new_password", "security.totp"}


def start_session(result):
    """After a successful sign-in: note what must happen first, and tell the official when
    they last signed in and how many tries failed since."""
    session[MUST_CHANGE] = bool(result.must_change_password)
    session[MUST_ENROL] = bool(result.must_enrol_totp)
    if result.previous_at is not None:
        flash(_("Last sign-in: %(at)s from %(address)s. Failed sign-ins since: %(n)d.",
                at=format_datetime(as_aware(result.previous_at), "yyyy-MM-dd HH:mm"),
                address=result.previous_from or "-", n=result.failures_since))
    elif result.failures_since:
        flash(_("Failed sign-ins on this account before this one: %(n)d.",
                n=result.failures_since))


def _check_page():
    if request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        # The idle rule is the server's (browser_sessions.session_user): a session unused too
        # long loads no official. Here the page says why.
        if not browser_sessions.ended_idle(session.get(SESSION_ID)):
            return None
        logout_user()
        session.clear()
        flash(_("You were signed out after %(n)d minutes without activity.",
                n=browser_sessions.idle_minutes()))
        return redirect(url_for("auth.login", next=request.full_path
                                if request.method == "GET" else None))
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if session.get(MUST_CHANGE):
        return redirect(url_for("security.new_password"))
    if session.get(MUST_ENROL):
        return redirect(url_for("security.totp"))
    return None


def register(app):
    """Check every page request."""
    app.before_request(_check_page)
