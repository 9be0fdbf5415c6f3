"""Project list, new project, project page (diagram, timeline, attachments), archive, files."""
import io

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..database import writes
from ..services.records import approval_form as approval_form_pdf, archive, attachments
from ..services.approval import projects, projectview
from ..services.approval.search import DUE_FILTERS
from ..services.errors import Forbidden
from .helpers import NAV
from .pageforms import keyset_args, pager_view

bp = Blueprint("projects_web", __name__, url_prefix="/desk")
NAV.append(("projects_web.index", "Projects", None))
NAV.append(("projects_web.new", "New project", ("district_office",)))
STATUSES = ("in_progress", "completed", "rejected")
PER_PAGE = 50


@bp.route("/projects")
@login_required
def index():
    """The projects the office may see, with status and current step, filtered."""
    district = request.args.get("district") or None
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    year = request.args.get("year", type=int)
    page, cursor = keyset_args()
    text = (request.args.get("q") or "").strip()[:100] or None
    step = (request.args.get("step") or "").strip()[:100] or None
    due = request.args.get("due") if request.args.get("due") in DUE_FILTERS else None
    found, current = projectview.project_list(current_user, district, status, year,
                                              page, PER_PAGE, text, step, due, cursor)
    return render_template("desk/projects.html", rows=found.rows, current=current,
                           page=page, **pager_view(found, page, PER_PAGE),
                           district=district, status=status, year=year, statuses=STATUSES,
                           districts=projectview.district_codes(), q=text or "", step=step,
                           steps=projectview.step_choices(), due=due)


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def new():
    """A district office starts a statutory approval; lands on its first task."""
    errors = {}
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        if not name or len(name) > 200 or "\n" in name or "\r" in name:
            errors["name"] = True
        else:
            project = projects.start_project(current_user, name)
            first = projects.open_tasks(project)
            if first:
                return redirect(url_for("tasks_web.show", task_id=first[0].id))
            return redirect(url_for(".show", project_id=project.id))
    elif current_user.role not in projects.STARTER_ROLES:
        raise Forbidden("only a district office can start a project")
    return render_template("desk/new_project.html", errors=errors), 422 if errors else 200


@bp.route("/projects/<int:project_id>")
@login_required
def show(project_id):
    """Fields, status, diagram with marks, timeline and attachments of one project."""
    return render_template("desk/project.html",
                           **projectview.project_page(current_user, project_id))


@bp.route("/projects/<int:project_id>/archive")
@login_required
@writes
def export(project_id):
    """The project archive (档案) as one ZIP."""
    name, stream = archive.build_archive(
        current_user, project_id, url_for("projects_web.show", project_id=project_id,
                                          _external=True))
    return send_file(stream, mimetype="application/zip", as_attachment=True, download_name=name)


@bp.route("/projects/<int:project_id>/approval-form.pdf")
@login_required
@writes
def approval_form(project_id):
    """The printable approval form (审批表) as a PDF; its QR code leads to this project's page."""
    record_url = url_for("projects_web.show", project_id=project_id, _external=True)
    name, content = approval_form_pdf.build_form(current_user, project_id, record_url)
    return send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=False,
                     download_name=name)


@bp.route("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id):
    """An attachment, for officials who may see its project."""
    row = attachments.get_attachment(current_user, attachment_id)
    response = send_file(attachments.stored_file(row), mimetype=row.content_type,
                         as_attachment=True, download_name=row.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
