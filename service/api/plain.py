"""Plain-dict dumps of the task-completion answer, equal to CompleteResultSchema's (tested)."""
from ..clock import local_time
from ..models.escalations import LEVEL_NAMES
from ..services.policy.definitions import version_info


def deadline_level(task):
    """The highest deadline level a task reached (yellow, red, level2), or None."""
    return LEVEL_NAMES.get(task.alert_level)


def project_summary(project):
    """ProjectSummarySchema's dump of a project."""
    info = version_info(project.definition_id)
    return {"id": project.id, "name": project.name, "district": project.district,
            "status": project.status, "plan_year": project.plan_year,
            "process": {"id": info.id, "key": info.key, "version": info.version},
            "created_at": local_time(project.created_at),
            "updated_at": local_time(project.updated_at),
            "completed_at": local_time(project.completed_at)}


def task_row(task):
    """TaskSchema's dump of a task row."""
    return {"id": task.id, "project_id": task.project_id, "project_name": task.project.name,
            "step": task.step, "name": task.name, "form": task.form, "role": task.role,
            "district": task.district, "department": task.department, "status": task.status,
            "claimed_by": task.claimed_by.username if task.claimed_by_id else None,
            "created_at": local_time(task.created_at), "time_limit_days": task.time_limit_days,
            "due_date": task.due_date.isoformat() if task.due_date else None,
            "due_at": local_time(task.due_at),
            "completed_by": task.completed_by.username if task.completed_by_id else None,
            "completed_at": local_time(task.completed_at), "outcome": task.outcome,
            "facts": task.facts,
            "deadline_level": deadline_level(task),
            "completed_late": task.completed_late,
            "household_id": task.household_id, "household": household_label(task)}


def household_label(task):
    """{number, head_name} of a household task's household (户号, 户主), else None."""
    household = task.household if task.household_id is not None else None
    return {"number": household.number, "head_name": household.head_name} if household \
        else None


def complete_result(project, next_steps):
    """CompleteResultSchema's dump of a completion's answer."""
    return {"project": project_summary(project), "next_steps": [task_row(t) for t in next_steps]}
