"""The supervisors' desk: escalations, urge (催办), close off (销号), statistics, forecast,
exports of the list and the ledger (台账)."""
from flask import Response, g
from .paged import Blueprint, set_page

from ..services.deadlines import escalations, statistics, sweep
from ..services.records import exports
from .deadline_schemas import CloseSchema, EscalationListQuerySchema, EscalationSchema, \
    ExportQuerySchema, PreviewQuerySchema, PreviewSchema, StatisticsQuerySchema, \
    StatisticsSchema, UrgeSchema
from .security import BEARER, auth_required

blp = Blueprint("escalations", __name__, url_prefix="/api/v1/escalations",
                description="Escalations (督办) for supervisors")


@blp.route("", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(EscalationListQuerySchema(), location="query")
@blp.response(200, EscalationSchema(many=True))
@blp.paginate()
def index(query, pagination_parameters):
    """Escalations the supervisor may see (current level per item), most serious first."""
    found = escalations.list_escalations(g.user, page=pagination_parameters.page,
                                         per_page=pagination_parameters.page_size, **query)
    set_page(pagination_parameters, found)
    return found.rows


@blp.route("/<int:escalation_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, EscalationSchema)
def show(escalation_id):
    """One escalation."""
    return escalations.describe(escalations.get_escalation(g.user, escalation_id))


@blp.route("/<int:escalation_id>/urge", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(UrgeSchema())
@blp.response(200, EscalationSchema)
def urge(body, escalation_id):
    """催办: notify the responsible office again (recorded in the audit trail)."""
    return escalations.urge(g.user, escalation_id, body["note"])


@blp.route("/<int:escalation_id>/close", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(CloseSchema())
@blp.response(200, EscalationSchema)
def close(body, escalation_id):
    """销号: tick the item off with a note."""
    return escalations.close(g.user, escalation_id, body["note"])


@blp.route("/statistics", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(StatisticsQuerySchema(), location="query")
@blp.response(200, StatisticsSchema(many=True))
def stats(query):
    """Per district or per office: open, due soon, overdue, working days per step, on-time rate."""
    return statistics.statistics(g.user, **query)


@blp.route("/preview", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(PreviewQuerySchema(), location="query")
@blp.response(200, PreviewSchema)
def preview(query):
    """Forecast: what will be yellow, red and level 2 at a moment (changes nothing)."""
    escalations.require_supervisor(g.user)
    return sweep.forecast(query["at"], g.user.district or query.get("district"))


def _download(kind, query):
    content, mimetype, filename = exports.export(g.user, kind, query.pop("format"), **query)
    return Response(content, content_type=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.route("/export", methods=["GET"])
@auth_required
@blp.doc(security=BEARER, responses={"200": {"description": "XLSX or CSV file"}})
@blp.arguments(ExportQuerySchema(), location="query")
def export_list(query):
    """The escalation list (same filters) as XLSX or CSV."""
    return _download("list", query)


@blp.route("/ledger", methods=["GET"])
@auth_required
@blp.doc(security=BEARER, responses={"200": {"description": "XLSX or CSV file"}})
@blp.arguments(ExportQuerySchema(), location="query")
def export_ledger(query):
    """The ledger (台账): every level ever fired, with clearing and closing, as XLSX or CSV."""
    return _download("ledger", query)
