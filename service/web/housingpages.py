"""Desk pages of the resettlement-housing pool (安置房源), overdue resettlement (逾期未安置) and
household progress (签约率, 交房率, 安置率, 办证率)."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, \
    url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import select

from ..api.housing import ReservationSchema, XLSX
from ..api.resettlement import CaseCloseSchema, ClassifySchema
from ..converters import LARGEST_ID
from ..database import writes
from ..extensions import db
from ..models import District, Project
from ..models.housing import OVERDUE_TYPES
from ..roles import SUPERVISING_ROLES
from ..services.households import overdue, overdue_ledger, pool, pool_import, progress
from ..services.errors import ServiceError
from .helpers import NAV
from .labels import lang
from .pageforms import flash_errors, page_count, run, safe_next, submit

bp = Blueprint("housing_web", __name__, url_prefix="/housing")
PER_PAGE = 100
POOL_ROLES = (*pool.POOL_EDITORS, *SUPERVISING_ROLES)
ENTRIES = [("housing_web.pool_page", "Housing pool", POOL_ROLES),
           ("housing_web.overdue_page", "Overdue resettlement", overdue.WORKERS),
           ("housing_web.progress_page", "Resettlement progress",
            ("district_office", "city_review", "district_government", *SUPERVISING_ROLES))]


def register(app):
    """The blueprint, its menu entries and the project page's progress figures."""
    for entry in ENTRIES:
        if entry not in NAV:
            NAV.append(entry)
    app.register_blueprint(bp)
    app.jinja_env.globals["household_progress"] = progress.project_figures
    app.jinja_env.globals["overdue_type_label"] = type_label


def type_label(key):
    """An overdue type's name in the page language."""
    names = overdue_ledger.TYPE_LABELS_EN if lang() == "en" else overdue_ledger.TYPE_LABELS
    return names.get(key, key)


def _require(roles):
    if current_user.role not in roles:
        abort(403)


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.route("/")
def pool_page():
    """The pool's state by estate and district, its units (existing stock first), import and
    reservation for a project."""
    _require(POOL_ROLES)
    args = request.args
    filters = {"district": args.get("district") or None, "estate": args.get("estate") or None,
               "status": args.get("status") if args.get("status") in
               ("idle", "reserved", "allocated") else None,
               "flagged": True if args.get("flagged") == "1" else None}
    page = max(args.get("page", 1, type=int), 1)
    rows, total = pool.list_units(current_user, page=page, per_page=PER_PAGE, **filters)
    projects = []
    if current_user.role in pool.RESERVERS:
        query = select(Project).where(Project.status == "in_progress").order_by(Project.id.desc())
        if current_user.district is not None:
            query = query.where(Project.district == current_user.district)
        projects = db.session.scalars(query.limit(200)).all()
    return render_template(
        "housing/pool.html", rows=rows, total=total, page=page,
        pages=page_count(total, PER_PAGE), filters=filters, projects=projects,
        by_estate=pool.pool_summary(current_user, "estate"),
        by_district=pool.pool_summary(current_user, "district"),
        districts=db.session.scalars(select(District).order_by(District.code)).all(),
        may_edit=current_user.role in pool.POOL_EDITORS,
        may_reserve=current_user.role in pool.RESERVERS, is_flagged=pool.is_flagged)


@bp.route("/import", methods=["POST"])
def import_units():
    """Upload the units sheet (XLSX); every row checked, nothing imported on any error."""
    _require(pool.POOL_EDITORS)
    upload = request.files.get("file")
    if upload is None:
        flash_errors({"file": [_("Choose a file.")]})
    else:
        result = run(lambda: pool_import.import_units(
            current_user, upload.read(), request.form.get("dry_run") == "1"),
            _("The sheet was checked."))
        if result and result["imported"]:
            flash(_("%(n)s units imported.", n=result["imported"]))
    return redirect(url_for(".pool_page"))


@bp.route("/template.xlsx")
def template():
    """The import template."""
    _require(POOL_ROLES)
    return send_file(io.BytesIO(pool_import.template()), mimetype=XLSX, as_attachment=True,
                     download_name="安置房源导入模板.xlsx")


@bp.route("/reserve", methods=["POST"])
def reserve():
    """Reserve the ticked units for the chosen project (备选)."""
    _require(pool.RESERVERS)
    project_id = request.form.get("project_id", type=int)
    if project_id is not None and not 0 < project_id <= LARGEST_ID:
        project_id = None
    data = {"unit_ids": request.form.getlist("unit_ids", type=int),
            "new_build_reason": request.form.get("new_build_reason") or None}
    try:
        values = ReservationSchema().load(data, unknown=EXCLUDE)
    except ValidationError as exc:
        flash_errors(exc.messages)
        return redirect(url_for(".pool_page"))
    if not project_id:
        flash_errors({"project_id": [_("Choose a project.")]})
        return redirect(url_for(".pool_page"))
    run(lambda: pool.reserve_units(current_user, project_id, values["unit_ids"],
                                   values["new_build_reason"]),
        _("The units are reserved for the project."))
    return redirect(safe_next(request.form.get("back")) or url_for(".pool_page"))


@bp.route("/overdue")
def overdue_page():
    """The overdue-resettlement ledger: classify each case, close it off."""
    _require(overdue.WORKERS)
    status = request.args.get("status") if request.args.get("status") in \
        ("open", "closed", "all") else "open"
    page = max(request.args.get("page", 1, type=int), 1)
    try:
        rows, total = overdue.list_cases(current_user, page=page, per_page=PER_PAGE,
                                         status=status,
                                         district=request.args.get("district") or None)
    except ServiceError:
        abort(403)
    projects = {p.id: p for p in db.session.scalars(
        select(Project).where(Project.id.in_({r.project_id for r in rows})))}
    return render_template("housing/overdue.html", rows=rows, total=total, page=page,
                           pages=page_count(total, PER_PAGE), status=status, projects=projects,
                           types=OVERDUE_TYPES, labels=overdue_ledger.TYPE_LABELS)


@bp.route("/overdue/<int:case_id>/classify", methods=["POST"])
def classify(case_id):
    """Record the case's type, cause and plan."""
    submit(ClassifySchema(), lambda body: overdue.classify(
        current_user, case_id, body["type"], body["cause"], body["plan"]), _("Saved."))
    return redirect(url_for(".overdue_page"))


@bp.route("/overdue/<int:case_id>/close", methods=["POST"])
def close(case_id):
    """销号 with a note."""
    submit(CaseCloseSchema(), lambda body: overdue.close(current_user, case_id, body["note"]),
           _("The case is closed off."))
    return redirect(url_for(".overdue_page"))


@bp.route("/overdue/ledger.xlsx")
@writes
def ledger():
    """The ledger (逾期未安置台账) as XLSX."""
    _require(overdue.WORKERS)
    status = request.args.get("status") if request.args.get("status") in \
        ("open", "closed", "all") else "open"
    name, content = overdue_ledger.build_ledger(current_user, status=status)
    return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name=name)


@bp.route("/progress")
def progress_page():
    """签约率, 交房率, 安置率, 办证率 and overdue by type, per district and per project."""
    _require(ENTRIES[2][2])
    return render_template("housing/progress.html",
                           districts=progress.by_district(current_user),
                           projects=progress.by_project(current_user))
