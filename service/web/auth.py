"""Sign in, sign out, and the language switch."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ..extensions import login_manager
from ..i18n import LANGUAGES
from ..services.people import browser_sessions
from ..services.people.users import authenticate
from ..sessions import SESSION_ID
from .pageforms import safe_next

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Please sign in to see this page.")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


@login_manager.user_loader
def load_user(user_id):
    # The cookie alone is not enough: its session must still be open on the server (not
    # signed out, no password change or disabling since, within its lifetime).
    return browser_sessions.session_user(user_id, session.get(SESSION_ID))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with username and password; land on the work queue."""
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.username.data.strip(), form.password.data)
        if user is not None:
            login_user(user)
            session.permanent = True
            session[SESSION_ID] = browser_sessions.begin(user)
            from ..services.people.signins import record_sign_in
            record_sign_in(user, request.remote_addr)
            return redirect(safe_next(request.args.get("next")) or url_for("desk.home"))
        error = _("Wrong username or password.")
    return render_template("login.html", form=form, error=error), 401 if error else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out (POST with CSRF token, so a link cannot sign anyone out)."""
    browser_sessions.end(session.pop(SESSION_ID, None))
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>")
def set_language(code):
    """Switch the page language (Chinese or English) for this browser session."""
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("desk.home"))


@bp.route("/")
def home():
    return redirect(url_for("desk.home"))
