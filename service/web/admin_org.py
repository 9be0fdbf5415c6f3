"""Administrators' pages for the organisation and its officials (/admin/org, /admin/users)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import Schema, fields, validate

from ..roles import ADMINISTRATOR_ROLES, ROLES
from ..services.errors import Invalid, NotFound
from ..services.organisation import officials, places
from ..services.organisation.access import ORGANISATION_ROLES, may_manage_organisation
from ..services.people import accounts
from .pageforms import committed, flash_errors, parse, run, submit

bp = Blueprint("org_admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _only_administrators():
    if not may_manage_organisation(current_user):
        abort(403)


class PlaceFormSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name_zh = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name_en = fields.String(load_default="", validate=validate.Length(max=100))


class StreetFormSchema(PlaceFormSchema):
    district = fields.String(required=True, validate=validate.Length(min=1, max=100))
    kind = fields.String(load_default="street", validate=validate.OneOf(places.KINDS))


class OfficialFormSchema(Schema):
    display_name = fields.String(load_default="", validate=validate.Length(max=120))
    email = fields.String(load_default="", validate=validate.Length(max=200))
    # The page no longer offers a role change (the security administrator's); a role sent
    # anyway must be the official's own, else the service answers 403.
    role = fields.String(validate=validate.OneOf(list(ROLES)))
    district = fields.String(load_default="", validate=validate.Length(max=100))
    department = fields.String(load_default="", validate=validate.Length(max=100))
    street = fields.String(load_default="", validate=validate.Length(max=100))


class NewOfficialFormSchema(OfficialFormSchema):
    role = fields.String(required=True, validate=validate.OneOf(list(ROLES)))
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ReasonFormSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class PasswordFormSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


def _choices():
    # Administrators' roles are the security administrator's to give.
    return {"districts": places.list_districts(), "departments": places.list_departments(),
            "roles": {k: v for k, v in ROLES.items() if k not in ADMINISTRATOR_ROLES}}


@bp.route("/org")
def org():
    """Districts with their towns and streets, departments, and the forms to add them."""
    return render_template("admin/org.html", **_choices())


@bp.route("/org/districts", methods=["POST"])
def add_district():
    """Add a district."""
    submit(PlaceFormSchema(), lambda v: places.add_district(
        v["code"], v["name_zh"], v["name_en"], actor=current_user), _("The district is added."))
    return redirect(url_for(".org"))


@bp.route("/org/streets", methods=["POST"])
def add_street():
    """Add a town or street office under a district."""
    submit(StreetFormSchema(), lambda v: places.add_street(
        v["district"], v["code"], v["name_zh"], v["name_en"], v["kind"], actor=current_user),
        _("The town or street office is added."))
    return redirect(url_for(".org"))


@bp.route("/org/departments", methods=["POST"])
def add_department():
    """Add a department."""
    submit(PlaceFormSchema(), lambda v: places.add_department(
        v["code"], v["name_zh"], v["name_en"], actor=current_user), _("The department is added."))
    return redirect(url_for(".org"))


class RenameFormSchema(Schema):
    name_zh = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name_en = fields.String(load_default="", validate=validate.Length(max=100))


RENAMES = {"district": places.rename_district, "street": places.rename_street,
           "department": places.rename_department}


@bp.route("/org/<kind>/<code>/rename", methods=["POST"])
def rename(kind, code):
    """Give a district, town/street or department new names (the code stays)."""
    if kind not in RENAMES:
        abort(404)
    submit(RenameFormSchema(), lambda v: RENAMES[kind](code, v["name_zh"], v["name_en"],
                                                       actor=current_user),
           _("The name is changed."))
    return redirect(url_for(".org"))


@bp.route("/users")
def users():
    """Every official, with role, office and state."""
    return render_template("admin/users.html", rows=officials.list_officials(), **_choices())


@bp.route("/users/new", methods=["POST"])
def add_user():
    """Add an official."""
    user = submit(NewOfficialFormSchema(), lambda v: officials.add_official(v, actor=current_user),
                  _("The official is added."))
    return redirect(url_for(".user", username=user.username) if user else url_for(".users"))


@bp.route("/users/import", methods=["POST"])
def import_users():
    """Add the officials of an uploaded XLSX sheet, all or none."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash_errors({"file": [_("Choose an XLSX file.")]})
    else:
        run(lambda: officials.import_officials(upload.stream, actor=current_user),
            _("The officials are imported."))
    return redirect(url_for(".users"))


@bp.route("/users/<username>")
def user(username):
    """One official: edit, change office, reset the password, disable or enable (the role is
    shown; the security administrator changes it)."""
    try:
        found = officials.get_official(username)
    except NotFound:
        abort(404)
    held = officials.claimed_tasks(found)
    # 三员分立: another administrator's account is shown, not managed, here.
    managed = found.role not in ADMINISTRATOR_ROLES
    return render_template("admin/user.html", official=found, held=held, managed=managed,
                           own=found.id == current_user.id, **_choices())


@bp.route("/users/<username>", methods=["POST"])
def change_user(username):
    """Change an official; when claimed tasks would go back to the queue, show them first and
    ask again (the form is sent once more with confirm=1)."""
    values, errors = parse(OfficialFormSchema(), request.form)
    if errors:
        flash_errors(errors)
        return redirect(url_for(".user", username=username))
    if request.form.get("confirm") != "1":
        try:
            preview = officials.preview_change(username, values, actor=current_user)
        except NotFound:
            abort(404)
        except Invalid as exc:
            flash(_(exc.message), "error")
            flash_errors(exc.errors)
            return redirect(url_for(".user", username=username))
        if preview["released"]:
            return render_template("admin/user_confirm.html", preview=preview, values=values,
                                   username=username)
    result = run(lambda: officials.change_official(username, values, actor=current_user),
                 _("The official is changed."))
    if result and result["released"]:
        flash(_("%(count)s tasks went back to their office's queue.",
                count=len(result["released"])))
    return redirect(url_for(".user", username=username))


@bp.route("/users/<username>/password", methods=["POST"])
def reset_password(username):
    """Give an official a new password (they are told it in person)."""
    _check_manager(username, password=True)
    submit(PasswordFormSchema(), lambda v: committed(
        lambda: accounts.reset_password(username, v["password"], actor=current_user)),
        _("The password is set."))
    return redirect(url_for(".user", username=username))


@bp.route("/users/<username>/disable", methods=["POST"])
def disable(username):
    """Disable an official who has left; their claimed tasks go back to the queue."""
    _check_manager(username)
    submit(ReasonFormSchema(), lambda v: committed(
        lambda: accounts.disable_user(username, v["reason"], actor=current_user)),
        _("The official is disabled."))
    return redirect(url_for(".user", username=username))


@bp.route("/users/<username>/enable", methods=["POST"])
def enable(username):
    """Let a disabled official sign in again."""
    _check_manager(username)
    run(lambda: committed(lambda: accounts.enable_user(username, actor=current_user)),
        _("The official can sign in again."))
    return redirect(url_for(".user", username=username))


def _check_manager(username, password=False):
    """The 403 page with its reason (an administrator's account is the security
    administrator's), before the form is read; the service checks again."""
    try:
        found = officials.get_official(username)
    except NotFound:
        abort(404)
    accounts.check_manager(current_user, found, password)


def register(app):
    """The blueprint and the navigation entries."""
    from .helpers import NAV
    app.register_blueprint(bp)
    for entry in (("org_admin.users", "Officials", ORGANISATION_ROLES),
                  ("org_admin.org", "Organisation", ORGANISATION_ROLES)):
        if entry not in NAV:
            NAV.append(entry)
