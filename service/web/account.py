"""Each official's own account page: change the password, see recent sign-ins."""
from flask import Blueprint, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..extensions import db
from ..services.errors import Invalid
from ..services.people import accounts, browser_sessions
from ..services.people.signins import recent_sign_ins
from ..sessions import SESSION_ID
from .pageforms import submit

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
@login_required
def _signed_in():
    pass


class OwnPasswordSchema(Schema):
    current = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    repeat = fields.String(required=True, validate=validate.Length(min=1, max=200))

    @validates_schema
    def _same(self, data, **kwargs):
        if data.get("password") != data.get("repeat"):
            raise ValidationError(_("The two new passwords differ."), "repeat")


@bp.route("/")
def page():
    """The account: who I am, the password form, my recent sign-ins."""
    return render_template("account.html", sign_ins=recent_sign_ins(current_user))


def _change(values):
    if not current_user.check_password(values["current"]):
        raise Invalid(_("The password was not changed."),
                      errors={"current": [_("The current password is wrong.")]})
    try:
        accounts.set_password(current_user.username, values["password"], actor=current_user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    # The change ended every session of the official, this one too: this browser, which
    # has just proved the password, goes on in a new one; any other must sign in again.
    session[SESSION_ID] = browser_sessions.begin(current_user)


@bp.route("/password", methods=["POST"])
def change_password():
    """Change my own password (the current one first)."""
    submit(OwnPasswordSchema(), _change, _("Your password is changed."))
    return redirect(url_for(".page"))


def register(app):
    """The blueprint."""
    app.register_blueprint(bp)
