"""The household register (一户一档): import, list, one household, edits; bulk completion."""
import io

from flask import g, send_file
from marshmallow import Schema, fields, validate

from ..converters import LARGEST_ID
from ..i18n import select_locale
from ..models.households import STATUSES
from ..services.households import bulk, register, signing, views
from ..services.households.access import project_for_office
from .deskschemas import AttachmentSchema, UploadFileSchema
from .paged import Blueprint, cursor_field, set_page
from .schemas import AuditEventSchema, LocalDateTime, TaskSchema, Trimmed
from .security import BEARER, auth_required

blp = Blueprint("households", __name__, url_prefix="/api/v1",
                description="Household register (一户一档) and bulk completion")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class HouseholdImportQuerySchema(Schema):
    dry_run = fields.Boolean(load_default=False)


class HouseholdImportResultSchema(Schema):
    rows = fields.Integer()
    imported = fields.Integer()
    dry_run = fields.Boolean()


class HouseholdQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean(metadata={"description": "past the promised resettlement date"})
    settled = fields.Boolean()
    q = fields.String(validate=validate.Length(max=100),
                      metadata={"description": "household number, head of household, address"})
    building = fields.String(validate=validate.Length(max=40))
    cursor = cursor_field()


class HouseholdSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    number = fields.String(metadata={"description": "户号"})
    building = fields.String(allow_none=True)
    head_name = fields.String()
    id_number = fields.Function(lambda h: h.personal["id_number"],
                                metadata={"description": "masked unless the caller may see it"})
    phone = fields.Function(lambda h: h.personal["phone"])
    masked = fields.Function(lambda h: h.personal["masked"])
    address = fields.String()
    legal_area = fields.Float()
    property_type = fields.String(metadata={"description": "public | private | unlicensed"})
    choice = fields.String(metadata={"description": "in_kind | monetary | exchange"})
    family_size = fields.Integer()
    status = fields.String()
    overdue = fields.Boolean()
    signed_on = fields.Date(allow_none=True)
    handed_over_on = fields.Date(allow_none=True)
    allocated_on = fields.Date(allow_none=True)
    resettled_on = fields.Date(allow_none=True)
    certified_on = fields.Date(allow_none=True)
    paid_on = fields.Date(allow_none=True)
    promised_on = fields.Date(allow_none=True)
    transition_allowance = fields.Integer(allow_none=True, metadata={"description": "fen"})
    unit_id = fields.Integer(allow_none=True)
    unsettled_reason = fields.String(allow_none=True)
    updated_at = LocalDateTime()


class HouseholdFileSchema(HouseholdSchema):
    tasks = fields.List(fields.Nested(TaskSchema))
    history = fields.List(fields.Nested(AuditEventSchema))
    attachments = fields.List(fields.Nested(AttachmentSchema))


class HouseholdEditSchema(Schema):
    building = Trimmed(validate=validate.Length(max=40), allow_none=True)
    phone = Trimmed(validate=validate.Regexp(r"^[0-9-]{7,20}$"))
    address = Trimmed(validate=validate.Length(max=200))
    family_size = fields.Integer(validate=validate.Range(min=1, max=50))
    unsettled_reason = Trimmed(validate=validate.Length(max=2000), allow_none=True,
                               metadata={"description": "why the household is not settled at "
                                                        "the project's handover"})


class BulkCompleteSchema(Schema):
    task_ids = fields.List(fields.Integer(validate=validate.Range(min=1, max=LARGEST_ID)),
                           required=True,
                           validate=validate.Length(min=1, max=bulk.MAX_TASKS))
    data = fields.Dict(required=True, metadata={"description": "form values for every task"})


class BulkResultSchema(Schema):
    task_id = fields.Integer()
    completed = fields.Boolean()
    status = fields.Integer(metadata={"description": "200, or the error status of this task"})
    message = fields.String(allow_none=True)
    errors = fields.Raw(allow_none=True)


@blp.route("/projects/<int:project_id>/households/import", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(HouseholdImportQuerySchema(), location="query")
@blp.arguments(UploadFileSchema(), location="files")
@blp.response(200, HouseholdImportResultSchema)
def import_households(query, files, project_id):
    """Import the survey ledger (XLSX or CSV, template: …/households/template); any bad row
    answers 422 with `errors` per row and column and imports nothing; `dry_run` only checks."""
    return register.import_households(g.user, project_id, files["file"].read(),
                                      query["dry_run"])


class SigningResultSchema(BulkResultSchema):
    row = fields.Integer(metadata={"description": "row of the sheet"})
    number = fields.String(allow_none=True, metadata={"description": "household number"})


@blp.route("/projects/<int:project_id>/households/signing-results", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(UploadFileSchema(), location="files")
@blp.response(200, SigningResultSchema(many=True))
def signing_results(files, project_id):
    """Import a sheet of signing results (户号, 签约日期, optional 协议类型, 协议金额): each row
    completes that household's signing step on its own checks; the answer says per row."""
    return signing.import_signing_results(g.user, project_id, files["file"].read(),
                                          select_locale(g.user))


@blp.route("/projects/<int:project_id>/households/template", methods=["GET"])
@auth_required
@blp.doc(security=BEARER, responses={200: {"description": "XLSX template"}})
def template(project_id):
    """The survey-ledger template with the Chinese headings."""
    project_for_office(g.user, project_id)
    return send_file(io.BytesIO(register.template()), mimetype=XLSX, as_attachment=True,
                     download_name="调查摸底导入模板.xlsx")


@blp.route("/projects/<int:project_id>/households", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(HouseholdQuerySchema(), location="query")
@blp.response(200, HouseholdSchema(many=True))
@blp.paginate()
def index(query, pagination_parameters, project_id):
    """The project's register; ID numbers and phones masked."""
    found = views.list_households(g.user, project_id, page=pagination_parameters.page,
                                  per_page=pagination_parameters.page_size, **query)
    set_page(pagination_parameters, found)
    return found.rows


@blp.route("/households/<int:household_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, HouseholdFileSchema)
def show(household_id):
    """One household's file: data (full personal data only for the district office of its
    district, audited), status, its tasks and history."""
    return views.household_file(g.user, household_id)


@blp.route("/households/<int:household_id>", methods=["PATCH"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(HouseholdEditSchema())
@blp.response(200, HouseholdFileSchema)
def edit(body, household_id):
    """Correct a household's data or record why it is not settled (audited)."""
    return views.edit_household(g.user, household_id, body)


@blp.route("/tasks/bulk-complete", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(BulkCompleteSchema())
@blp.response(200, BulkResultSchema(many=True))
def bulk_complete(body):
    """Complete each task with the same values, each on its own checks and in its own
    transaction; the answer says per task whether it was completed or why not."""
    return bulk.bulk_complete(g.user, body["task_ids"], body["data"], select_locale(g.user))
