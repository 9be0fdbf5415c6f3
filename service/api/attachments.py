"""Attachments: upload to a task, list a project's, download one; the project archive ZIP."""
from flask import g, send_file, url_for
from flask_smorest import Blueprint

from ..database import writes
from ..i18n import select_locale
from ..services.records import archive, attachments
from ..services.approval import projects
from .deskschemas import AttachmentSchema, UploadFileSchema, UploadFormSchema
from .security import BEARER, auth_required

blp = Blueprint("api_attachments", __name__, url_prefix="/api/v1",
                description="Attachments and the project archive")


@blp.route("/tasks/<int:task_id>/attachments", methods=["POST"])
@auth_required
@blp.doc(security=BEARER)
@blp.arguments(UploadFormSchema(), location="form")
@blp.arguments(UploadFileSchema(), location="files")
@blp.response(201, AttachmentSchema)
def upload(form, files, task_id):
    """Upload a file (PDF, image, Office document, ZIP) to an open task; use its id in the
    task's attachment fields."""
    storage = files["file"]
    return attachments.upload(g.user, task_id, storage.filename or "", storage.read(),
                              form.get("field"), select_locale(g.user))


@blp.route("/projects/<int:project_id>/attachments", methods=["GET"])
@auth_required
@blp.doc(security=BEARER)
@blp.response(200, AttachmentSchema(many=True))
def index(project_id):
    """Every attachment of a project the caller may see."""
    return attachments.project_attachments(projects.get_project(g.user, project_id).id)


@blp.route("/attachments/<int:attachment_id>", methods=["GET"])
@auth_required
@blp.doc(security=BEARER, responses={200: {"description": "the file"}})
def download(attachment_id):
    """Download an attachment of a project the caller may see."""
    row = attachments.get_attachment(g.user, attachment_id)
    response = send_file(attachments.stored_file(row), mimetype=row.content_type,
                         as_attachment=True, download_name=row.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("/projects/<int:project_id>/archive", methods=["GET"])
@auth_required
@blp.doc(security=BEARER, responses={200: {"description": "ZIP: project.json, timeline.csv, "
                                           "attachments/, process/, forms/, manifest.json"}})
@writes
def export(project_id):
    """The project archive (档案) as one ZIP."""
    name, stream = archive.build_archive(  # with the approval form, its QR code to the page
        g.user, project_id, url_for("projects_web.show", project_id=project_id, _external=True))
    return send_file(stream, mimetype="application/zip", as_attachment=True, download_name=name)
