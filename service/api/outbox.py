"""The e-mail outbox for administrators: mails that keep failing, retry now, give up."""
from flask import g
from .paged import Blueprint, set_page

from ..services.notices import outbox
from .deadline_schemas import AbandonSchema, OutboxMailSchema, OutboxQuerySchema
from .security import BEARER, auth_required

blp = Blueprint("outbox", __name__, url_prefix="/api/v1/outbox",
                description="E-mail outbox (administrators)")


@blp.route("", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(OutboxQuerySchema(), location="query")
@blp.response(200, OutboxMailSchema(many=True))
@blp.paginate()
def index(query, pagination_parameters):
    """Mails in the outbox: failing (default), pending, sent or abandoned; newest first."""
    found = outbox.list_mails(g.user, query["scope"], pagination_parameters.page,
                              pagination_parameters.page_size, query.get("cursor"))
    set_page(pagination_parameters, found)
    return found.rows


@blp.route("/<int:mail_id>/retry", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, OutboxMailSchema)
def retry(mail_id):
    """Send a waiting mail at the next outbox run, without waiting out its back-off."""
    return outbox.retry(g.user, mail_id)


@blp.route("/<int:mail_id>/abandon", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(AbandonSchema())
@blp.response(200, OutboxMailSchema)
def abandon(body, mail_id):
    """Stop trying to send a mail, with a reason; the notice stays in the official's inbox."""
    return outbox.abandon(g.user, mail_id, body["reason"])
