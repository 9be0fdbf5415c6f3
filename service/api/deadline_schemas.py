"""Schemas of the deadline, escalation, calendar, inbox and report API calls."""
from marshmallow import Schema, fields, validate

from .bounded import Day, Moment
from .paged import cursor_field
from .schemas import LocalDateTime

LEVEL_NAMES = ["yellow", "red", "level2"]


class CalendarDaySchema(Schema):
    date = fields.Date()
    is_workday = fields.Boolean()
    note = fields.String()
    by = fields.Function(lambda d: d.by.username if d.by else None)
    at = LocalDateTime()


class CalendarQuerySchema(Schema):
    start = Day(data_key="from")
    end = Day(data_key="to")


class CalendarPathSchema(Schema):
    day = Day(required=True, metadata={"description": "YYYY-MM-DD"})


class CalendarSetSchema(Schema):
    is_workday = fields.Boolean(required=True,
                                metadata={"description": "true: working day; false: day off"})
    note = fields.String(load_default="", validate=validate.Length(max=200))


class CalendarResultSchema(CalendarDaySchema):
    changed_tasks = fields.Integer(metadata={"description": "open tasks whose due date moved"})


class ClearResultSchema(Schema):
    date = fields.Date()
    changed_tasks = fields.Integer()


class EscalationQuerySchema(Schema):
    district = fields.String(validate=validate.Length(max=40))
    department = fields.String(validate=validate.Length(max=40),
                               metadata={"description": "department, else the role of the "
                                         "office responsible"})
    step = fields.String(validate=validate.Length(max=100))
    level = fields.String(validate=validate.OneOf(LEVEL_NAMES))
    age = fields.Integer(validate=validate.Range(min=0, max=1000),
                         metadata={"description": "at least this many working days since it "
                                   "fired"})
    status = fields.String(load_default="open",
                           validate=validate.OneOf(["open", "cleared", "closed", "all"]))
    kind = fields.String(validate=validate.OneOf(["step", "title_certificate"]))


class EscalationListQuerySchema(EscalationQuerySchema):
    cursor = cursor_field()


class ExportQuerySchema(EscalationQuerySchema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(["xlsx", "csv"]))
    status = fields.String(load_default=None,
                           validate=validate.OneOf(["open", "cleared", "closed", "all"]),
                           metadata={"description": "default: open for the list, all for the "
                                     "ledger"})


class EscalationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    level = fields.String(attribute="level_name")
    status = fields.String(metadata={"description": "open, cleared (task done) or closed (销号)"})
    project_id = fields.Integer()
    project_name = fields.String()
    task_id = fields.Integer(allow_none=True)
    certificate_id = fields.Integer(allow_none=True)
    district = fields.String()
    department = fields.String(attribute="office")
    step = fields.String()
    step_name = fields.String()
    due_at = LocalDateTime(allow_none=True)
    fired_at = LocalDateTime()
    age_days = fields.Integer(metadata={"description": "working days since it fired"})
    overdue_days = fields.Integer(allow_none=True)
    urge_count = fields.Integer()
    last_urged_at = LocalDateTime(allow_none=True)
    cleared_at = LocalDateTime(allow_none=True)
    cleared_reason = fields.String(allow_none=True)
    closed_at = LocalDateTime(allow_none=True)
    closed_by = fields.Function(lambda e: e.closed_by.username if e.closed_by else None)
    close_note = fields.String(allow_none=True)


class UrgeSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class CloseSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class StatisticsQuerySchema(Schema):
    by = fields.String(load_default="district", validate=validate.OneOf(["district",
                                                                          "department"]))
    district = fields.String(validate=validate.Length(max=40))


class StepStatSchema(Schema):
    step = fields.String()
    completed = fields.Integer()
    average_days = fields.Float()
    longest_days = fields.Integer()


class StatisticsSchema(Schema):
    key = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    open = fields.Integer()
    due_soon = fields.Integer()
    overdue = fields.Integer()
    completed_with_limit = fields.Integer()
    completed_on_time = fields.Integer()
    on_time_rate = fields.Float(allow_none=True)
    steps = fields.List(fields.Nested(StepStatSchema))


class PreviewQuerySchema(Schema):
    at = Moment(required=True, metadata={"description": "ISO moment; without an "
                                                  "offset it is Asia/Shanghai time"})
    district = fields.String(validate=validate.Length(max=40))


class PreviewItemSchema(Schema):
    kind = fields.String()
    id = fields.Integer()
    level = fields.String()
    project_id = fields.Integer()
    project_name = fields.String()
    district = fields.String()
    department = fields.String(attribute="office")
    step = fields.String()
    due_at = LocalDateTime(allow_none=True)
    fires_new = fields.Boolean(metadata={"description": "this level has not fired yet"})
    already = fields.String(allow_none=True)


class PreviewSchema(Schema):
    at = LocalDateTime()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    items = fields.List(fields.Nested(PreviewItemSchema))


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    subject = fields.String()
    body = fields.String()
    project_id = fields.Integer(allow_none=True)
    task_id = fields.Integer(allow_none=True)
    escalation_id = fields.Integer(allow_none=True)
    created_at = LocalDateTime()
    read_at = LocalDateTime(allow_none=True)


class InboxQuerySchema(Schema):
    unread = fields.Boolean(load_default=False)
    cursor = cursor_field()


class UnreadSchema(Schema):
    unread_count = fields.Integer()


class ReportQuerySchema(Schema):
    district = fields.String(validate=validate.Length(max=40))
    month = fields.String(validate=validate.Regexp(r"^\d{4}-\d{2}$",
                                                   error="a month as YYYY-MM"))


class ReportSchema(Schema):
    id = fields.Integer()
    district = fields.String()
    month = fields.String()
    filed_at = LocalDateTime()
    data = fields.Dict()


class CertificateSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    project_name = fields.Function(lambda c: c.project.name)
    district = fields.String()
    allocation_date = fields.Date()
    due_date = fields.Date()
    deadline_date = fields.Date()
    level = fields.Function(lambda c: LEVEL_NAMES[c.alert_level]
                            if c.alert_level is not None else None)
    done_at = LocalDateTime(allow_none=True)
    done_by = fields.Function(lambda c: c.done_by.username if c.done_by else None)
    done_note = fields.String(allow_none=True)
    done_late = fields.Boolean(allow_none=True)


class CertificateDoneSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class OutboxQuerySchema(Schema):
    scope = fields.String(load_default="failing", validate=validate.OneOf(
        ["failing", "pending", "sent", "abandoned"]), metadata={
        "description": "failing: waiting after at least one failed attempt (default)"})
    cursor = cursor_field()


class AbandonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class OutboxMailSchema(Schema):
    id = fields.Integer()
    to = fields.String(attribute="to_addr")
    subject = fields.String()
    status = fields.String(metadata={"description": "pending, sent or abandoned"})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    next_attempt_at = LocalDateTime()
    created_at = LocalDateTime()
    sent_at = LocalDateTime(allow_none=True)
