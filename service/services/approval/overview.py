"""The leaders' overview (项目总览): projects by district and stage, steps overdue and due soon,
funds required against deposited, households' signing and handover rates where a register
exists. Every figure says what it counts and carries the filters of the list behind it."""
from sqlalchemy import and_, func, select

from ...extensions import db
from ...models import District, Project, Task
from ...roles import may_see_district
from ..errors import Forbidden
from ..policy.definitions import version_info
from ..runtime import runtime
from .projects import visible_query

#: who sees the overview: the city's offices, supervisors and the leading group
OVERVIEW_ROLES = ("city_review", "finance", "district_government", "supervisor",
                  "leading_group")
ENDED = ("completed", "rejected")


def require_overview(user):
    """Only offices that lead or supervise see the overview."""
    if user.role not in OVERVIEW_ROLES:
        raise Forbidden("the overview is for city offices, supervisors and the leading group")


def _districts(user):
    return [row for row in db.session.scalars(select(District).order_by(District.code))
            if may_see_district(user, row.code)]


def _stages(visible):
    # Steps in the order of the diagram most projects run on, then any other step seen.
    latest = db.session.scalar(select(Project.definition_id).where(visible)
                               .group_by(Project.definition_id)
                               .order_by(func.count().desc()).limit(1))
    order = list(version_info(latest).meta["user_tasks"]) if latest else []
    return order, (version_info(latest) if latest else None)


def _money(value):
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def overview(user):
    """Figures per district: {districts, stages, cells, ended, due, funds, households}."""
    require_overview(user)
    districts = _districts(user)
    codes = [d.code for d in districts]
    visible = Project.id.in_(visible_query(user).with_only_columns(Project.id)
                             .where(Project.district.in_(codes)).scalar_subquery())
    # Projects (not steps) at each open step: a project in a joint sign-off counts once.
    at_step = db.session.execute(
        select(Project.district, Task.step, func.count(func.distinct(Project.id)))
        .join(Task, and_(Task.project_id == Project.id, Task.status == "open"))
        .where(visible, Project.status == "in_progress").group_by(Project.district, Task.step))
    cells = {}
    for district, step, count in at_step:
        cells.setdefault(district, {})[step] = count
    ended = {}
    for district, status, count in db.session.execute(
            select(Project.district, Project.status, func.count()).where(visible)
            .group_by(Project.district, Project.status)):
        ended.setdefault(district, {})[status] = count
    order, info = _stages(visible)
    seen = sorted({s for row in cells.values() for s in row} - set(order))
    stages = [(step, _stage_name(info, step)) for step in order + seen
              if any(step in row for row in cells.values()) or step in order]
    return {"districts": districts, "stages": stages, "cells": cells, "ended": ended,
            "due": _due(visible), "funds": _funds(visible),
            "households": households_by_district(user, codes)}


def _stage_name(info, step):
    meta = (info.meta["user_tasks"].get(step) if info else None) or {}
    form = (info.forms.get(meta.get("form") or "") if info else None) or {}
    return form.get("title") or meta.get("name") or step


def _due(visible):
    """Open steps (not projects) overdue and due soon per district, and the projects concerned."""
    now = runtime().clock.now_naive()
    overdue = and_(Task.due_at.is_not(None), Task.due_at < now)
    soon = and_(Task.yellow_at.is_not(None), Task.yellow_at <= now, Task.due_at >= now)
    found = {}
    for name, condition in (("overdue", overdue), ("due_soon", soon)):
        for district, steps, projects in db.session.execute(
                select(Task.district, func.count(), func.count(func.distinct(Task.project_id)))
                .where(Task.status == "open", condition, Task.project_id.in_(
                    select(Project.id).where(visible))).group_by(Task.district)):
            found.setdefault(district, {})[name] = {"steps": steps, "projects": projects}
    return found


def _funds(visible):
    """Funds required and deposited per district (fen), from the finance check's figures."""
    found = {}
    for district, data in db.session.execute(select(Project.district, Project.data)
                                             .where(visible)):
        data = data or {}
        if "funds_required" not in data:
            continue
        row = found.setdefault(district, {"required": 0, "deposited": 0, "projects": 0})
        row["required"] += _money(data.get("funds_required"))
        row["deposited"] += _money(data.get("funds_deposited"))
        row["projects"] += 1
    return found


def households_by_district(user, codes):
    """Signing and handover rates per district from the household register (issue 16), or
    None where this installation has no register yet."""
    try:
        from ..households.progress import by_district
    except ImportError:  # the household register is not installed: the overview leaves it out
        return None
    rows = {row["district"]: row for row in by_district(user)}
    return {code: rows[code] for code in codes if code in rows and rows[code]["households"]}
