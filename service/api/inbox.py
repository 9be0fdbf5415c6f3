"""The caller's in-app inbox."""
from flask import g
from .paged import Blueprint, set_page

from ..i18n import select_locale
from ..services.notices import inbox
from .deadline_schemas import InboxQuerySchema, NotificationSchema, UnreadSchema
from .security import BEARER, auth_required

blp = Blueprint("inbox", __name__, url_prefix="/api/v1/inbox", description="Notices")


def _localised(rows):
    locale = select_locale(g.user)
    for row in rows:
        row.subject = row.subject_en if locale == "en" else row.subject_zh
        row.body = row.body_en if locale == "en" else row.body_zh
    return rows


@blp.route("", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(InboxQuerySchema(), location="query")
@blp.response(200, NotificationSchema(many=True))
@blp.paginate()
def index(query, pagination_parameters):
    """The caller's notices, newest first (X-Unread-Count header: unread notices)."""
    found = inbox.list_inbox(g.user, query["unread"], pagination_parameters.page,
                             pagination_parameters.page_size, query.get("cursor"))
    set_page(pagination_parameters, found)
    return _localised(found.rows), {"X-Unread-Count": str(inbox.unread_count(g.user))}


@blp.route("/unread-count", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, UnreadSchema)
def unread():
    """How many notices the caller has not read."""
    return {"unread_count": inbox.unread_count(g.user)}


@blp.route("/<int:notification_id>/read", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, NotificationSchema)
def read(notification_id):
    """Mark one notice read."""
    return _localised([inbox.mark_read(g.user, notification_id)])[0]


@blp.route("/read-all", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, UnreadSchema)
def read_all():
    """Mark every notice read."""
    inbox.mark_all_read(g.user)
    return {"unread_count": 0}
