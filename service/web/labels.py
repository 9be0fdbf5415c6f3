"""Page labels for stored keys: statuses, audit actions, steps, facts (registries, translated)."""
from flask_babel import get_locale, gettext as _, lazy_gettext as L

from ..forms import pick
from ..services.notices.notices import split_name
from ..services.policy.definitions import version_info
from .widgets import date_bounds, display, field_index, input_value, money_text

STATUS_LABELS = {"in_progress": L("In progress"), "completed": L("Completed"),
                 "rejected": L("Rejected"), "open": L("Open"), "cancelled": L("Cancelled")}
ACTION_LABELS = {
    "start": L("Project started"), "claim": L("Claimed"), "unclaim": L("Unclaimed"),
    "complete": L("Completed"), "return": L("Returned"), "cancel": L("Cancelled"),
    "reject": L("Rejected"), "finish": L("Project finished"), "draft": L("Draft saved"),
    "attach": L("File uploaded"), "transfer": L("Transferred"), "export": L("Archive exported"),
    "deploy": L("Process deployed"), "escalate": L("Escalated"), "remind": L("Reminder sent"),
    "release": L("Released to the office's queue"),
    "print_form": L("Approval form printed"), "urge": L("Urged"),
    "escalation_closed": L("Closed off"), "due_recomputed": L("Due date recomputed"),
}
OUTCOME_LABELS = {"approve": L("Approve"), "return": L("Return for revision"),
                  "reject": L("Reject"), "object": L("Object")}
#: project data names that are not form fields
FACT_LABELS = {"name": L("Project name"), "project_name": L("Project name"),
               "district": L("District"), "department": L("Department"),
               "departments": L("Departments for the joint sign-off"),
               "signoffs": L("Sign-off opinions"), "opinion": L("Opinion")}


def lang():
    """The page language."""
    return str(get_locale() or "zh")


def status_label(status):
    return str(STATUS_LABELS.get(status, status or ""))


def outcome_label(outcome):
    return str(OUTCOME_LABELS.get(outcome, outcome or ""))


def action_label(action):
    return str(ACTION_LABELS.get(action, action))


def step_title(definition, step):
    """A step's title in the page language (its form title, else the BPMN name)."""
    info = version_info(definition.id)
    meta = info.meta["user_tasks"].get(step or "")
    if meta is None:
        return step or ""
    form = info.forms.get(meta.get("form") or "")
    return pick(form["title"], lang()) if form and form.get("title") else meta["name"]


def step_label(name):
    """A bilingual diagram name ('市级审核 City review') in the page language only."""
    if not name:
        return ""
    zh, en = split_name(" ".join(str(name).split()))
    return en if lang() == "en" else zh


def task_title(task):
    if task.household_id is not None:  # a household's own process: its step and the household
        household = task.household
        return f"{step_title(household.definition, task.step)} · {household.number} " \
               f"{household.head_name}"
    return step_title(task.project.definition, task.step)


def fact_label(definition, name):
    """The label of a project data name: its form field label, else a known label."""
    spec = field_index(definition).get(name)
    if spec:
        return pick(spec["label"], lang())
    return str(FACT_LABELS.get(name, name))


def fact_value(definition, name, value):
    """A project data value as page text (attachments are rendered as links separately)."""
    return display(field_index(definition).get(name), value, lambda label: pick(label, lang()))


def fact_type(definition, name):
    spec = field_index(definition).get(name)
    return spec["type"] if spec else ""


def days_text(days):
    """Working days left, or overdue, as page text."""
    if days is None:
        return ""
    if days < 0:
        return _("%(n)s working days overdue", n=-days)
    return _("%(n)s working days left", n=days)


def display_value(spec, value):
    """A stored value of a form field as page text in the page language."""
    return display(spec, value, lambda label: pick(label, lang()))


def attachment_name(attachment_id):
    """An attachment's file name (shown instead of its number)."""
    from ..extensions import db
    from ..models import Attachment
    row = db.session.get(Attachment, attachment_id) if isinstance(attachment_id, int) else None
    return row.filename if row is not None else str(attachment_id)


def register(app):
    """Install the label filters."""
    for fn in (status_label, action_label, outcome_label, task_title, days_text, step_label):
        app.jinja_env.filters[fn.__name__] = fn
    app.jinja_env.globals.update(display_value=display_value, attachment_name=attachment_name,
                                 step_title=step_title, fact_label=fact_label,
                                 fact_value=fact_value, fact_type=fact_type,
                                 input_value=input_value, money_text=money_text,
                                 date_bounds=date_bounds)
