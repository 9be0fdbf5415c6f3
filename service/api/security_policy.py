"""The security administrator's roles, administrators' accounts (password reset, disable,
enable) and password and session policies (issue 18), beside the account unlocks of
security_audit.py."""
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..extensions import db
from ..roles import ROLES, SECURITY_ADMIN_ROLES
from ..services.organisation.officials import get_official
from ..services.people import accounts, policy, roles_admin, security_admin
from .organisation import ChangeResultSchema, OfficialSchema, PasswordSchema, ReasonSchema
from .security import BEARER, auth_required

blp = Blueprint("security_policy", __name__, url_prefix="/api/v1",
                description="Roles and the password and session policies (security "
                            "administrator)")


class RoleSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(list(ROLES)))
    district = fields.String(allow_none=True, validate=validate.Length(max=100), metadata={
        "description": "code or Chinese name; when left out, kept where the role admits it"})
    department = fields.String(allow_none=True, validate=validate.Length(max=100), metadata={
        "description": "code or Chinese name; when left out, kept for joint review"})


class RoleResultSchema(Schema):
    username = fields.String()
    role = fields.String()
    district = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    street = fields.String(allow_none=True)
    released = fields.List(fields.Integer(), metadata={
        "description": "ids of claimed tasks back in their office's queue"})


class PolicyItemSchema(Schema):
    name = fields.String()
    label = fields.String()
    value = fields.Raw(metadata={"description": "in force: the value set, else the default"})
    default = fields.Raw(metadata={"description": "the installation's (environment)"})
    source = fields.String(metadata={"description": "set or default"})
    minimum = fields.Integer(allow_none=True)
    maximum = fields.Integer(allow_none=True)
    flag = fields.Boolean()
    changed_at = fields.DateTime(allow_none=True)
    changed_by = fields.String(allow_none=True)


# One optional field per policy; null puts it back to the installation's default.
PolicyChangeSchema = Schema.from_dict({
    name: fields.Boolean(allow_none=True) if item.flag
    else fields.Integer(strict=True, allow_none=True)
    for name, item in policy.POLICIES.items()}, name="PolicyChangeSchema")



@blp.route("/security/accounts/<username>/role", methods=["PUT"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(RoleSchema())
@blp.response(200, RoleResultSchema)
def assign_role(body, username):
    """Give an official a role (security administrator; not their own); claimed tasks the
    new role cannot act on go back to their office's queue; audited."""
    given = {k: body[k] for k in ("district", "department") if k in body}
    result = roles_admin.assign_role(username[:80], body["role"], given, g.user)
    user = result["official"]
    return {"username": user.username, "role": user.role, "district": user.district,
            "department": user.department, "street": user.street,
            "released": [t.id for t in result["released"]]}


def _security_admin(what):
    security_admin.require(g.user, SECURITY_ADMIN_ROLES, what)


def _commit(value):
    db.session.commit()
    return value


@blp.route("/security/accounts/<username>/password-reset", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(PasswordSchema())
@blp.response(200, OfficialSchema)
def reset_password(body, username):
    """Give an administrator's account a new password, to be changed at its next sign-in
    (security administrator; not their own: 403); their tokens stop working; audited."""
    _security_admin("reset administrators' passwords")
    return _commit(accounts.reset_password(username[:80], body["password"], actor=g.user))


@blp.route("/security/accounts/<username>/disable", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ReasonSchema())
@blp.response(200, ChangeResultSchema)
def disable(body, username):
    """Disable an administrator's account (security administrator; not their own); its
    tokens stop at once; audited."""
    _security_admin("disable administrators' accounts")
    released = accounts.disable_user(username[:80], body["reason"], actor=g.user)
    return _commit({"official": get_official(username[:80]), "dry_run": False,
                    "released": [t.id for t in released]})


@blp.route("/security/accounts/<username>/enable", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, OfficialSchema)
def enable(username):
    """Let a disabled administrator's account sign in again (security administrator); audited."""
    _security_admin("enable administrators' accounts")
    return _commit(accounts.enable_user(username[:80], actor=g.user))


@blp.route("/security/policy", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, PolicyItemSchema(many=True))
def get_policy():
    """The password and session policies in force, with their defaults (security admin)."""
    security_admin.require(g.user, SECURITY_ADMIN_ROLES, "see the security policies")
    return policy.policy()


@blp.route("/security/policy", methods=["PUT"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(PolicyChangeSchema())
@blp.response(200, PolicyItemSchema(many=True))
def put_policy(body):
    """Change password and session policies (security administrator; 422 per field; audited);
    a policy left out stays, null puts it back to the installation's default."""
    return policy.set_policy(body, g.user)
