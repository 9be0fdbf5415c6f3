"""Request and response schemas of the JSON API (the OpenAPI document is generated from them)."""
from marshmallow import Schema, fields, validate

from ..converters import LARGEST_ID
from .paged import cursor_field
from ..services.policy.definitions import version_info
from .plain import deadline_level, household_label, local_time


class LocalDateTime(fields.DateTime):
    """A stored naive-UTC timestamp shown in Asia/Shanghai time with its offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return local_time(value)


class Trimmed(fields.String):
    """Text without leading or trailing white space: a name of spaces is no name."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class TokenRequestSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200),
                             load_only=True)


class TokenSchema(Schema):
    token = fields.String(required=True)


class ProjectCreateSchema(Schema):
    # One line: the name heads lists, e-mail subjects and export rows.
    name = Trimmed(required=True, validate=[
        validate.Length(min=1, error="The name must not be blank."), validate.Length(max=200),
        validate.Regexp(r"^[^\r\n]*$", error="The name must be a single line.")])
    process = fields.String(load_default="statutory_approval",
                            validate=validate.Length(min=1, max=100),
                            metadata={"description": "process key to start (default the "
                                      "statutory approval)"})


class ProjectQuerySchema(Schema):
    district = fields.String()
    status = fields.String(validate=validate.OneOf(["in_progress", "completed", "rejected"]))
    year = fields.Integer(validate=validate.Range(min=1, max=9999))
    cursor = cursor_field()


class TaskQuerySchema(Schema):
    scope = fields.String(load_default="queue", validate=validate.OneOf(["queue", "mine", "done"]))
    project_id = fields.Integer(validate=validate.Range(min=1, max=LARGEST_ID))
    step = fields.String()
    sort = fields.String(load_default="due", validate=validate.OneOf(["due", "created"]),
                         metadata={"description": "due: due first, undated last (default); "
                                   "created: newest first (the done tab: latest completed)"})
    cursor = cursor_field()


class TaskSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    project_name = fields.Function(lambda t: t.project.name)
    step = fields.String()
    name = fields.String()
    form = fields.String(allow_none=True)
    role = fields.String()
    district = fields.String()
    department = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "open, completed or cancelled"})
    claimed_by = fields.Function(lambda t: t.claimed_by.username if t.claimed_by else None)
    created_at = LocalDateTime()
    time_limit_days = fields.Integer(allow_none=True)
    due_date = fields.Date(allow_none=True)
    due_at = LocalDateTime(allow_none=True)
    completed_by = fields.Function(
        lambda t: t.completed_by.username if t.completed_by else None)
    completed_at = LocalDateTime(allow_none=True)
    outcome = fields.String(allow_none=True)
    facts = fields.Dict(allow_none=True)
    deadline_level = fields.Function(
        deadline_level,
        metadata={"description": "highest deadline level reached: yellow, red, level2"})
    completed_late = fields.Boolean(allow_none=True)
    household_id = fields.Integer(allow_none=True, metadata={
        "description": "the household whose own process this task is a step of (一户一档)"})
    household = fields.Function(household_label, metadata={
        "description": "{number, head_name} of the household, or null"})


class AuditEventSchema(Schema):
    id = fields.Integer()
    at = LocalDateTime()
    action = fields.String()
    actor = fields.Function(lambda e: e.actor.username if e.actor else None)
    task_id = fields.Integer(allow_none=True)
    detail = fields.Dict()


class ProcessRefSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    version = fields.Integer()


class ProjectSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    district = fields.String()
    status = fields.String(metadata={"description": "in_progress, completed or rejected"})
    plan_year = fields.Integer(allow_none=True)
    process = fields.Method("get_process", metadata={"description": "process key and version"})
    created_at = LocalDateTime()
    updated_at = LocalDateTime()
    completed_at = LocalDateTime(allow_none=True)


    def get_process(self, project):
        info = version_info(project.definition_id)
        return ProcessRefSchema().dump(info)


class ProjectSchema(ProjectSummarySchema):
    data = fields.Dict()
    current_steps = fields.List(fields.Nested(TaskSchema))
    history = fields.List(fields.Nested(AuditEventSchema))


class TaskDetailSchema(TaskSchema):
    project = fields.Nested(ProjectSummarySchema)
    form_definition = fields.Dict()
    shown = fields.Dict(metadata={"description": "project data the form shows"})
    values = fields.Dict(metadata={"description": "initial values: draft, then prefill"})
    data = fields.Dict(allow_none=True, metadata={"description": "submitted values"})
    previous = fields.Dict(allow_none=True,
                           metadata={"description": "the step completed before this one"})


class CompleteSchema(Schema):
    data = fields.Dict(required=True, metadata={"description": "form values by field name"})


class CompleteResultSchema(Schema):
    project = fields.Nested(ProjectSummarySchema)
    next_steps = fields.List(fields.Nested(TaskSchema))
