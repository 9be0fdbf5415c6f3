"""Process drafts: policy staff save, reopen, update, delete and deploy them on the server."""
from functools import wraps

from flask import g, jsonify
from flask_smorest import Blueprint

from ..i18n import select_locale
from ..services.policy import definitions, drafts
from .definition_schemas import DefinitionSchema
from .draft_schemas import (
    ProcessDraftCreateSchema, ProcessDraftDeploySchema, ProcessDraftQuerySchema,
    ProcessDraftSchema, ProcessDraftSummarySchema, ProcessDraftUpdateSchema)
from .security import BEARER, auth_required

blp = Blueprint("process_drafts", __name__, url_prefix="/api/v1/process-drafts",
                description="Drafts of processes kept on the server (policy staff and "
                            "administrators)")


def editor_required(view):
    """A bearer token of policy staff or an administrator (403 before the body is read)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        definitions.require_rule_editor(g.user)
        return view(*args, **kwargs)
    return auth_required(wrapper)


def with_warnings(draft):
    """The draft with the problems the deployment checks will find in its forms."""
    draft.form_warnings = drafts.form_warnings(draft)
    return draft


@blp.route("", methods=["GET"])
@editor_required
@blp.doc(security=BEARER)
@blp.arguments(ProcessDraftQuerySchema(), location="query")
@blp.response(200, ProcessDraftSummarySchema(many=True))
def index(query):
    """Drafts not yet deployed (of one process if `key` is given), latest change first."""
    return drafts.list_drafts(g.user, query.get("key"), query["include_deployed"])


@blp.route("", methods=["POST"])
@editor_required
@blp.doc(security=BEARER)
@blp.arguments(ProcessDraftCreateSchema())
@blp.response(201, ProcessDraftSchema)
@blp.alt_response(422, description="the XML is not well-formed or safe, or a form is not a form")
def create(body):
    """Save a new draft (the diagram may still fail the deployment checks)."""
    return with_warnings(drafts.save_draft(g.user, **body))


@blp.route("/<int:draft_id>", methods=["GET"])
@editor_required
@blp.doc(security=BEARER)
@blp.response(200, ProcessDraftSchema)
def show(draft_id):
    """One draft with its BPMN XML and form definitions."""
    return with_warnings(drafts.get_draft(g.user, draft_id))


@blp.route("/<int:draft_id>", methods=["PUT"])
@editor_required
@blp.doc(security=BEARER)
@blp.arguments(ProcessDraftUpdateSchema())
@blp.response(200, ProcessDraftSchema)
@blp.alt_response(409, description="the draft was already deployed, or saved again since "
                  "`revision`")
def update(body, draft_id):
    """Replace the fields given of a draft."""
    return with_warnings(drafts.update_draft(g.user, draft_id, **body))


@blp.route("/<int:draft_id>", methods=["DELETE"])
@editor_required
@blp.doc(security=BEARER)
@blp.response(204)
def delete(draft_id):
    """Delete a draft."""
    drafts.delete_draft(g.user, draft_id)


@blp.route("/<int:draft_id>/deploy", methods=["POST"])
@editor_required
@blp.doc(security=BEARER)
@blp.arguments(ProcessDraftDeploySchema())
@blp.response(201, DefinitionSchema)
@blp.alt_response(200, schema=DefinitionSchema, description="unchanged: an identical version")
@blp.alt_response(422, description="refused: a list of problems, each with its element id")
@blp.alt_response(409, description="already deployed, or a simultaneous deployment")
def deploy(body, draft_id):
    """Deploy the draft as a new version (same checks as POST /process-definitions)."""
    definition, created = drafts.deploy_draft(g.user, draft_id, body["note"],
                                              select_locale(g.user))
    definitions.mark_latest([definition])
    definition.created = created
    return jsonify(DefinitionSchema().dump(definition)), 201 if created else 200
