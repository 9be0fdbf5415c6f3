"""POST /api/v1/auth/token."""
from flask import request
from flask_smorest import Blueprint
from marshmallow import fields, validate

from ..services.people import users
from .schemas import TokenRequestSchema, TokenSchema

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1/auth", description="Sign in for a token")


class SignInRequestSchema(TokenRequestSchema):
    # The authenticator code, for accounts with a second factor.
    code = fields.String(load_default=None, validate=validate.Length(max=12), load_only=True)


class SignInTokenSchema(TokenSchema):
    # When this account last signed in before, and the failed sign-ins on it since then.
    last_sign_in_at = fields.DateTime(allow_none=True)
    failed_attempts = fields.Integer()


@blp.route("/token", methods=["POST"])
@blp.arguments(SignInRequestSchema())
@blp.response(200, SignInTokenSchema)
def token(body):
    """Exchange username and password (and authenticator code) for a bearer token; 401 wrong,
    423 account locked, 429 too many failures from this address (Retry-After)."""
    return users.issue_token(body["username"], body["password"], request.remote_addr,
                             body.get("code"))


class PasswordChangeSchema(SignInRequestSchema):
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=200),
                                 load_only=True)


@blp.route("/password", methods=["POST"])
@blp.arguments(PasswordChangeSchema())
@blp.response(200, SignInTokenSchema)
def change_password(body):
    """Replace one's own password (required at the first sign-in of an account an
    administrator created or reset, and when it expired) and get a token; 422 lists what the
    new password lacks."""
    return users.token_after_password_change(
        body["username"], body["password"], body["new_password"], request.remote_addr,
        body.get("code"))
