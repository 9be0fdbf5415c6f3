"""The security administrator's calls (unlock, second-factor reset) and the audit
administrator's (the trail and its verification; read only)."""
import json

from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..extensions import db
from ..roles import AUDIT_ADMIN_ROLES
from ..services.people import security_admin
from ..services.records.audit_list import list_events
from ..services.records.chain_check import heads_file, read_heads, verify
from .paged import cursor_field
from ..converters import LARGEST_ID
from .security import BEARER, auth_required

blp = Blueprint("security_audit", __name__, url_prefix="/api/v1",
                description="Account security (security administrator) and the audit trail "
                            "(audit administrator)")


class AccountResultSchema(Schema):
    username = fields.String()


class BreakSchema(Schema):
    problem = fields.String()
    message = fields.String()
    seq = fields.Integer()
    id = fields.Integer()


class HeadSchema(Schema):
    seq = fields.Integer()
    hash = fields.String()


class VerifySchema(Schema):
    ok = fields.Boolean()
    checked = fields.Integer()
    last = fields.Integer()
    head = fields.Nested(HeadSchema)
    first_break = fields.Nested(BreakSchema, allow_none=True)


class EventQuerySchema(Schema):
    action = fields.String(validate=validate.Length(max=40))
    actor = fields.String(validate=validate.Length(max=80))
    project_id = fields.Integer(validate=validate.Range(min=1, max=LARGEST_ID))
    before_seq = fields.Integer(validate=validate.Range(min=1, max=2 ** 62))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    cursor = cursor_field()


class EventSchema(Schema):
    id = fields.Integer()
    seq = fields.Integer()
    at = fields.DateTime()
    action = fields.String()
    actor = fields.Function(lambda e: e.actor.username if e.actor else None)
    project_id = fields.Integer(allow_none=True)
    task_id = fields.Integer(allow_none=True)
    detail = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()


def _committed(result):
    db.session.commit()
    return {"username": result.username}


@blp.route("/security/accounts/<username>/unlock", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, AccountResultSchema)
def unlock(username):
    """Lift an account's sign-in lock (security administrator); audited."""
    return _committed(security_admin.unlock(username[:80], g.user))


@blp.route("/security/accounts/<username>/totp-reset", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, AccountResultSchema)
def totp_reset(username):
    """Remove an official's authenticator so they enrol again (another administrator)."""
    return _committed(security_admin.reset_totp(username[:80], g.user))


@blp.route("/audit/verify", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, VerifySchema)
def verify_chain():
    """Walk the audit hash chain and name the first broken row (audit administrator)."""
    security_admin.require(g.user, AUDIT_ADMIN_ROLES, "read the audit trail")
    return verify(heads=read_heads(heads_file()))


@blp.route("/audit/events", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(EventQuerySchema(), location="query")
@blp.response(200, EventSchema(many=True))
def events(query):
    """Audit rows, newest first, by action, official and project (audit administrator); the
    X-Pagination header has the total (capped: total_capped) and next_cursor for the next
    `limit` rows."""
    found = list_events(g.user, per_page=query.pop("limit"), **query)
    paging = {"total": found.total, **({"total_capped": True} if found.capped else {}),
              **({"next_cursor": found.next_cursor} if found.next_cursor else {})}
    return found.rows, 200, {"X-Pagination": json.dumps(paging)}
