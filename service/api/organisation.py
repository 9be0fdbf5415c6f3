"""The organisation: districts with their towns and streets, departments, and (administrators)
officials under /api/v1/admin/officials."""
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..roles import ROLES
from ..services.errors import Forbidden
from ..services.organisation import officials, places
from ..services.organisation.access import may_manage_organisation
from ..services.people import accounts
from ..extensions import db
from .security import BEARER, auth_required

blp = Blueprint("organisation", __name__, url_prefix="/api/v1",
                description="Districts, towns and streets, departments, officials")


class StreetSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name_zh = fields.String(required=True, validate=validate.Length(max=100))
    name_en = fields.String(load_default="", validate=validate.Length(max=100))
    kind = fields.String(load_default="street", validate=validate.OneOf(places.KINDS),
                         metadata={"description": "town (镇) or street (街道办事处)"})
    district = fields.String(dump_only=True)


class PlaceSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    name_zh = fields.String(required=True, validate=validate.Length(max=100))
    name_en = fields.String(load_default="", validate=validate.Length(max=100))


class RenameSchema(Schema):
    name_zh = fields.String(required=True, validate=validate.Length(max=100))
    name_en = fields.String(load_default="", validate=validate.Length(max=100))


class DistrictSchema(PlaceSchema):
    streets = fields.List(fields.Nested(StreetSchema), dump_only=True)


class OfficialSchema(Schema):
    username = fields.String(dump_only=True)
    display_name = fields.String()
    email = fields.String(allow_none=True)
    role = fields.String()
    district = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    street = fields.String(allow_none=True)
    active = fields.Boolean(dump_only=True)


class NewOfficialSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(list(ROLES)), metadata={
        "description": "any but an administrator's (the security administrator gives those)"})
    display_name = fields.String(load_default="", validate=validate.Length(max=120))
    email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    district = fields.String(load_default=None, allow_none=True,
                             metadata={"description": "code or Chinese name"})
    department = fields.String(load_default=None, allow_none=True,
                               metadata={"description": "code or Chinese name"})
    street = fields.String(load_default=None, allow_none=True)


class ChangeOfficialSchema(Schema):
    # Kept so clients get a clear 403 (the security administrator assigns roles), not
    # "unknown field"; the official's own role is accepted unchanged.
    role = fields.String(validate=validate.OneOf(list(ROLES)), metadata={
        "description": "the current role only; PUT /security/accounts/{username}/role "
                       "changes it (security administrator)"})
    display_name = fields.String(validate=validate.Length(max=120))
    email = fields.String(allow_none=True, validate=validate.Length(max=200))
    district = fields.String(allow_none=True, metadata={"description": "code or Chinese name"})
    department = fields.String(allow_none=True)
    street = fields.String(allow_none=True)


class DryRunSchema(Schema):
    dry_run = fields.Boolean(load_default=False, metadata={
        "description": "only report the claimed tasks the change would release"})


class ChangeResultSchema(Schema):
    official = fields.Nested(OfficialSchema)
    released = fields.List(fields.Integer(), metadata={
        "description": "ids of claimed tasks back in their office's queue"})
    dry_run = fields.Boolean()


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class PasswordSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


def _administrator():
    if not may_manage_organisation(g.user):
        raise Forbidden("only administrators manage the organisation")


def _commit(value):
    db.session.commit()
    return value


@blp.route("/districts", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, DistrictSchema(many=True))
def districts():
    """Districts with their towns and streets (a district official: their own)."""
    return places.list_districts(g.user)


@blp.route("/districts", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(PlaceSchema())
@blp.response(201, DistrictSchema)
def add_district(body):
    """Add a district (administrators)."""
    _administrator()
    row = places.add_district(body["code"], body["name_zh"], body["name_en"], actor=g.user)
    return {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en, "streets": []}


@blp.route("/districts/<code>", methods=["PATCH"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(RenameSchema())
@blp.response(200, PlaceSchema)
def rename_district(body, code):
    """Rename a district (its code stays)."""
    _administrator()
    return places.rename_district(code, body["name_zh"], body["name_en"], actor=g.user)


@blp.route("/districts/<code>/streets", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(StreetSchema())
@blp.response(201, StreetSchema)
def add_street(body, code):
    """Add a town or street office under a district (administrators)."""
    _administrator()
    return places.add_street(code, body["code"], body["name_zh"], body["name_en"],
                             body["kind"], actor=g.user)


@blp.route("/departments", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, PlaceSchema(many=True))
def departments():
    """Every department."""
    return places.list_departments()


@blp.route("/departments", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(PlaceSchema())
@blp.response(201, PlaceSchema)
def add_department(body):
    """Add a department (administrators)."""
    _administrator()
    return places.add_department(body["code"], body["name_zh"], body["name_en"], actor=g.user)


@blp.route("/admin/officials", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, OfficialSchema(many=True))
def list_officials():
    """Every official (administrators)."""
    _administrator()
    return officials.list_officials()


@blp.route("/admin/officials", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(NewOfficialSchema())
@blp.response(201, OfficialSchema)
def add_official(body):
    """Add an official; district/department/street by code or Chinese name."""
    _administrator()
    return officials.add_official(body, actor=g.user)


@blp.route("/admin/officials/<username>", methods=["PATCH"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(DryRunSchema(), location="query")
@blp.arguments(ChangeOfficialSchema())
@blp.response(200, ChangeResultSchema)
def change_official(query, body, username):
    """Change name, e-mail or office (a role change: 403, the security administrator's);
    claimed tasks the official can no longer act on go back to their office's queue (with
    ?dry_run=true: only listed)."""
    _administrator()
    if query["dry_run"]:
        preview = officials.preview_change(username, body, actor=g.user)
        return {"official": preview["official"], "dry_run": True,
                "released": [t.id for t in preview["released"]]}
    result = officials.change_official(username, body, actor=g.user)
    return {"official": result["official"], "dry_run": False,
            "released": [t.id for t in result["released"]]}


@blp.route("/admin/officials/<username>/disable", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ReasonSchema())
@blp.response(200, ChangeResultSchema)
def disable(body, username):
    """Disable an official who has left; their claimed tasks go back to the queue (an
    administrator's account: 403, the security administrator's)."""
    _administrator()
    released = accounts.disable_user(username, body["reason"], actor=g.user)
    return _commit({"official": officials.get_official(username), "dry_run": False,
                    "released": [t.id for t in released]})


@blp.route("/admin/officials/<username>/enable", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, OfficialSchema)
def enable(username):
    """Let a disabled official sign in again (an administrator's account: 403)."""
    _administrator()
    return _commit(accounts.enable_user(username, actor=g.user))


@blp.route("/admin/officials/<username>/password", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(PasswordSchema())
@blp.response(200, OfficialSchema)
def reset_password(body, username):
    """Give an official a new password; their tokens issued before stop working. An
    administrator's account: 403, the security administrator's (/security/accounts/...)."""
    _administrator()
    return _commit(accounts.reset_password(username, body["password"], actor=g.user))
