"""The administrator's page for working-day calendar corrections."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from ..services.deadlines import calendar
from ..services.deadlines.month import month_view, parse_month
from ..roles import SYSTEM_ADMIN_ROLES
from .pageforms import only_for, submit

bp = Blueprint("calendar_admin", __name__, url_prefix="/admin/calendar")
only_for(bp, *SYSTEM_ADMIN_ROLES)


class DayFormSchema(Schema):
    day = fields.Date(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["workday", "holiday"]))
    note = fields.String(load_default="", validate=validate.Length(max=200))


class ClearFormSchema(Schema):
    day = fields.Date(required=True)


@bp.route("/")
def days():
    """Corrections in force, the form to add one, and a month of working days."""
    rows = calendar.list_days()
    year, month = parse_month(request.args.get("month"))
    view = month_view(year, month, [row.date for row in rows])
    return render_template("admin/calendar.html", rows=rows, view=view)


@bp.route("/set", methods=["POST"])
def set_day():
    """Mark a date as working day or day off."""
    row = submit(DayFormSchema(),
                 lambda body: calendar.set_day(body["day"], body["kind"] == "workday",
                                               body["note"], actor=current_user),
                 _("The calendar is corrected."))
    if row is not None:
        flash(_("%(count)s open tasks got a new due date.", count=row.changed_tasks))
    return redirect(url_for(".days"))


@bp.route("/clear", methods=["POST"])
def clear_day():
    """Remove a correction."""
    submit(ClearFormSchema(), lambda body: calendar.clear_day(body["day"], actor=current_user),
           _("The correction is removed."))
    return redirect(url_for(".days"))
