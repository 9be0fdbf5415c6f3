"""The project record (办理记录): every step in process order, each round of it kept with its
office, official, date, decision and opinion. Read by the project page, the task page (the
objections a revision answers) and the printable approval form (审批表)."""
from sqlalchemy import select

from ...extensions import db
from ...models import Task
from ..notices.notices import split_name
from ..policy.definitions import version_info

#: decision values that send a project back or stop it: shown highlighted
OBJECTING = ("object", "return", "reject")


def _title(info, step, name):
    meta = info.meta["user_tasks"].get(step) or {}
    form = info.forms.get(meta.get("form") or "") or {}
    if form.get("title"):
        return form["title"]
    zh, en = split_name(" ".join((meta.get("name") or name or step).split()))
    return {"zh": zh, "en": en}


def _decision(form):
    for spec in form.get("fields", []):
        if spec.get("decision"):
            return spec
    return None


def _entry(task, form, decision):
    data = task.data or {}
    value = data.get(decision["name"]) if decision else None
    label = None
    if decision is not None:
        label = next((o["label"] for o in decision.get("options", []) if o["value"] == value),
                     None)
    fields = [(spec, data.get(spec["name"])) for spec in form.get("fields", [])
              if spec is not decision and spec["name"] != "opinion" and not spec.get("computed")
              and spec["name"] in data]
    return {"task": task, "official": task.completed_by, "completed_at": task.completed_at,
            "decision": value, "decision_label": label, "opinion": data.get("opinion") or "",
            "objecting": value in OBJECTING, "fields": fields}


def project_record(project, tasks=None):
    """[{step, title {zh,en}, rounds: [[entry, ...], ...]}] in process order; a round is the rows
    a step opened at one moment (the parallel sign-offs of one joint review)."""
    if tasks is None:
        tasks = db.session.scalars(select(Task).where(Task.project_id == project.id)
                                   .order_by(Task.id)).all()
    info = version_info(project.definition_id)
    order = list(info.meta["user_tasks"])
    steps, rounds_of, previous = {}, {}, None
    for task in sorted(tasks, key=lambda row: row.id):
        if getattr(task, "household_id", None) is not None:
            continue
        # A round: the rows one moment opened for a step, next to each other in the project's
        # rows (the parallel sign-offs); another step's row between them starts a new round.
        same_round = previous is not None and previous.step == task.step and \
            previous.created_at == task.created_at
        previous = task
        if task.status == "cancelled":
            continue
        steps.setdefault(task.step, []).append(task)
        rounds = rounds_of.setdefault(task.step, [])
        if same_round and rounds:
            rounds[-1].append(task)
        else:
            rounds.append([task])

    def place(step):
        # The diagram's order; a step the diagram no longer has (a migrated project) after it.
        return (order.index(step) if step in order else len(order), steps[step][0].id)
    record = []
    for step in sorted(steps, key=place):
        meta = info.meta["user_tasks"].get(step) or {}
        form = info.forms.get(meta.get("form") or steps[step][0].form or "") or {"fields": []}
        decision = _decision(form)
        rounds = [[_entry(task, form, decision) if task.status == "completed" else
                   {"task": task, "open": True, "objecting": False} for task in rows]
                  for rows in rounds_of[step]]
        record.append({"step": step, "title": _title(info, step, steps[step][0].name),
                       "rounds": rounds})
    return record


def objections_answered(task, record=None):
    """For an open task: the objecting entries of the latest round done before it opened (the
    departments' opinions a revision after the joint sign-off must answer)."""
    if record is None:
        record = project_record(task.project)
    latest = None
    for item in record:
        for entries in item["rounds"]:
            if any(e.get("open") or e["task"].id > task.id for e in entries):
                continue
            if latest is None or entries[-1]["task"].id > latest[-1]["task"].id:
                latest = entries
    return [e for e in latest if e["objecting"]] if latest else []


def sent_back(record):
    """Ids of the task rows whose round had an objection or a return: the completion that
    closed such a round sent the project back, and the timeline says so."""
    return {entry["task"].id for item in record for entries in item["rounds"]
            if any(e["objecting"] for e in entries) for entry in entries}
