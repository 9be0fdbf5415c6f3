"""Resettlement progress (签约率, 交房率, 安置率, 办证率) and overdue resettlement (逾期未安置)."""
import io

from flask import g, send_file
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..converters import LARGEST_ID
from ..database import writes
from ..models.housing import OVERDUE_TYPES
from ..services.households import overdue, overdue_ledger, progress
from .housing import XLSX
from .schemas import LocalDateTime, Trimmed
from .security import BEARER, auth_required

blp = Blueprint("resettlement", __name__, url_prefix="/api/v1",
                description="Household progress and overdue resettlement (逾期未安置)")


class ProgressSchema(Schema):
    project_id = fields.Integer()
    project = fields.String()
    district = fields.String()
    households = fields.Integer()
    signed = fields.Integer()
    handed_over = fields.Integer()
    resettled = fields.Integer(metadata={"description": "in kind moved in, monetary paid"})
    certified = fields.Integer()
    in_kind = fields.Integer(metadata={"description": "in-kind and exchange households"})
    overdue = fields.Integer(metadata={"description": "open overdue-resettlement cases"})
    overdue_by_type = fields.Dict(keys=fields.String(), values=fields.Integer())
    signing_rate = fields.Float(allow_none=True, metadata={"description": "% of households"})
    handover_rate = fields.Float(allow_none=True)
    resettlement_rate = fields.Float(allow_none=True)
    certificate_rate = fields.Float(allow_none=True,
                                    metadata={"description": "% of in-kind/exchange households"})
    area = fields.Float(metadata={"description": "legal building area, m²"})


class ProgressQuerySchema(Schema):
    by = fields.String(load_default="district", validate=validate.OneOf(["district", "project"]))
    district = fields.String(validate=validate.Length(max=40))


class CaseQuerySchema(Schema):
    status = fields.String(load_default="open", validate=validate.OneOf(["open", "closed", "all"]))
    district = fields.String(validate=validate.Length(max=40))
    project_id = fields.Integer(validate=validate.Range(min=1, max=LARGEST_ID))
    type = fields.String(validate=validate.OneOf(OVERDUE_TYPES))


class CaseSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    project_id = fields.Integer()
    district = fields.String()
    opened_on = fields.Date()
    promised_on = fields.Date(allow_none=True)
    type = fields.String(metadata={"description": "one of " + ", ".join(OVERDUE_TYPES)})
    type_label = fields.Function(lambda c: overdue_ledger.TYPE_LABELS.get(c.type, c.type))
    cause = fields.String()
    plan = fields.String()
    escalated_on = fields.Date(allow_none=True, metadata={
        "description": "when the case went on to the leading-group office (open a month)"})
    closed_on = fields.Date(allow_none=True)
    close_note = fields.String(allow_none=True)
    closed_by_id = fields.Integer(allow_none=True)
    updated_at = LocalDateTime()


class ClassifySchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(OVERDUE_TYPES))
    cause = Trimmed(required=True, validate=validate.Length(min=1, max=2000))
    plan = Trimmed(load_default="", validate=validate.Length(max=4000))


class CaseCloseSchema(Schema):
    note = Trimmed(required=True, validate=validate.Length(min=1, max=2000))


class TypeSchema(Schema):
    key = fields.String()
    label = fields.String()


@blp.route("/projects/<int:project_id>/progress", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, ProgressSchema)
def project_progress(project_id):
    """The project's household figures and rates (percent, one decimal; null with no
    households)."""
    return progress.project_progress(g.user, project_id)


@blp.route("/progress", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ProgressQuerySchema(), location="query")
@blp.response(200, ProgressSchema(many=True))
def progress_table(query):
    """Figures per district (or per project) the caller may see."""
    if query["by"] == "project":
        return progress.by_project(g.user, query.get("district"))
    return progress.by_district(g.user, query.get("district"))


@blp.route("/overdue-types", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, TypeSchema(many=True))
def types():
    """Types of overdue resettlement (002 二(二), 003 三) for the select list."""
    return [{"key": k, "label": overdue_ledger.TYPE_LABELS[k]} for k in OVERDUE_TYPES]


@blp.route("/overdue-cases", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(CaseQuerySchema(), location="query")
@blp.response(200, CaseSchema(many=True))
@blp.paginate()
def cases(query, pagination_parameters):
    """The overdue-resettlement ledger, oldest first."""
    rows, total = overdue.list_cases(g.user, page=pagination_parameters.page,
                                     per_page=pagination_parameters.page_size, **query)
    pagination_parameters.item_count = total
    return rows


@blp.route("/overdue-cases/export", methods=["GET"])
@auth_required
@blp.doc(security=BEARER, responses={200: {"description": "XLSX: 项目台账 and 逐户明细"}})
@blp.arguments(CaseQuerySchema(), location="query")
@writes
def export(query):
    """The ledger (逾期未安置台账) as XLSX, columns of 003 四(一); audited."""
    name, content = overdue_ledger.build_ledger(g.user, **query)
    return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name=name)


@blp.route("/overdue-cases/<int:case_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, CaseSchema)
def case(case_id):
    """One case."""
    return overdue.get_case(g.user, case_id)


@blp.route("/overdue-cases/<int:case_id>/classify", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ClassifySchema())
@blp.response(200, CaseSchema)
def classify(body, case_id):
    """Record the case's type, cause and plan (一户一案)."""
    return overdue.classify(g.user, case_id, body["type"], body["cause"], body["plan"])


@blp.route("/overdue-cases/<int:case_id>/close", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(CaseCloseSchema())
@blp.response(200, CaseSchema)
def close(body, case_id):
    """销号: close the case off with a note."""
    return overdue.close(g.user, case_id, body["note"])
