"""An official's own authenticator (TOTP) over the API: begin, then confirm with a first code.
Stateless: the secret goes to the caller and comes back with the code."""
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..extensions import db
from ..services.people import security_admin
from .security import BEARER, auth_required

blp = Blueprint("account_totp", __name__, url_prefix="/api/v1/account",
                description="The caller's own second factor (authenticator app)")


class TotpBeginSchema(Schema):
    secret = fields.String(metadata={"description": "base32; send it back to confirm"})
    otpauth_uri = fields.String(metadata={"description": "the otpauth:// link for the app"})
    qr_png = fields.String(metadata={"description": "the link's QR code, a PNG data URI"})


class TotpConfirmSchema(Schema):
    # pyotp's secrets are base32; the account's column holds 64 characters.
    secret = fields.String(required=True, load_only=True, validate=validate.Regexp(
        r"^[A-Z2-7]{16,64}$", error="not the base32 secret POST /api/v1/account/totp gave"))
    code = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=12))


class TotpEnrolledSchema(Schema):
    username = fields.String()
    totp_enabled = fields.Boolean()


@blp.route("/totp", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, TotpBeginSchema)
def begin_totp():
    """A new authenticator secret with its otpauth:// link and QR code, kept nowhere until
    confirmed; 409 when one is already enrolled (a security administrator resets it)."""
    return security_admin.begin_totp(g.user)


@blp.route("/totp/confirm", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(TotpConfirmSchema())
@blp.response(200, TotpEnrolledSchema)
def confirm_totp(body):
    """Enrol the authenticator with the secret and a first code from it (audited
    `totp_enrol`); 422 on a wrong code. Sign-ins then ask for a code."""
    user = security_admin.confirm_totp(g.user, body["secret"], body["code"])
    db.session.commit()
    return {"username": user.username, "totp_enabled": True}
