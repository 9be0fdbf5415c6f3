"""Drafts, returns (退回) and transfers (转办) of tasks; each one transaction with its audit row."""
import math

from sqlalchemy import select

from ...extensions import db
from ...forms import message
from ...models import Task, User
from ...roles import may_act_on
from ...textcheck import bad_text
from . import tasks
from ..records.attachments import add_file, discard_new_file
from ..records.audit import record
from ..errors import Conflict, Forbidden, Invalid

_SCALARS = (str, int, float, bool, type(None))
MAX_REASON = 2000


def _draft_problems(form, raw, locale):
    names = {f["name"] for f in form["fields"] if not f.get("computed")}
    computed = {f["name"] for f in form["fields"] if f.get("computed")}
    if not isinstance(raw, dict):
        return {"data": [message("not_object", locale)]}
    errors = {}
    for key, value in raw.items():
        if key not in names:
            errors[key] = [message("computed" if key in computed else "unknown", locale)]
            continue
        items = value if isinstance(value, list) else [value]
        if len(items) > 50 or not all(isinstance(i, _SCALARS) for i in items) or \
                any(isinstance(i, str) and len(i) > 5000 for i in items) or \
                any(isinstance(i, float) and not math.isfinite(i) for i in items):
            errors[key] = [message("draft_value", locale)]
        elif any(bad_text(i) for i in items):
            errors[key] = [message("bad_characters", locale)]
    return errors


def save_draft(user, task_id, raw, locale="zh"):
    """Keep unfinished form values on an open task (claiming it if unclaimed)."""
    task = tasks._actionable(user, task_id)
    errors = _draft_problems(tasks.task_form(task), raw, locale)
    if errors:
        raise Invalid("the draft has errors", errors=errors)
    if task.claimed_by_id != user.id:
        tasks.hold(user, task)
    task.draft = dict(raw)
    record("draft", user, task.project, task, step=task.step, data=task.draft)
    db.session.commit()
    return task


def attach_to_draft(user, task_id, field, filename, data, raw, locale="zh"):
    """Upload a file into an attachment field, keeping the other typed values as a draft."""
    task = tasks._actionable(user, task_id)
    raw = dict(raw or {})
    errors = _draft_problems(tasks.task_form(task), raw, locale)
    if errors:
        raise Invalid("the draft has errors", errors=errors)
    if task.claimed_by_id != user.id:
        tasks.hold(user, task)  # before the file: another official's claim refuses the upload
    try:
        row = add_file(user, task, filename, data, field, locale)
    except Invalid as exc:
        db.session.rollback()  # a refused file claims nothing
        found = exc.errors or {}
        raise Invalid(exc.message, errors={field or "file": found.get("file") or
                                           found.get("field") or []}) from None
    current = raw.get(field) or []
    raw[field] = [*(current if isinstance(current, list) else [current]), str(row.id)]
    task.draft = raw
    record("draft", user, task.project, task, step=task.step, data=raw)
    try:
        db.session.commit()
    except Exception:
        discard_new_file(row)
        raise
    return row


def return_option(form):
    """(decision field name, the option that returns the task) or (None, None)."""
    for field in form["fields"]:
        if field.get("decision"):
            for option in field.get("options", []):
                if option["value"] in tasks.RETURN_DECISIONS:
                    return field["name"], option["value"]
    return None, None


def return_task(user, task_id, raw, reason, locale="zh"):
    """Return a task to the previous step with a reason, where its decision field allows it."""
    task = tasks.get_task(user, task_id)
    form = tasks.task_form(task)
    decision, value = return_option(form)
    has_opinion = any(f["name"] == "opinion" for f in form["fields"])
    if decision is None or not has_opinion:
        raise Invalid("this step cannot be returned",
                      errors={"decision": [message("no_return", locale)]})
    if not (reason or "").strip():
        raise Invalid("a reason is required", errors={"reason": [message("reason_required", locale)]})
    data = {**(raw or {}), decision: value, "opinion": reason.strip()}
    return tasks.complete(user, task_id, data, locale)


def colleagues(user, task):
    """Active officials of the same office (role, district, department) who may take the task."""
    rows = db.session.scalars(select(User).where(
        User.role == user.role, User.id != user.id, User.active.is_(True),
        User.district.is_(None) if user.district is None else User.district == user.district,
        User.department.is_(None) if user.department is None else
        User.department == user.department).order_by(User.username)).all()
    return [u for u in rows if may_act_on(u, task)]


def transfer(user, task_id, to, reason, locale="zh"):
    """Hand a task the user has claimed to a colleague of the same office, with a reason."""
    task = tasks._actionable(user, task_id)
    if task.claimed_by_id != user.id:
        raise Conflict("only the official who claimed this task can transfer it")
    target = next((u for u in colleagues(user, task) if u.username == to), None)
    errors = {}
    if target is None:
        errors["to"] = [message("transfer_target", locale)]
    if not (reason or "").strip():
        errors["reason"] = [message("transfer_reason", locale)]
    elif len(reason) > MAX_REASON:  # the API's schema says so too; the desk's form posts here
        errors["reason"] = [message("too_long", locale, max=MAX_REASON)]
    if errors:
        raise Invalid("the task cannot be transferred", errors=errors)
    tasks.move_claim(task, Task.claimed_by_id == user.id, target.id,
                     "this task was completed or changed by another official")
    record("transfer", user, task.project, task, step=task.step, to=target.username,
           reason=reason.strip())
    db.session.commit()
    return task


def release(user, task_id, reason, locale="zh"):
    """收回: a supervisor gives a task claimed by an official who cannot act on it (leave,
    illness) back to the office's queue, with a reason; audited. Commits."""
    if user.role != "supervisor":
        raise Forbidden("only a supervisor can release a claimed task")
    tasks.lock_project_of(task_id)  # the project row before the task's, as completions do
    task = tasks.get_task(user, task_id)
    if task.status != "open":
        raise Conflict("this task is no longer open")
    if task.claimed_by_id is None:
        raise Conflict("this task is not claimed by anyone")
    if not (reason or "").strip():
        raise Invalid("a reason is required",
                      errors={"reason": [message("release_reason", locale)]})
    if len(reason) > MAX_REASON:
        raise Invalid("the reason is too long",
                      errors={"reason": [message("too_long", locale, max=MAX_REASON)]})
    # A plain get, not task.claimed_by: a loaded relationship would still name the official
    # after the update below, and the answer would show the task as claimed.
    claimant = db.session.get(User, task.claimed_by_id)
    # A completion by the claimant committed since the read gets this a 409.
    tasks.move_claim(task, Task.claimed_by_id == claimant.id, None,
                     "this task was completed or changed since")
    record("release", user, task.project, task, step=task.step, official=claimant.username,
           reason=reason.strip())
    db.session.commit()
    return task
