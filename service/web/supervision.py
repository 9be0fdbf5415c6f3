"""The supervisors' desk: escalation cards (red, yellow, level 2), urge (催办), close off (销号),
exports of the list and the ledger (台账)."""
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..api.deadline_schemas import CloseSchema, EscalationQuerySchema, ExportQuerySchema, \
    UrgeSchema
from ..models import Department, District
from ..extensions import db
from ..services.deadlines import escalations
from ..services.records import exports
from ..services.errors import Forbidden
from .pageforms import flash_errors, keyset_args, pager_view, parse, parse_or, safe_next, \
    submit

bp = Blueprint("supervision", __name__, url_prefix="/supervision")
PER_PAGE = 50


@bp.before_request
@login_required
def _supervisors_only():
    try:
        escalations.require_supervisor(current_user)
    except Forbidden:
        abort(403)


def filter_choices():
    """Districts, offices and steps for the filter form (the steps from the deployed
    definitions: DISTINCT over the task rows would read them all)."""
    from sqlalchemy import select
    from ..services.approval.steps import deployed_steps
    steps = deployed_steps()
    return {"districts": db.session.scalars(select(District).order_by(District.code)).all(),
            "departments": db.session.scalars(select(Department).order_by(Department.code)).all(),
            "steps": steps}


@bp.route("/")
def escalation_list():
    """Escalation cards with filters: district, office, step, level, age, status."""
    filters = parse_or(EscalationQuerySchema(), request.args, {"status": "open"})
    page, cursor = keyset_args()
    found = escalations.list_escalations(current_user, page=page, per_page=PER_PAGE,
                                         cursor=cursor, **filters)
    # The export links name the table and format themselves; the rest are the filters.
    query = {k: v for k, v in request.args.items()
             if k not in ("page", "cursor", "format", "table")}
    return render_template("supervision/escalations.html", rows=found.rows, page=page,
                           **pager_view(found, page, PER_PAGE), filters=filters,
                           query=query, **filter_choices())


@bp.route("/<int:escalation_id>/urge", methods=["POST"])
def urge(escalation_id):
    """催办 from the card."""
    submit(UrgeSchema(), lambda body: escalations.urge(current_user, escalation_id, body["note"]),
           _("The office has been urged."))
    return redirect(safe_next(request.form.get("back")) or url_for(".escalation_list"))


@bp.route("/<int:escalation_id>/close", methods=["POST"])
def close(escalation_id):
    """销号 from the card, with a note."""
    submit(CloseSchema(), lambda body: escalations.close(current_user, escalation_id, body["note"]),
           _("The item is closed off."))
    return redirect(safe_next(request.form.get("back")) or url_for(".escalation_list"))


@bp.route("/export/<any(list, ledger):table>")
def export(table):
    """The list or the ledger as XLSX or CSV, with the page's filters."""
    query, errors = parse(ExportQuerySchema(), request.args)
    if errors:
        flash_errors(errors)
        return redirect(url_for(".escalation_list"))
    content, mimetype, filename = exports.export(current_user, table, query.pop("format"),
                                                 **query)
    return Response(content, content_type=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
