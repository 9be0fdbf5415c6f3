"""Schemas of the process-draft API: drafts saved on the server until they are deployed."""
from marshmallow import Schema, fields, validate

from .bounded import Count, Id
from .definition_schemas import FormSet
from .schemas import LocalDateTime

TITLE = validate.Length(min=1, max=200)
NOTE = validate.Length(max=2000)


def _username(user):
    return user.username if user else None


def _display(user):
    return user.display_name if user else None


class ProcessDraftCreateSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    bpmn_xml = fields.String(validate=validate.Length(min=1),
                             metadata={"description": "the BPMN XML (default: that of "
                                       "based_on_id); must be well-formed, without DOCTYPE"})
    forms = FormSet(load_default=dict, metadata={"description": "draft form definitions: a "
                                                 "list, or an object keyed by form key"})
    note = fields.String(load_default="", validate=NOTE,
                         metadata={"description": "the change note meant for the deployment"})
    based_on_id = Id(metadata={"description": "the deployed version it starts from"})


class ProcessDraftUpdateSchema(Schema):
    revision = Count(metadata={"description": "the draft's revision this change was "
                                        "made on; when another save came since, the change is "
                                        "refused with 409 (without it, the last save wins)"})
    title = fields.String(validate=TITLE)
    bpmn_xml = fields.String(validate=validate.Length(min=1))
    forms = FormSet(metadata={"description": "replaces the draft's form definitions"})
    note = fields.String(validate=NOTE)


class ProcessDraftQuerySchema(Schema):
    key = fields.String(validate=validate.Length(min=1, max=100))
    include_deployed = fields.Boolean(load_default=False,
                                      metadata={"description": "also drafts already deployed"})


class ProcessDraftDeploySchema(Schema):
    note = fields.String(load_default="", validate=NOTE,
                         metadata={"description": "change note (default: the draft's note)"})


class ProcessDraftSummarySchema(Schema):
    id = fields.Integer()
    key = fields.String()
    title = fields.String()
    note = fields.String()
    based_on_id = fields.Integer(allow_none=True)
    based_on_version = fields.Function(lambda d: d.based_on.version if d.based_on else None)
    forms_in_draft = fields.Function(lambda d: sorted(d.forms or {}))
    saved_by = fields.Function(lambda d: _username(d.saved_by))
    saved_by_name = fields.Function(lambda d: _display(d.saved_by))
    saved_at = LocalDateTime()
    updated_by = fields.Function(lambda d: _username(d.updated_by))
    updated_by_name = fields.Function(lambda d: _display(d.updated_by))
    updated_at = LocalDateTime()
    revision = fields.Integer(metadata={"description": "raised by every save; send it back "
                                        "with the next change"})
    deployed_definition_id = fields.Integer(allow_none=True, metadata={
        "description": "the version this draft became when it was deployed"})


class ProcessDraftSchema(ProcessDraftSummarySchema):
    bpmn_xml = fields.String()
    forms = fields.Dict()
    form_warnings = fields.Dict(metadata={"description": "problems the deployment checks will "
                                          "find in the draft's forms, by form key"})
