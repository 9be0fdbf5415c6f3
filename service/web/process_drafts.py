"""Drafts saved on the server from the modeler and the form editor (JSON for their scripts)."""
from flask import Blueprint, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..api.definition_schemas import DefinitionSchema
from ..api.draft_schemas import (ProcessDraftCreateSchema, ProcessDraftDeploySchema,
                                 ProcessDraftSchema, ProcessDraftUpdateSchema)
from ..errors import error_body
from ..services.policy import drafts
from ..services.errors import ServiceError
from .pageforms import parse, run
from .processes import _locale, json_refusal, rule_editor_required

bp = Blueprint("process_draft_pages", __name__, url_prefix="/desk/processes/drafts")


def _body(schema):
    """The JSON body parsed by `schema`, or (None, a 422 answer)."""
    values, errors = parse(schema, request.get_json(silent=True) or {})
    if errors:
        return None, (jsonify(error_body(422, _("The draft cannot be saved."), errors)), 422)
    return values, None


def _dump(draft):
    draft.form_warnings = drafts.form_warnings(draft)
    return jsonify(ProcessDraftSchema().dump(draft))


@bp.route("", methods=["POST"])
@rule_editor_required
def create():
    """Save a new draft (JSON)."""
    values, refusal = _body(ProcessDraftCreateSchema())
    if refusal:
        return refusal
    try:
        return _dump(drafts.save_draft(current_user, **values)), 201
    except ServiceError as exc:
        return json_refusal(exc)


@bp.route("/<int:draft_id>", methods=["PUT"])
@rule_editor_required
def update(draft_id):
    """Replace the fields given of a draft (JSON)."""
    values, refusal = _body(ProcessDraftUpdateSchema())
    if refusal:
        return refusal
    try:
        return _dump(drafts.update_draft(current_user, draft_id, **values))
    except ServiceError as exc:
        return json_refusal(exc)


@bp.route("/<int:draft_id>/deploy", methods=["POST"])
@rule_editor_required
def deploy(draft_id):
    """Deploy a draft with a change note (JSON); problems come back as 422 like the check."""
    values, refusal = _body(ProcessDraftDeploySchema())
    if refusal:
        return refusal
    try:
        definition, created = drafts.deploy_draft(current_user, draft_id, values["note"],
                                                  _locale())
    except ServiceError as exc:
        return json_refusal(exc)
    return jsonify({"ok": True, "created": created, "version": definition.version,
                    "definition": DefinitionSchema(only=("id", "key", "version")).dump(
                        definition),
                    "url": url_for("processes.version", definition_id=definition.id)})


@bp.route("/<int:draft_id>/delete", methods=["POST"])
@rule_editor_required
def delete(draft_id):
    """Delete a draft from a page's list, then go back to that page."""
    back = request.form.get("next", "")
    if not back.startswith("/desk/processes") or "//" in back:
        back = url_for("processes.index")
    run(lambda: drafts.delete_draft(current_user, draft_id), _("Draft deleted."))
    return redirect(back)
