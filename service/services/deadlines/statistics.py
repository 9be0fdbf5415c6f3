"""Statistics per district or per office: open, due soon, overdue, working days per step,
on-time rate. Read from the task table with GROUP BY, never from workflows."""
from sqlalchemy import case, func, select

from ...extensions import db
from ...models import Department, District, Task
from .escalations import require_supervisor
from ..runtime import runtime

GROUPS = {
    "district": lambda: Task.district,
    "department": lambda: func.coalesce(Task.department, Task.role),
}


def _names():
    names = {row.code: (row.name_zh, row.name_en)
             for model in (District, Department) for row in db.session.scalars(select(model))}
    from ...roles import ROLES
    names.update({key: (value["zh"], value["en"]) for key, value in ROLES.items()})
    return names


def statistics(user, by="district", district=None):
    """One entry per district (or office) with counts, rates and per-step working days."""
    require_supervisor(user)
    key = GROUPS[by]().label("key")
    now = runtime().clock.now_naive()
    scope = []
    if user.district is not None:
        scope.append(Task.district == user.district)
    if district:
        scope.append(Task.district == district)
    is_open = Task.status == "open"
    counts = db.session.execute(select(
        key,
        func.sum(case((is_open, 1), else_=0)),
        func.sum(case((is_open & (Task.yellow_at <= now) & (Task.red_at > now), 1), else_=0)),
        func.sum(case((is_open & (Task.red_at <= now), 1), else_=0)),
        func.sum(case(((Task.status == "completed") & Task.completed_late.is_not(None), 1),
                      else_=0)),
        func.sum(case(((Task.status == "completed") & Task.completed_late.is_(False), 1),
                      else_=0)),
    ).where(*scope).group_by(key)).all()
    steps = db.session.execute(select(
        key, Task.step, func.count(Task.id), func.avg(Task.days_taken), func.max(Task.days_taken)
    ).where(*scope, Task.status == "completed", Task.days_taken.is_not(None))
        .group_by(key, Task.step).order_by(key, Task.step)).all()
    names = _names()
    result = {}
    for code, open_, soon, overdue, finished, on_time in counts:
        result[code] = {
            "key": code, "name_zh": names.get(code, (code, code))[0],
            "name_en": names.get(code, (code, code))[1], "open": int(open_ or 0),
            "due_soon": int(soon or 0), "overdue": int(overdue or 0),
            "completed_with_limit": int(finished or 0), "completed_on_time": int(on_time or 0),
            "on_time_rate": round(on_time / finished, 4) if finished else None, "steps": []}
    for code, step, done, average, longest in steps:
        result[code]["steps"].append({"step": step, "completed": done,
                                      "average_days": round(float(average), 2),
                                      "longest_days": int(longest)})
    return sorted(result.values(), key=lambda r: r["key"])
