"""The administrator's page of the e-mail outbox: mails that keep failing, retry, give up."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ..services.notices import outbox
from ..roles import SYSTEM_ADMIN_ROLES
from .pageforms import keyset_args, only_for, pager_view, run, submit

bp = Blueprint("outbox_admin", __name__, url_prefix="/admin/outbox")
only_for(bp, *SYSTEM_ADMIN_ROLES)
PER_PAGE = 50


class AbandonFormSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


@bp.route("/")
def mails():
    """Mails of one tab (failing by default), with how many each tab holds."""
    scope = request.args.get("scope", "failing")
    if scope not in outbox.SCOPES:
        scope = "failing"
    page, cursor = keyset_args()
    found = outbox.list_mails(current_user, scope, page, PER_PAGE, cursor)
    return render_template("admin/outbox.html", rows=found.rows, scope=scope, page=page,
                           **pager_view(found, page, PER_PAGE),
                           counts=outbox.counts(current_user))


@bp.route("/<int:mail_id>/retry", methods=["POST"])
def retry(mail_id):
    """Send a waiting mail at the next outbox run."""
    run(lambda: outbox.retry(current_user, mail_id),
        _("The mail will be sent at the next outbox run."))
    return redirect(url_for(".mails", scope=request.form.get("scope", "failing")))


@bp.route("/<int:mail_id>/abandon", methods=["POST"])
def abandon(mail_id):
    """Stop trying to send a mail, with a reason."""
    submit(AbandonFormSchema(),
           lambda body: outbox.abandon(current_user, mail_id, body["reason"]),
           _("The mail is no longer retried; the notice stays in the inbox."))
    return redirect(url_for(".mails", scope=request.form.get("scope", "failing")))
