"""Schemas of the process-definition API: uploads, versions, diffs, migrations."""
from marshmallow import Schema, ValidationError, fields, validate

from .bounded import Id
from .schemas import LocalDateTime

MAX_FORMS = 100


class FormSet(fields.Field):
    """Form definitions as a list of forms or an object keyed by form key -> {key: form}."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = list(value.items()) if isinstance(value, dict) else \
            [(None, f) for f in value] if isinstance(value, list) else None
        if items is None:
            raise ValidationError("give a list of form definitions or an object keyed by form key")
        if len(items) > MAX_FORMS:
            raise ValidationError(f"at most {MAX_FORMS} forms")
        forms = {}
        for given_key, form in items:
            if not isinstance(form, dict):
                raise ValidationError("each form definition must be an object")
            key = form.get("key", given_key)
            if not isinstance(key, str) or not key or (given_key and key != given_key):
                raise ValidationError(f"form {given_key or '?'}: the 'key' must be given and "
                                      "match its name")
            forms[key] = {**form, "key": key}
        return forms


class DeployUploadSchema(Schema):
    xml = fields.String(required=True, validate=validate.Length(min=1),
                        metadata={"description": "the BPMN XML"})
    forms = FormSet(load_default=dict, allow_none=False)
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class DeployQuerySchema(Schema):
    validate_only = fields.Boolean(load_default=False,
                                   metadata={"description": "check without deploying"})
    note = fields.String(validate=validate.Length(max=2000),
                         metadata={"description": "change note (when the body is the XML)"})
    lang = fields.String(validate=validate.OneOf(["zh", "en"]))


class DefinitionQuerySchema(Schema):
    key = fields.String(validate=validate.Length(min=1, max=100))


class DefinitionSummarySchema(Schema):
    id = fields.Integer()
    key = fields.String()
    version = fields.Integer()
    name = fields.String()
    sha256 = fields.String()
    change_note = fields.String()
    deployed_by = fields.Function(lambda d: d.deployed_by.username if d.deployed_by else None)
    deployed_at = LocalDateTime()
    latest = fields.Boolean(metadata={"description": "what new projects get"})
    forms_used = fields.Function(lambda d: sorted(d.forms or {}))


class DefinitionSchema(DefinitionSummarySchema):
    created = fields.Boolean(metadata={"description": "false when an identical version existed"})
    bpmn_xml = fields.String()
    forms = fields.Dict()
    user_tasks = fields.Function(lambda d: list(d.meta.get("user_tasks", {}).values()))


class ValidationResultSchema(Schema):
    valid = fields.Boolean()
    key = fields.String()
    forms = fields.List(fields.String())
    user_tasks = fields.List(fields.Dict())


class DiffQuerySchema(Schema):
    against = Id(metadata={"description": "version id to compare with (default: "
                                       "the previous version)"})


def _changes():
    return fields.List(fields.Dict())


class DiffSchema(Schema):
    from_ = fields.Dict(attribute="from", data_key="from", allow_none=True)
    to = fields.Dict()
    tasks_added, tasks_removed, tasks_renamed = _changes(), _changes(), _changes()
    time_limits_changed, yellow_changed = _changes(), _changes()
    roles_changed, forms_changed = _changes(), _changes()
    flows_added, flows_removed, flows_changed = _changes(), _changes(), _changes()
    form_definitions_changed = fields.List(fields.String())
    form_definitions_added = fields.List(fields.String())
    form_definitions_removed = fields.List(fields.String())
    suggested_mapping = fields.Dict(metadata={"description": "old step id -> new step id for "
                                              "steps that look renamed (for a migration)"})
    unchanged = fields.Boolean()


class RollbackSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class MigrationRequestSchema(Schema):
    project_ids = fields.List(Id(strict=True), validate=validate.Length(max=500))
    source_id = Id(metadata={"description": "all projects in progress on this "
                                         "version (instead of project_ids)"})
    mapping = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=100)),
                          values=fields.String(validate=validate.Length(min=1, max=100)),
                          load_default=dict,
                          metadata={"description": "old step id -> new step id"})


class MigrationReasonSchema(Schema):
    code = fields.String()
    step = fields.String(allow_none=True)
    message = fields.String()


class MigrationReportSchema(Schema):
    project_id = fields.Integer()
    name = fields.String(allow_none=True)
    from_version = fields.Integer(allow_none=True)
    to_version = fields.Integer()
    can_migrate = fields.Boolean()
    migrated = fields.Boolean()
    reasons = fields.List(fields.Nested(MigrationReasonSchema))
    changes = fields.List(fields.Dict())
