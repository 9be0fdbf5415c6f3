"""The task page: facts, instructions, the generated form, drafts, complete, return, transfer."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from ..inputguard import checks_own_text
from ..services.approval import deskview, tasks, taskwork
from ..services.errors import Invalid
from ..services.records.filetypes import FILE_TYPES
from .widgets import WIDGETS, read_form

bp = Blueprint("tasks_web", __name__, url_prefix="/desk/tasks")
ACCEPT = ",".join(f".{ext}" for ext in FILE_TYPES)


def _locale():
    return str(get_locale() or "zh")


def _posted(task_id):
    """The posted form values of the task's fields, read by field type."""
    return read_form(tasks.task_form(tasks.get_task(current_user, task_id)), request.form)


def _render(task_id, values=None, errors=None, status=200):
    page = deskview.task_page(current_user, task_id)
    if values is not None:
        page["task"].values = {**page["task"].values, **values}
    return render_template("desk/task.html", widgets=WIDGETS, errors=errors or {},
                           reason=request.form.get("reason", ""), accept=ACCEPT,
                           max_mb=round(current_app.config["ATTACHMENT_MAX_BYTES"] / 1048576, 1),
                           **page), status


def _invalid(task_id, raw, exc):
    flash(_("Please correct the marked fields."), "error")
    return _render(task_id, raw, exc.errors, 422)


@bp.route("/<int:task_id>")
@login_required
def show(task_id):
    """The task page."""
    return _render(task_id)


@bp.route("/<int:task_id>/draft", methods=["POST"])
@checks_own_text
@login_required
def draft(task_id):
    """Save what was typed so far; it comes back when the page is opened again."""
    raw = _posted(task_id)
    try:
        taskwork.save_draft(current_user, task_id, raw, _locale())
    except Invalid as exc:
        return _invalid(task_id, raw, exc)
    flash(_("Draft saved."))
    return redirect(url_for(".show", task_id=task_id))


@bp.route("/<int:task_id>/upload", methods=["POST"])
@checks_own_text
@login_required
def upload(task_id):
    """Upload a file into an attachment field (the other typed values are kept as a draft)."""
    raw, field = _posted(task_id), request.form.get("field", "")
    storage = request.files.get(f"upload_{field}")
    data = storage.read() if storage else b""
    try:
        taskwork.attach_to_draft(current_user, task_id, field, storage.filename if storage else "",
                                 data, raw, _locale())
    except Invalid as exc:
        return _invalid(task_id, raw, exc)
    flash(_("File uploaded."))
    return redirect(url_for(".show", task_id=task_id) + f"#field-{field}")


@bp.route("/<int:task_id>/complete", methods=["POST"])
@checks_own_text
@login_required
def complete(task_id):
    """Complete the task with the form's values; shows where the project went next."""
    raw = _posted(task_id)
    try:
        tasks.complete(current_user, task_id, raw, _locale())
    except Invalid as exc:
        return _invalid(task_id, raw, exc)
    return redirect(url_for(".done", task_id=task_id))


@bp.route("/<int:task_id>/return", methods=["POST"])
@checks_own_text
@login_required
def return_task(task_id):
    """Return the task to the previous step with a reason (退回)."""
    raw = _posted(task_id)
    try:
        taskwork.return_task(current_user, task_id, raw, request.form.get("reason", ""),
                             _locale())
    except Invalid as exc:
        return _invalid(task_id, raw, exc)
    return redirect(url_for(".done", task_id=task_id))


@bp.route("/<int:task_id>/done")
@login_required
def done(task_id):
    """Where the project went after this task."""
    return render_template("desk/done.html", **deskview.outcome_page(current_user, task_id))


@bp.route("/<int:task_id>/transfer", methods=["GET", "POST"])
@login_required
def transfer(task_id):
    """Transfer a claimed task to a colleague of the same office (转办)."""
    errors = {}
    if request.method == "POST":
        try:
            taskwork.transfer(current_user, task_id, request.form.get("to", ""),
                              request.form.get("reason", ""), _locale())
            flash(_("Task transferred."))
            return redirect(url_for("desk.queue", tab="mine"))
        except Invalid as exc:
            errors = exc.errors
    page = deskview.task_page(current_user, task_id)
    # `posted`, not `form`: the page already holds the task's form definition as `form`.
    return render_template("desk/transfer.html", errors=errors, posted=request.form, **page), \
        422 if errors else 200


@bp.route("/<int:task_id>/release", methods=["POST"])
@login_required
def release(task_id):
    """收回: a supervisor gives a claimed task back to its office's queue (from the project
    page); a refusal comes back there as a message."""
    task = tasks.get_task(current_user, task_id)
    try:
        taskwork.release(current_user, task_id, request.form.get("reason", ""), _locale())
        flash(_("The task is back in its office's queue."))
    except Invalid as exc:
        flash(" ".join(m for msgs in (exc.errors or {}).values() for m in msgs) or
              _(exc.message), "error")
    return redirect(url_for("projects_web.show", project_id=task.project_id))
