"""Process definitions: deploy (or only validate), list, show, diff, roll back, migrate."""
import json

from flask import g, jsonify, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from ..i18n import select_locale
from ..services.policy import definitions, migration, versions
from ..services.errors import Invalid
from .definition_schemas import (
    DefinitionQuerySchema, DefinitionSchema, DefinitionSummarySchema, DeployQuerySchema,
    DeployUploadSchema, DiffQuerySchema, DiffSchema, MigrationReportSchema,
    MigrationRequestSchema, RollbackSchema, ValidationResultSchema)
from .security import BEARER, auth_required

blp = Blueprint("process_definitions", __name__, url_prefix="/api/v1/process-definitions",
                description="Versioned process definitions (policy staff and administrators "
                            "change them)")


def _text(data, field):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("the upload is not UTF-8 text", errors={field: ["must be UTF-8 text"]})


def _json(text, field):
    try:
        return json.loads(text)
    except ValueError as exc:
        raise Invalid("form definitions are not valid JSON",
                      errors={field: [f"not valid JSON: {exc}"]}) from None


def _upload_fields(query):
    """The diagram, forms and note from multipart, a JSON body, or a raw XML body."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        raw = {"xml": _text(upload.read(), "file") if upload else request.form.get("xml"),
               "note": request.form.get("note", query.get("note", ""))}
        parts = [_json(_text(f.read(), "forms"), "forms") for f in request.files.getlist("forms")]
        if parts:
            raw["forms"] = [f for part in parts for f in (part if isinstance(part, list)
                                                          else [part])]
        elif request.form.get("forms"):
            raw["forms"] = _json(request.form["forms"], "forms")
        return raw
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise Invalid("the JSON body must be an object", errors={"json": ["not an object"]})
        return {"note": query.get("note", ""), **body}
    return {"xml": _text(request.get_data(), "file"), "note": query.get("note", "")}


def read_upload(query):
    """The upload parsed by its schema; Invalid (422) per field when it is wrong."""
    raw = {k: v for k, v in _upload_fields(query).items() if v is not None}
    try:
        body = DeployUploadSchema().load(raw)
    except ValidationError as exc:
        errors = dict(exc.messages)
        if "xml" in errors:
            errors["file"] = ["give the BPMN file (multipart field 'file') or the XML as the "
                              "request body"]
            del errors["xml"]
        raise Invalid("the upload is incomplete", errors=errors) from None
    return body


@blp.route("", methods=["POST"])
@auth_required
@blp.doc(security=BEARER, requestBody={"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"},
        "forms": {"type": "string", "format": "binary"}, "note": {"type": "string"}}}},
    "application/xml": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "object"}}}})
@blp.arguments(DeployQuerySchema(), location="query")
@blp.response(201, DefinitionSchema)
@blp.alt_response(200, schema=DefinitionSchema, description="unchanged, or validate_only")
@blp.alt_response(422, description="refused: a list of problems, each with its element id")
def deploy(query):
    """Deploy a BPMN diagram with its forms as a new version (or only check it)."""
    body = read_upload(query)
    result, created = definitions.deploy_upload(
        g.user, body["xml"], body["forms"], body["note"], query["validate_only"],
        select_locale(g.user))
    if query["validate_only"]:
        return jsonify(ValidationResultSchema().dump(result)), 200
    definitions.mark_latest([result])
    result.created = created
    return jsonify(DefinitionSchema().dump(result)), 201 if created else 200


@blp.route("", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(DefinitionQuerySchema(), location="query")
@blp.response(200, DefinitionSummarySchema(many=True))
def index(query):
    """Every deployed version, newest first per process."""
    return definitions.mark_latest(definitions.all_definitions(query.get("key")))


@blp.route("/<int:definition_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, DefinitionSchema)
def show(definition_id):
    """One version with its BPMN XML, forms and user tasks."""
    return definitions.mark_latest([definitions.get_definition(definition_id)])[0]


@blp.route("/<int:definition_id>/diff", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(DiffQuerySchema(), location="query")
@blp.response(200, DiffSchema)
def diff(query, definition_id):
    """What changed from the previous version (or `against`) to this one."""
    return versions.compare(definition_id, query.get("against"))


@blp.route("/<int:definition_id>/rollback", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(RollbackSchema())
@blp.response(201, DefinitionSchema)
def rollback(body, definition_id):
    """Make this earlier version what new projects get, as a new version."""
    definition = versions.rollback(g.user, definition_id, body["note"], select_locale(g.user))
    return definitions.mark_latest([definition])[0]


@blp.route("/<int:definition_id>/migration/dry-run", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(MigrationRequestSchema())
@blp.response(200, MigrationReportSchema(many=True))
def migration_dry_run(body, definition_id):
    """For each chosen project: can it move to this version, and what would change."""
    return migration.dry_run(g.user, definition_id, body.get("project_ids"),
                             body.get("source_id"), body["mapping"], select_locale(g.user))


@blp.route("/<int:definition_id>/migration", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(MigrationRequestSchema())
@blp.response(200, MigrationReportSchema(many=True))
def migrate(body, definition_id):
    """Move the chosen projects to this version, one transaction each; report every project."""
    return migration.migrate(g.user, definition_id, body.get("project_ids"),
                             body.get("source_id"), body["mapping"], select_locale(g.user))
