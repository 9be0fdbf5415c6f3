"""Household pages on the desk: the list with filters and bulk actions, one household's file."""
import datetime as dt

from flask import Blueprint, render_template, request
from flask_babel import gettext as _, lazy_gettext as L
from flask_login import current_user, login_required
from sqlalchemy import select

from ..converters import LARGEST_ID
from ..database import writes
from ..extensions import db
from ..forms import pick
from ..i18n import select_locale
from ..models import Project, Task
from ..models.households import STATUSES
from ..services.approval.projects import visible_query
from ..services.households import views
from ..services.policy.definitions import version_info
from .helpers import NAV
from .labels import FACT_LABELS, display_value, lang
from .pageforms import keyset_args, pager_view

bp = Blueprint("households_web", __name__, url_prefix="/desk")
PER_PAGE = 100


def register(app):
    """The blueprint and its menu entry."""
    entry = ("households_web.index", "Household register", None)
    if entry not in NAV:
        NAV.append(entry)
    app.register_blueprint(bp)


def _filters():
    args = request.args if request.method == "GET" else request.form
    overdue = {"1": True, "0": False}.get(args.get("overdue") or "")
    project_id = args.get("project", type=int)
    return {"project_id": project_id if project_id and 0 < project_id <= LARGEST_ID else None,
            "status": args.get("status") if args.get("status") in STATUSES else None,
            "building": (args.get("building") or "").strip()[:40] or None,
            "q": (args.get("q") or "").strip()[:100] or None, "overdue": overdue}


def _page(message=None, results=None, status=200):
    filters = _filters()
    page, cursor = keyset_args()
    found = views.list_households(current_user, page=page, per_page=PER_PAGE, cursor=cursor,
                                  **filters)
    rows = found.rows
    projects = db.session.execute(visible_query(current_user).with_only_columns(
        Project.id, Project.name).order_by(Project.id.desc()).limit(500)).all()
    open_steps = {}
    if rows:
        for household_id, step in db.session.execute(select(Task.household_id, Task.step).where(
                Task.household_id.in_([r.id for r in rows]), Task.status == "open")):
            open_steps.setdefault(household_id, []).append(step)
    return render_template("desk/households.html", rows=rows, page=page,
                           **pager_view(found, page, PER_PAGE), filters=filters,
                           statuses=STATUSES, projects=projects, open_steps=open_steps,
                           message=message, results=results,
                           may_act=current_user.role == "district_office"), status


@bp.route("/households")
@login_required
def index():
    """Households of the projects the user may see, filtered by project, building, status,
    overdue and text; personal data masked."""
    return _page()


@bp.route("/households/bulk", methods=["POST"])
@login_required
def bulk():
    """Record signing or handover for the selected households with one date."""
    action = request.form.get("action")
    ids = [int(v) for v in request.form.getlist("household") if v.isdigit()][:1000]
    try:
        on = dt.date.fromisoformat(request.form.get("date") or "")
    except ValueError:
        on = None
    if action not in views.BULK_ACTIONS or not ids or on is None:
        return _page(_("Choose households, an action and a date."), status=422)
    results, missing = views.bulk_record(current_user, ids, action, on,
                                         select_locale(current_user))
    done = sum(1 for r in results if r["completed"])
    message = _("%(done)s of %(chosen)s households recorded.", done=done, chosen=len(ids))
    failed = [r for r in results if not r["completed"]]
    return _page(message, {"failed": failed, "missing": len(missing)})


@bp.route("/households/<int:household_id>")
@login_required
@writes
def show(household_id):
    """One household's file (一户一档): data, agreements, attachments, every step with who and
    when; full personal data only for the district office of its district (audited)."""
    household = views.household_file(current_user, household_id, where="desk")
    forms = version_info(household.definition_id).forms if household.definition_id else {}
    entered = {}
    for task in household.tasks:  # what each step recorded, labelled as on its form
        fields = (forms.get(task.form) or {}).get("fields", [])
        entered[task.id] = [(pick(f["label"], lang()), display_value(f, task.data[f["name"]]))
                            for f in fields if f["type"] != "attachment"
                            and (task.data or {}).get(f["name"]) not in (None, "", [])]
    return render_template("desk/household.html", h=household, entered=entered)



# Household steps show their household's data (services/households/process.form_context).
FACT_LABELS.update({"household_number": L("Household number"),
                    "head_name": L("Head of household"), "legal_area": L("Legal area (m²)"),
                    "family_size": L("Family size"), "allocated_on": L("Unit allocated on"),
                    "promised_on": L("Promised resettlement date")})
