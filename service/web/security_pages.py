"""Security pages: the forced password change, second-factor enrolment, the security
administrator's accounts page and the audit administrator's trail page."""
import segno
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from marshmallow import Schema, fields, validate

from ..converters import LARGEST_ID
from ..extensions import db
from ..roles import AUDIT_ADMIN_ROLES, SECURITY_ADMIN_ROLES
from ..services.errors import Invalid
from ..services.people import accounts, security_admin
from ..services.people.totp import new_secret, provisioning_uri
from ..services.records.audit_list import list_events
from ..services.records.chain_check import read_heads, heads_file, verify
from .account import OwnPasswordSchema
from .pageforms import flash_errors, keyset_args, pager_view, run, submit
from .session_policy import MUST_CHANGE, MUST_ENROL

bp = Blueprint("security", __name__)
PENDING_SECRET = "totp_pending_secret"
AUDIT_PER_PAGE = 200


class CodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=12))


def _only(roles):
    if current_user.role not in roles:
        abort(403)


@bp.route("/account/new-password", methods=["GET", "POST"])
@login_required
def new_password():
    """Choose a new password: at the first sign-in, after a reset, or when it has expired."""
    if request.method == "POST":
        def change(values):
            if not current_user.check_password(values["current"]):
                raise Invalid(_("The password was not changed."),
                              errors={"current": [_("The current password is wrong.")]})
            accounts.set_password(current_user.username, values["password"], actor=current_user)
            db.session.commit()
            return True
        if submit(OwnPasswordSchema(), change, _("Your password is changed.")):
            # Changing the password ends every session of the account, this one too.
            session.pop(MUST_CHANGE, None)
            logout_user()
            flash(_("Sign in with the new password."))
            return redirect(url_for("auth.login"))
    return render_template("security/new_password.html",
                           forced=session.get(MUST_CHANGE, False))


@bp.route("/account/totp", methods=["GET", "POST"])
@login_required
def totp():
    """Enrol an authenticator app: scan the QR code, confirm with its first code."""
    secret = session.get(PENDING_SECRET)
    if request.method == "POST" and secret:
        done = submit(CodeSchema(), lambda v: _enrol(secret, v["code"]),
                      _("The authenticator is enrolled; sign-ins now ask for its code."))
        if done:
            session.pop(PENDING_SECRET, None)
            session.pop(MUST_ENROL, None)
            return redirect(url_for("desk.home"))
    if not secret:
        secret = session[PENDING_SECRET] = new_secret()
    qr = segno.make(provisioning_uri(secret, current_user.username), error="m")
    svg = qr.svg_inline(scale=4, dark="#000", light="#fff")
    return render_template("security/totp.html", svg=svg, secret=secret,
                           forced=session.get(MUST_ENROL, False))


def _enrol(secret, code):
    user = security_admin.enrol_totp(current_user, secret, code)
    db.session.commit()
    return user


@bp.route("/admin/security")
@login_required
def accounts_page():
    """Accounts' lock state, second factors and roles; the password and session policies,
    editable (security admin; the forms post to security_policy_pages)."""
    _only(SECURITY_ADMIN_ROLES)
    from .security_policy_pages import page_context
    return render_template("security/accounts.html",
                           rows=security_admin.accounts_overview(current_user),
                           **page_context())


@bp.route("/admin/security/<username>/unlock", methods=["POST"])
@login_required
def unlock(username):
    """Unlock an account."""
    _only(SECURITY_ADMIN_ROLES)
    run(lambda: _commit(security_admin.unlock(username, current_user)),
        _("%(name)s can sign in again.", name=username))
    return redirect(url_for(".accounts_page"))


@bp.route("/admin/security/<username>/totp-reset", methods=["POST"])
@login_required
def totp_reset(username):
    """Remove an official's authenticator so they enrol again."""
    _only(SECURITY_ADMIN_ROLES)
    run(lambda: _commit(security_admin.reset_totp(username, current_user)),
        _("%(name)s enrols a new authenticator at the next sign-in.", name=username))
    return redirect(url_for(".accounts_page"))


def _commit(result):
    db.session.commit()
    return result


@bp.route("/admin/audit")
@login_required
def audit_page():
    """The audit trail's verification and its latest rows, filterable (audit admin; read only)."""
    _only(AUDIT_ADMIN_ROLES)
    result = verify(heads=read_heads(heads_file()))
    action = (request.args.get("action") or "").strip()[:40]
    actor = (request.args.get("actor") or "").strip()[:80]
    project_id = request.args.get("project", type=int)
    project_id = project_id if project_id and 0 < project_id <= LARGEST_ID else None
    page, cursor = keyset_args()
    try:
        found = list_events(current_user, action or None, actor or None, project_id,
                            page=page, per_page=AUDIT_PER_PAGE, cursor=cursor)
    except Invalid as exc:  # a cursor from elsewhere: say so, show the first page
        flash_errors(exc.errors)
        page, found = 1, list_events(current_user, action or None, actor or None, project_id,
                                     per_page=AUDIT_PER_PAGE)
    return render_template("security/audit.html", result=result, rows=found.rows,
                           action=action, actor=actor, project_id=project_id, page=page,
                           **pager_view(found, page, AUDIT_PER_PAGE))


def register(app):
    """The blueprint, its menu entries, and where the separated administrators land."""
    from . import desk_home, helpers, security_policy_pages
    app.register_blueprint(bp)
    security_policy_pages.register(app)
    for entry in (("security.accounts_page", "Account security", SECURITY_ADMIN_ROLES),
                  ("security.audit_page", "Audit trail", AUDIT_ADMIN_ROLES)):
        if entry not in helpers.NAV:
            helpers.NAV.append(entry)
    desk_home.LANDING.setdefault("security_admin", ("security.accounts_page",))
    desk_home.LANDING.setdefault("audit_admin", ("security.audit_page",))
    desk_home.LANDING.setdefault("system_admin", desk_home.LANDING.get("admin", ()))
