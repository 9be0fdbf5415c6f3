"""The inbox page (消息) and the unread badge in every page's header."""
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..api.deadline_schemas import InboxQuerySchema
from ..services.notices import inbox as notices
from .desk import bp
from .pageforms import keyset_args, pager_view, parse, run

PER_PAGE = 50


@bp.route("/inbox")
@login_required
def inbox():
    """The official's notices, newest first."""
    query, _errors = parse(InboxQuerySchema(), request.args)
    page, cursor = keyset_args()
    found = notices.list_inbox(current_user, (query or {}).get("unread", False), page,
                               PER_PAGE, cursor)
    return render_template("desk/inbox.html", rows=found.rows, page=page,
                           **pager_view(found, page, PER_PAGE),
                           unread=(query or {}).get("unread", False))


@bp.route("/inbox/<int:notification_id>/read", methods=["POST"])
@login_required
def inbox_read(notification_id):
    """Mark one notice read."""
    run(lambda: notices.mark_read(current_user, notification_id), _("Marked as read."))
    return redirect(url_for(".inbox"))


@bp.route("/inbox/read-all", methods=["POST"])
@login_required
def inbox_read_all():
    """Mark every notice read."""
    run(lambda: notices.mark_all_read(current_user), _("All notices marked as read."))
    return redirect(url_for(".inbox"))
