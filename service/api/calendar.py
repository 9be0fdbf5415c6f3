"""Working-day calendar corrections (administrators)."""
from flask import g
from flask_smorest import Blueprint

from ..services.deadlines import calendar
from .deadline_schemas import CalendarDaySchema, CalendarPathSchema, CalendarQuerySchema, \
    CalendarResultSchema, CalendarSetSchema, ClearResultSchema
from .security import BEARER, auth_required

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/calendar",
                description="Working-day calendar corrections")


@blp.route("/days", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(CalendarQuerySchema(), location="query")
@blp.response(200, CalendarDaySchema(many=True))
def index(query):
    """Corrections to the official calendar, by date."""
    return calendar.list_days(**query)


@blp.route("/days/<day>", methods=["PUT"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(CalendarPathSchema(), location="path")
@blp.arguments(CalendarSetSchema())
@blp.response(200, CalendarResultSchema)
def put(path, body, day):
    """Mark a date (YYYY-MM-DD) as working day or day off; recomputes open due dates."""
    return calendar.set_day(path["day"], body["is_workday"], body["note"], actor=g.user)


@blp.route("/days/<day>", methods=["DELETE"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(CalendarPathSchema(), location="path")
@blp.response(200, ClearResultSchema)
def delete(path, day):
    """Remove a correction; open tasks' due dates are recomputed."""
    return {"date": path["day"], "changed_tasks": calendar.clear_day(path["day"], actor=g.user)}
