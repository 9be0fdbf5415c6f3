"""Enrolling one's own authenticator (TOTP) over the API: begin, confirm with a first code,
then sign in for a token with a code (issue 18)."""
import base64

import pyotp
from sqlalchemy import select

from conftest import PASSWORD, ApiUser
from service.extensions import db
from service.models import AuditEvent

TOKEN = "/api/v1/auth/token"
BEGIN, CONFIRM = "/api/v1/account/totp", "/api/v1/account/totp/confirm"


def _enrolments(app):
    with app.app_context():
        return [(e.actor.username, e.detail["username"]) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "totp_enrol"))]


def test_enrol_over_the_api_then_sign_in_with_a_code(app, client, clock):
    office = ApiUser(client, "jingkou_office")
    begun = office.post(BEGIN)
    assert begun.status_code == 200, begun.json
    secret = begun.json["secret"]
    assert begun.json["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={secret}" in begun.json["otpauth_uri"]
    png = begun.json["qr_png"]
    assert png.startswith("data:image/png;base64,")
    assert base64.b64decode(png.split(",", 1)[1]).startswith(b"\x89PNG")
    # Nothing is kept until confirmed: sign-ins still need no code.
    assert client.post(TOKEN, json={"username": "jingkou_office",
                                    "password": PASSWORD}).status_code == 200

    totp = pyotp.TOTP(secret)
    wrong = office.post(CONFIRM, json={"secret": secret, "code": "000000"})
    assert wrong.status_code == 422 and "code" in wrong.json["errors"]
    bad_secret = office.post(CONFIRM, json={"secret": "not base32!", "code": "000000"})
    assert bad_secret.status_code == 422 and "secret" in bad_secret.json["errors"]["json"]
    assert _enrolments(app) == []

    done = office.post(CONFIRM, json={"secret": secret,
                                      "code": totp.at(clock.now().timestamp())})
    assert done.status_code == 200 and done.json == {"username": "jingkou_office",
                                                      "totp_enabled": True}
    assert _enrolments(app) == [("jingkou_office", "jingkou_office")]

    clock.advance(minutes=1)
    needs_code = client.post(TOKEN, json={"username": "jingkou_office", "password": PASSWORD})
    assert needs_code.status_code == 401 and "code" in needs_code.json["errors"]
    signed_in = client.post(TOKEN, json={"username": "jingkou_office", "password": PASSWORD,
                                         "code": totp.at(clock.now().timestamp())})
    assert signed_in.status_code == 200 and signed_in.json["token"]

    # A token alone does not replace the authenticator: a security administrator resets it.
    bearer = {"Authorization": f"Bearer {signed_in.json['token']}"}
    assert client.post(BEGIN, headers=bearer).status_code == 409
    other = pyotp.random_base32()
    replaced = client.post(CONFIRM, headers=bearer, json={
        "secret": other, "code": pyotp.TOTP(other).at(clock.now().timestamp())})
    assert replaced.status_code == 409
    assert _enrolments(app) == [("jingkou_office", "jingkou_office")]


def test_the_enrolment_calls_need_a_token(client):
    assert client.post(BEGIN).status_code == 401
    assert client.post(CONFIRM, json={"secret": "A" * 32, "code": "123456"}).status_code == 401
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert BEGIN in paths and CONFIRM in paths
