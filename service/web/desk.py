"""The officials' work queue (我的待办)."""
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..services import tasks

bp = Blueprint("desk", __name__, url_prefix="/desk")


@bp.route("/queue")
@login_required
def queue():
    """Tasks of the official's role queue, their claimed tasks, and tasks they have done."""
    tab = request.args.get("tab", "queue")
    scope = tab if tab in ("queue", "mine", "done") else "queue"
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = tasks.list_tasks(current_user, scope=scope, page=page, per_page=50,
                                   order="completed" if scope == "done" else "due")
    return render_template("desk/queue.html", rows=rows, total=total, tab=scope, page=page)
