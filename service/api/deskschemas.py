"""API schemas for attachments, drafts, returns and transfers."""
from marshmallow import Schema, fields, validate

from .schemas import LocalDateTime


class AttachmentSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    task_id = fields.Integer(allow_none=True)
    field = fields.String(allow_none=True)
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_by = fields.Function(lambda a: a.uploaded_by.username if a.uploaded_by else None)
    uploaded_at = LocalDateTime()
    url = fields.Function(lambda a: f"/api/v1/attachments/{a.id}")


class UploadFormSchema(Schema):
    field = fields.String(load_default=None, validate=validate.Length(max=64),
                          metadata={"description": "attachment field of the task's form"})


class UploadFileSchema(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class DraftSchema(Schema):
    data = fields.Dict(required=True, metadata={"description": "form values as typed so far"})


class ReturnSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=2000))
    data = fields.Dict(load_default=dict, metadata={"description": "other form values"})


class TransferSchema(Schema):
    to = fields.String(required=True, validate=validate.Length(min=1, max=80),
                       metadata={"description": "username of a colleague of the same office"})
    reason = fields.String(required=True, validate=validate.Length(max=2000))


class ReleaseSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=2000),
                           metadata={"description": "why the claim is taken back (请假、调离)"})
