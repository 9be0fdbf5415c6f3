"""The security administrator's forms on /admin/security: the password and session policies,
each official's role, and administrators' accounts (password reset, disable, enable)
(三员分立: none of these is the system administrator's)."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ..roles import ADMINISTRATOR_ROLES, ROLES, SECURITY_ADMIN_ROLES
from ..services.organisation import places
from ..services.organisation.officials import get_official
from ..services.people import accounts, policy, roles_admin
from .helpers import role_label
from .admin_org import PasswordFormSchema, ReasonFormSchema
from .pageforms import committed, flash_errors, only_for, parse, run, submit

bp = Blueprint("security_settings", __name__, url_prefix="/admin/security")
only_for(bp, *SECURITY_ADMIN_ROLES)

#: A select's "keep as the role allows" (nothing sent) and "none" (city-wide, no department).
KEEP, NONE = "", "-"


def page_context():
    """What the accounts page shows of the policies and the role forms."""
    return {"policies": policy.policy(), "roles": ROLES,
            "districts": places.list_districts(), "departments": places.list_departments(),
            "keep": KEEP, "none": NONE, "administrator_roles": ADMINISTRATOR_ROLES}


class RoleFormSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(list(ROLES)))
    district = fields.String(load_default=KEEP, validate=validate.Length(max=100))
    department = fields.String(load_default=KEEP, validate=validate.Length(max=100))


@bp.route("/<username>/role", methods=["POST"])
def assign_role(username):
    """Give an official a role; claimed tasks it cannot act on go back to their queue."""
    values, errors = parse(RoleFormSchema(), request.form)
    if errors:
        flash_errors(errors)
        return redirect(url_for("security.accounts_page"))
    given = {k: (None if values[k] == NONE else values[k])
             for k in ("district", "department") if values[k] != KEEP}
    result = run(lambda: roles_admin.assign_role(username, values["role"], given, current_user),
                 _("%(name)s has the role %(role)s.", name=username,
                   role=role_label(values["role"])))
    if result and result["released"]:
        flash(_("%(count)s tasks went back to their office's queue.",
                count=len(result["released"])))
    return redirect(url_for("security.accounts_page") + f"#account-{username}")


def _back(username):
    return redirect(url_for("security.accounts_page") + f"#account-{username}")


@bp.route("/<username>/password-reset", methods=["POST"])
def reset_password(username):
    """Give an administrator's account a new password, changed at its next sign-in."""
    _check(username, password=True)
    submit(PasswordFormSchema(), lambda v: committed(
        lambda: accounts.reset_password(username, v["password"], current_user)),
        _("%(name)s has a new password, to be changed at the next sign-in.", name=username))
    return _back(username)


@bp.route("/<username>/disable", methods=["POST"])
def disable(username):
    """Disable an administrator's account (with a reason)."""
    _check(username)
    submit(ReasonFormSchema(), lambda v: committed(
        lambda: accounts.disable_user(username, v["reason"], current_user)),
        _("%(name)s is disabled.", name=username))
    return _back(username)


@bp.route("/<username>/enable", methods=["POST"])
def enable(username):
    """Let a disabled administrator's account sign in again."""
    _check(username)
    run(lambda: committed(lambda: accounts.enable_user(username, current_user)),
        _("%(name)s can sign in again.", name=username))
    return _back(username)


def _check(username, password=False):
    """The 403 page with its reason (not an administrator's account, or one's own) before the
    form is read; the service checks again."""
    accounts.check_manager(current_user, get_official(username), password)


def _policy_form():
    """The posted policies that differ from those in force (a ticked "default": None)."""
    current = {p["name"]: p for p in policy.policy()}
    wanted, errors = {}, {}
    for name, item in policy.POLICIES.items():
        if request.form.get(f"default-{name}"):
            if current[name]["source"] == "set":
                wanted[name] = None
            continue
        if item.flag:
            value = bool(request.form.get(name))
        else:
            text = (request.form.get(name) or "").strip()
            if not text.isdigit():
                errors[name] = [_("a whole number from %(low)d to %(high)d",
                                  low=item.low, high=item.high)]
                continue
            value = int(text)
        if value != current[name]["value"]:  # only what changed: the rest keeps its source
            wanted[name] = value
    return wanted, errors


@bp.route("/policy", methods=["POST"])
def change_policy():
    """Change the password and session policies (audited)."""
    wanted, errors = _policy_form()
    if errors:
        flash(_("the policies were not changed"), "error")
        flash_errors({_(policy.POLICIES[k].label): v for k, v in errors.items()})
    elif not wanted:
        flash(_("Nothing was changed."))
    else:
        run(lambda: policy.set_policy(wanted, current_user), _("The policies are changed."))
    return redirect(url_for("security.accounts_page") + "#policies")


def register(app):
    """The blueprint (the page itself is security.accounts_page)."""
    app.register_blueprint(bp)
