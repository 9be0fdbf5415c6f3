"""The resettlement-housing pool (安置房源): units, import, the pool's state, reservations."""
import io

from flask import g, send_file
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from ..converters import LARGEST_ID
from ..services.households import pool, pool_import
from .deskschemas import UploadFileSchema
from .schemas import LocalDateTime, Trimmed
from .security import BEARER, auth_required

blp = Blueprint("housing", __name__, url_prefix="/api/v1",
                description="Resettlement-housing pool (安置房源) and reservations")

STATUSES = ("idle", "reserved", "allocated")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UnitSchema(Schema):
    id = fields.Integer(dump_only=True)
    estate = Trimmed(required=True, validate=validate.Length(min=1, max=100))
    district = Trimmed(required=True, validate=validate.Length(min=1, max=40))
    building = Trimmed(required=True, validate=validate.Length(min=1, max=40))
    unit_number = Trimmed(required=True, validate=validate.Length(min=1, max=40))
    area = fields.Float(required=True, validate=validate.Range(min=5, max=1000),
                        metadata={"description": "building area, m²"})
    layout = Trimmed(load_default="", validate=validate.Length(max=40))
    owner_unit = Trimmed(load_default="", validate=validate.Length(max=100),
                         metadata={"description": "owning unit (产权单位)"})
    existing_stock = fields.Boolean(load_default=False,
                                    metadata={"description": "existing stock (存量), offered "
                                                             "first"})
    status = fields.String(dump_only=True, metadata={"description": "idle 闲置 | reserved 备选 "
                                                                    "| allocated 已安置"})
    reserved_project_id = fields.Integer(dump_only=True, allow_none=True)
    household_id = fields.Integer(dump_only=True, allow_none=True)
    times_offered = fields.Integer(dump_only=True)
    flagged = fields.Function(lambda u: pool.is_flagged(u), dump_only=True,
                              metadata={"description": "offered twice or more and still not "
                                                       "allocated (调剂两次以上未分配)"})
    reserved_at = LocalDateTime(dump_only=True, allow_none=True)
    allocated_at = LocalDateTime(dump_only=True, allow_none=True)


class UnitQuerySchema(Schema):
    district = fields.String(validate=validate.Length(max=40))
    estate = fields.String(validate=validate.Length(max=100))
    status = fields.String(validate=validate.OneOf(STATUSES))
    existing_stock = fields.Boolean()
    project_id = fields.Integer(validate=validate.Range(min=1, max=LARGEST_ID))
    flagged = fields.Boolean()


class DryRunSchema(Schema):
    dry_run = fields.Boolean(load_default=False)


class UnitImportResultSchema(Schema):
    rows = fields.Integer()
    imported = fields.Integer()
    dry_run = fields.Boolean()


class SummaryQuerySchema(Schema):
    by = fields.String(load_default="estate", validate=validate.OneOf(["estate", "district"]))


class SummarySchema(Schema):
    key = fields.String(metadata={"description": "estate or district"})
    district = fields.String()
    units = fields.Integer()
    idle = fields.Integer()
    reserved = fields.Integer()
    allocated = fields.Integer()
    stock_idle = fields.Integer(metadata={"description": "idle existing-stock units"})
    flagged = fields.Integer()
    area = fields.Float()


class ReservationSchema(Schema):
    unit_ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=LARGEST_ID)),
                           required=True, validate=validate.Length(min=1, max=2000))
    new_build_reason = Trimmed(load_default=None, validate=validate.Length(max=2000),
                               metadata={"description": "why idle existing stock of the "
                                                        "district does not fit (000 三(三)2)"})


class ReservationReleaseSchema(Schema):
    reason = Trimmed(required=True, validate=validate.Length(min=1, max=2000))


class ReservationSummarySchema(Schema):
    project_id = fields.Integer()
    units_reserved = fields.Integer()
    stock_units_used = fields.Integer()
    area = fields.Float()


@blp.route("/housing-units", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(UnitQuerySchema(), location="query")
@blp.response(200, UnitSchema(many=True))
@blp.paginate()
def index(query, pagination_parameters):
    """Units of the pool the caller may see; existing stock first (offered first)."""
    rows, total = pool.list_units(g.user, page=pagination_parameters.page,
                                  per_page=pagination_parameters.page_size, **query)
    pagination_parameters.item_count = total
    return rows


@blp.route("/housing-units", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(UnitSchema())
@blp.response(201, UnitSchema)
def create(body):
    """Enter one unit into the pool (idle)."""
    return pool.create_unit(g.user, body)


@blp.route("/housing-units/<int:unit_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, UnitSchema)
def show(unit_id):
    """One unit."""
    return pool.get_unit(g.user, unit_id)


@blp.route("/housing-units/import", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(DryRunSchema(), location="query")
@blp.arguments(UploadFileSchema(), location="files")
@blp.response(200, UnitImportResultSchema)
def import_units(query, files):
    """Import units from XLSX (template: GET /housing-units/template); any bad row answers
    422 with `errors` per row and column and imports nothing; `dry_run=true` only checks."""
    return pool_import.import_units(g.user, files["file"].read(), query["dry_run"])


@blp.route("/housing-units/template", methods=["GET"])
@auth_required
@blp.doc(security=BEARER, responses={200: {"description": "XLSX template"}})
def template():
    """The XLSX template with the Chinese headings."""
    return send_file(io.BytesIO(pool_import.template()), mimetype=XLSX, as_attachment=True,
                     download_name="安置房源导入模板.xlsx")


@blp.route("/housing-units/summary", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(SummaryQuerySchema(), location="query")
@blp.response(200, SummarySchema(many=True))
def summary(query):
    """The pool's state per estate or district (idle / reserved / allocated, flagged)."""
    return pool.pool_summary(g.user, query["by"])


@blp.route("/projects/<int:project_id>/housing-reservations", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ReservationSchema())
@blp.response(200, ReservationSummarySchema)
def reserve(body, project_id):
    """Reserve idle units for the project (备选), all or none; 409 names a unit another
    project holds, or idle existing stock left out without `new_build_reason`."""
    return pool.reserve_units(g.user, project_id, body["unit_ids"], body["new_build_reason"])


@blp.route("/projects/<int:project_id>/housing-reservations", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, ReservationSummarySchema)
def reservations(project_id):
    """What the ledger holds for the project (list the units with
    GET /housing-units?project_id=…)."""
    from ..services.approval.projects import get_project
    return pool.reservation_summary(get_project(g.user, project_id))


@blp.route("/projects/<int:project_id>/housing-reservations/<int:unit_id>/release",
           methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(ReservationReleaseSchema())
@blp.response(200, ReservationSummarySchema)
def release(body, project_id, unit_id):
    """Give a reserved, not yet allocated unit back to the pool, with a reason."""
    return pool.release_reservation(g.user, project_id, unit_id, body["reason"])
