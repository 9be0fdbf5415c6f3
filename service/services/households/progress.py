"""Progress figures from the household register: 签约率, 交房率, 安置率, 办证率, overdue by type.

Counted with GROUP BY on the households table (its (project_id, status) index); no household's
workflow is loaded. Rates are percentages with one decimal, None when there are no households.
"""
from sqlalchemy import and_, case, func, or_, select

from ...extensions import db
from ...models import District, Household, OverdueCase, Project
from ...roles import may_see_district
from ..errors import Forbidden
from ..approval.projects import get_project

IN_KIND = ("in_kind", "exchange")
#: resettled (安置): in kind / exchange moved in (or later), monetary compensation paid
RESETTLED = or_(and_(Household.choice.in_(IN_KIND),
                     Household.status.in_(("resettled", "certified"))),
                and_(Household.choice == "monetary", Household.status == "paid"))
#: settled for the handover gate: in kind / exchange certified, monetary paid
SETTLED = or_(and_(Household.choice.in_(IN_KIND), Household.status == "certified"),
              and_(Household.choice == "monetary", Household.status == "paid"))
FIGURES = ("households", "signed", "handed_over", "resettled", "certified", "in_kind", "area")


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _columns():
    return (func.count(Household.id).label("households"),
            _count(Household.signed_on.is_not(None)).label("signed"),
            _count(Household.handed_over_on.is_not(None)).label("handed_over"),
            _count(RESETTLED).label("resettled"),
            _count(Household.certified_on.is_not(None)).label("certified"),
            _count(Household.choice.in_(IN_KIND)).label("in_kind"),
            func.coalesce(func.sum(Household.legal_area), 0).label("area"))


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _figures(row, overdue_by_type):
    found = dict(zip(FIGURES, row)) if row is not None else dict.fromkeys(FIGURES, 0)
    households = int(found["households"] or 0)
    figures = {name: int(found[name] or 0) for name in FIGURES if name != "area"}
    figures.update({
        "overdue": sum(overdue_by_type.values()), "overdue_by_type": overdue_by_type,
        "signing_rate": _rate(figures["signed"], households),
        "handover_rate": _rate(figures["handed_over"], households),
        "resettlement_rate": _rate(figures["resettled"], households),
        # Title certificates concern in-kind and exchange households only (001 四).
        "certificate_rate": _rate(figures["certified"], figures["in_kind"]),
        "area": round(float(found["area"] or 0), 2)})
    return figures


def _overdue_by(key, where):
    rows = db.session.execute(
        select(key, OverdueCase.type, func.count()).where(OverdueCase.closed_on.is_(None), where)
        .group_by(key, OverdueCase.type))
    found = {}
    for group, kind, count in rows:
        found.setdefault(group, {})[kind] = count
    return found


def project_progress(user, project_id):
    """The project's figures (the caller must see the project)."""
    project = get_project(user, project_id)
    return project_figures(project.id)


def project_figures(project_id):
    """Figures of one project, without a permission check (pages, reports, the archive)."""
    row = db.session.execute(select(*_columns()).where(Household.project_id == project_id)).one()
    overdue = _overdue_by(OverdueCase.project_id, OverdueCase.project_id == project_id)
    return {"project_id": project_id, **_figures(row, overdue.get(project_id, {}))}


def by_district(user, district=None):
    """Figures per district the user may see (the supervisors' pages and statistics)."""
    if user.role == "joint_review":
        raise Forbidden("departments do not see district progress")
    query = (select(Project.district, *_columns()).join(Project, Project.id == Household.project_id)
             .group_by(Project.district))
    codes = db.session.scalars(select(District.code).order_by(District.code)).all()
    codes = [c for c in codes if may_see_district(user, c) and district in (None, c)]
    rows = {r[0]: r[1:] for r in db.session.execute(query.where(Project.district.in_(codes)))}
    overdue = _overdue_by(OverdueCase.district, OverdueCase.district.in_(codes))
    return [{"district": code, **_figures(rows.get(code), overdue.get(code, {}))}
            for code in codes]


def by_project(user, district=None):
    """Figures per project with households, for the projects the user may see."""
    if user.role == "joint_review":
        raise Forbidden("departments do not see district progress")
    query = (select(Project.id, Project.name, Project.district, *_columns())
             .join(Project, Project.id == Household.project_id)
             .group_by(Project.id, Project.name, Project.district).order_by(Project.id))
    if user.district is not None:
        query = query.where(Project.district == user.district)
    if district:
        query = query.where(Project.district == district)
    rows = db.session.execute(query).all()
    overdue = _overdue_by(OverdueCase.project_id,
                          OverdueCase.project_id.in_([r[0] for r in rows]))
    return [{"project_id": r[0], "project": r[1], "district": r[2],
             **_figures(r[3:], overdue.get(r[0], {}))} for r in rows]


def district_figures(district):
    """One district's figures for the monthly report (no permission check: the job files it)."""
    row = db.session.execute(
        select(*_columns()).join(Project, Project.id == Household.project_id)
        .where(Project.district == district)).one()
    overdue = _overdue_by(OverdueCase.district, OverdueCase.district == district)
    return _figures(row, overdue.get(district, {}))
