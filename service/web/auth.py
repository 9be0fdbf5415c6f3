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
from ..services.errors import ServiceError
from ..services.people.signin import SecondFactorNeeded, sign_in
from .session_policy import start_session
from ..sessions import SESSION_ID
from .pageforms import safe_next

bp = Blueprint("auth", __name__)
login_manager.login_view = "auth.login"
login_manager.login_message = lazy_gettext("Please sign in to see this page.")


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])
    code = StringField("Code")  # the authenticator code, for accounts with a second factor


@login_manager.user_loader
def load_user(user_id):
    # The cookie alone is not enough: its session must still be open on the server (not
    # signed out, no password change or disabling since, within its lifetime).
    return browser_sessions.session_user(user_id, session.get(SESSION_ID))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with username and password; land on the work queue."""
    form = LoginForm()
    error, status, need_code = None, 200, False
    if form.validate_on_submit():
        try:  # the sign-in policy; a refusal is audited and committed by it
            result = sign_in(form.username.data.strip(), form.password.data,
                             request.remote_addr, form.code.data, via="page")
        except ServiceError as exc:
            error, status = exc.message, exc.status
            need_code = isinstance(exc, SecondFactorNeeded)
        else:
            user = result.user
            login_user(user)
            session.permanent = True
            session[SESSION_ID] = browser_sessions.begin(user)
            start_session(result)  # idle clock, forced password change, sign-in facts
            return redirect(safe_next(request.args.get("next")) or url_for("desk.home"))
    return render_template("login.html", form=form, error=error, need_code=need_code), status


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
