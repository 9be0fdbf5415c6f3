"""Moving running projects to another version of their process, with a dry run first.

Each project moves in its own transaction; one that cannot move stays where it was and the
report says why. Every move is an audit event on the project.
"""
from sqlalchemy import select

from ...engine import EngineError
from ...extensions import db
from ...models import ProcessDefinition, Project, Task
from ..records.audit import record
from .definitions import get_definition, parsed, require_rule_editor
from ..errors import Invalid
from ..approval.instances import keep, save_instance, stored_state
from ..runtime import runtime

MAX_PROJECTS = 500
TASK_FIELDS = ("step", "name", "form", "role", "time_limit_days", "yellow_days")
REASONS = {
    "not_found": ("项目不存在。", "The project does not exist."),
    "finished": ("项目已办结，无需迁移。", "The project has finished; there is nothing to migrate."),
    "same_version": ("项目已在该版本上运行。", "The project already runs on this version."),
    "other_process": ("项目运行的是另一个流程（{step}）。", "The project runs another process ({step})."),
    "open_step_missing": ("当前待办环节 {step} 在新版本中不存在。请在映射中指定它对应的新环节。",
                          "The open step {step} does not exist in the new version. Map it to a "
                          "step of the new version."),
    "finished_step_missing": ("已办结的环节 {step} 在新版本中不存在。请在映射中指定它对应的新环节。",
                              "The finished step {step} does not exist in the new version. Map "
                              "it to a step of the new version."),
    "not_a_user_task": ("环节 {step} 在新版本中不是用户任务。", "Step {step} is not a user task in "
                        "the new version."),
    "not_multi_instance": ("环节 {step} 在新版本中不是会签（多实例）任务。",
                           "Step {step} is not a multi-instance (sign-off) task in the new "
                           "version."),
    "subprocess": ("项目正处于子流程中，暂不能迁移。", "The project is inside a subprocess and cannot "
                   "be migrated yet."),
    "not_in_source": ("映射中的环节 {step} 在项目当前版本中不存在。",
                      "Mapped step {step} does not exist in the project's current version."),
    "not_in_target": ("映射的目标环节 {step} 在新版本中不存在。",
                      "Mapping target {step} does not exist in the new version."),
    "engine": ("流程引擎无法迁移该项目：{step}", "The engine cannot migrate the project: {step}"),
}


def _reason(code, locale, step=None):
    zh, en = REASONS[code]
    return {"code": code, "step": step,
            "message": (en if locale == "en" else zh).format(step=step or "-")}


def select_projects(project_ids=None, source_id=None):
    """The projects asked for: by id, or every project in progress on a source version."""
    if source_id:
        ids = db.session.scalars(select(Project.id).where(
            Project.definition_id == source_id, Project.status == "in_progress")
            .order_by(Project.id).limit(MAX_PROJECTS + 1)).all()
    else:
        ids = list(dict.fromkeys(project_ids or []))
    if not ids:
        raise Invalid("choose projects to migrate",
                      errors={"project_ids": ["give project ids or a source version"]})
    if len(ids) > MAX_PROJECTS:
        raise Invalid("too many projects", errors={"project_ids": [f"at most {MAX_PROJECTS}"]})
    return ids


def candidates(user, target_id):
    """Projects in progress on other versions of the target's process (for choosing)."""
    require_rule_editor(user)
    target = get_definition(target_id)
    return db.session.scalars(
        select(Project).join(Project.definition)
        .where(Project.status == "in_progress", Project.definition_id != target.id,
               ProcessDefinition.key == target.key)
        .order_by(Project.id).limit(MAX_PROJECTS)).all()


def _task_changes(project, target, mapping):
    changes = []
    calendar = runtime().calendar()
    for row in db.session.scalars(select(Task).where(Task.project_id == project.id,
                                                     Task.status == "open").order_by(Task.id)):
        step = mapping.get(row.step, row.step)
        meta = target.meta["user_tasks"].get(step)
        if meta is None:
            continue
        new = {"step": step, "name": meta["name"], "form": meta["form"], "role": meta["role"],
               "time_limit_days": meta.get("time_limit_days"),
               "yellow_days": meta.get("yellow_days")}
        due = calendar.due(row.created_at, new["time_limit_days"]) \
            if new["time_limit_days"] else (None, None)
        change = {"task_id": row.id, "step": row.step, "row": row, "new": new, "due": due}
        change["changed"] = {f: {"from": getattr(row, f), "to": new[f]} for f in TASK_FIELDS
                             if getattr(row, f) != new[f]}
        if due[0] != row.due_date:
            change["changed"]["due_date"] = {"from": row.due_date and row.due_date.isoformat(),
                                             "to": due[0] and due[0].isoformat()}
        changes.append(change)
    return changes


def _check(project, target, mapping, locale):
    """(instance or None, reasons, task changes) for moving one project."""
    if project is None:
        return None, [_reason("not_found", locale)], []
    if project.status != "in_progress":
        return None, [_reason("finished", locale)], []
    if project.definition.key != target.key:
        return None, [_reason("other_process", locale, project.definition.key)], []
    if project.definition_id == target.id:
        return None, [_reason("same_version", locale)], []
    try:
        instance, problems = runtime().engine.migrate(parsed(project.definition_id),
                                                      parsed(target.id),
                                                      stored_state(project.id), mapping)
    except EngineError as exc:
        return None, [_reason("engine", locale, str(exc))], []
    if problems:
        return None, [_reason(p["reason"], locale, p["step"]) for p in problems], []
    return instance, [], _task_changes(project, target, mapping)


def _report(project_id, project, target, reasons, changes, migrated=False):
    return {"project_id": project_id, "name": project.name if project else None,
            "from_version": project.definition.version if project else None,
            "to_version": target.version, "can_migrate": not reasons, "migrated": migrated,
            "reasons": reasons,
            "changes": [{"task_id": c["task_id"], "step": c["step"], "changed": c["changed"]}
                        for c in changes]}


def dry_run(user, target_id, project_ids=None, source_id=None, mapping=None, locale="zh"):
    """For each chosen project: whether it can move to the target version and what changes."""
    require_rule_editor(user)
    target = get_definition(target_id)
    reports = []
    for project_id in select_projects(project_ids, source_id):
        project = db.session.get(Project, project_id)
        _, reasons, changes = _check(project, target, dict(mapping or {}), locale)
        reports.append(_report(project_id, project, target, reasons, changes))
    db.session.rollback()
    return reports


def _apply(user, project, target, instance, changes, mapping):
    source = project.definition
    for change in changes:
        row, new = change["row"], change["new"]
        for field in TASK_FIELDS:
            setattr(row, field, new[field])
        row.due_date, row.due_at = change["due"]
    project.definition_id, project.definition = target.id, target
    save_instance(project, instance, user)
    record("migrate", user, project, from_version=source.version, to_version=target.version,
           from_definition_id=source.id, to_definition_id=target.id, mapping=mapping,
           tasks=[{"task_id": c["task_id"], "step": c["step"],
                   "changed": {k: v for k, v in c["changed"].items()}} for c in changes])


def migrate(user, target_id, project_ids=None, source_id=None, mapping=None, locale="zh"):
    """Move each chosen project that can move, one transaction each; report every project."""
    require_rule_editor(user)
    target = get_definition(target_id)
    mapping = dict(mapping or {})
    reports = []
    for project_id in select_projects(project_ids, source_id):
        # The project row first, then its open task rows: the order `complete` and timer
        # refreshes take them in, so none of them waits on another in a cycle.
        project = db.session.get(Project, project_id, with_for_update=True,
                                 populate_existing=True)
        db.session.execute(select(Task.id).where(Task.project_id == project_id,
                                                 Task.status == "open").with_for_update()).all()
        instance, reasons, changes = _check(project, target, mapping, locale)
        if reasons:
            db.session.rollback()
            reports.append(_report(project_id, project, target, reasons, changes))
            continue
        report = _report(project_id, project, target, reasons, changes, migrated=True)
        try:
            _apply(user, project, target, instance, changes, mapping)
            db.session.commit()
        except EngineError as exc:
            db.session.rollback()
            report.update(can_migrate=False, migrated=False,
                          reasons=[_reason("engine", locale, str(exc))])
            reports.append(report)
            continue
        keep(project, instance)
        reports.append(report)
    return reports
