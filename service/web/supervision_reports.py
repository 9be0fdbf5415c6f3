"""Supervisors' statistics (tables and a bar chart), monthly reports and the forecast."""
import datetime as dt

from flask import render_template, request
from flask_login import current_user

from ..api.deadline_schemas import PreviewQuerySchema, ReportQuerySchema, StatisticsQuerySchema
from ..clock import SHANGHAI
from ..services.deadlines import reports, statistics, sweep
from ..services.runtime import runtime
from .pageforms import parse_or
from .supervision import bp


@bp.route("/statistics")
def statistics_page():
    """Open, due soon, overdue, on-time rate and working days per step, by district or office."""
    query = parse_or(StatisticsQuerySchema(), request.args, {"by": "district"})
    rows = statistics.statistics(current_user, **query)
    peak = max([r["open"] for r in rows] + [1])
    return render_template("supervision/statistics.html", rows=rows, by=query["by"], peak=peak)


@bp.route("/reports")
def reports_page():
    """Filed monthly progress reports."""
    query = parse_or(ReportQuerySchema(), request.args, {})
    return render_template("supervision/reports.html",
                           rows=reports.list_reports(current_user, **query), query=query)


@bp.route("/forecast")
def forecast_page():
    """What will be yellow, red and level 2 at a chosen moment (changes nothing)."""
    default = (runtime().clock.now().astimezone(SHANGHAI) + dt.timedelta(days=7))
    raw = request.args.get("at") or default.strftime("%Y-%m-%dT%H:%M")
    query = parse_or(PreviewQuerySchema(), {"at": raw}, {"at": default})
    result = sweep.forecast(query["at"], current_user.district)
    return render_template("supervision/forecast.html", result=result, at=raw)
