"""Page labels for stored keys: statuses, audit actions, steps, facts (registries, translated)."""
import re
from functools import lru_cache

from flask_babel import get_locale, gettext as _, lazy_gettext as L

from ..forms import pick
from ..services.notices.notices import split_name
from ..services.policy.definitions import version_info
from .widgets import date_bounds, display, field_index, input_value, money_text, unit_label

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
    "escalation": L("Escalated"), "escalation_cleared": L("Escalation cleared"),
    "certificate_tracked": L("Title certificates tracked"),
    "certificate_done": L("Title certificates done"), "timer": L("Timer fired"),
    "timer_failed": L("Timer failed"), "migrate": L("Moved to another process version"),
    "households_start": L("Household processes started"),
    "households_import": L("Household register imported"),
    "household_edit": L("Household record changed"),
    "personal_data_view": L("Personal data viewed"),
    "housing_reserve": L("Housing reserved"), "housing_release": L("Housing released"),
    "housing_allocate": L("Housing allocated"), "housing_unallocate": L("Allocation undone"),
    "overdue_resettlement": L("Overdue resettlement"), "overdue_classify": L("Overdue case classified"),
    "overdue_close": L("Overdue case closed off"), "draft_saved": L("Draft saved"),
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
    return pick(form["title"], lang()) if form and form.get("title") else step_label(meta["name"])


def step_label(name):
    """A bilingual diagram name ('市级审核 City review') in the page language only."""
    if not name:
        return ""
    zh, en = split_name(" ".join(str(name).split()))
    return en if lang() == "en" else zh


def step_name(step):
    """A step key as the step's name in the page language (for lists that hold only keys)."""
    from flask import g
    from sqlalchemy import select
    from ..extensions import db
    from ..models import Task
    names = g.setdefault("step_names", {})
    if step not in names:
        names[step] = db.session.scalar(select(Task.name).where(Task.step == step).limit(1))
    return step_label(names[step]) if names[step] else (step or "")


@lru_cache(maxsize=64)
def _element_names(definition_id, xml):
    from ..engine.xmlsafe import parse_xml
    return {e.get("id"): " ".join((e.get("name") or "").split())
            for e in parse_xml(xml).getroot().iter() if e.get("id")}


def _definition(ref):
    # diffs name their versions as {id, key, version}
    if isinstance(ref, dict):
        from ..extensions import db
        from ..models import ProcessDefinition
        return db.session.get(ProcessDefinition, ref["id"])
    return ref


def element_name(definition, element_id):
    """A diagram element's name (step, gateway, flow) in the page language; its form title
    for a step; a placeholder for an unnamed element, never its id."""
    definition = _definition(definition)
    if element_id is None or definition is None:
        return ""
    meta = version_info(definition.id).meta["user_tasks"].get(element_id)
    if meta is not None:
        return step_title(definition, element_id)
    name = _element_names(definition.id, definition.bpmn_xml).get(element_id)
    return step_label(name) if name else _("(unnamed element)")


def form_title(definition, key):
    """A form's title in the page language, by its key."""
    definition = _definition(definition)
    if definition is None:
        return key or ""
    form = version_info(definition.id).forms.get(key or "")
    if form is None:
        return _("new form")  # being drafted: its key is the address, not a name
    return pick(form["title"], lang()) if form.get("title") else (key or "")


def change_note(note):
    """A version's change note; the note the set-up command writes, in the page language."""
    if note and note.startswith("deployed from ") and note.endswith(".bpmn"):
        return _("Deployed from the process file at set-up")
    return note or ""


#: the policy documents forms cite by their seed number, by name and document number
DOCUMENTS = {
    "000": ("《关于建立市统筹区实施工作机制加快推进市区征收拆迁安置工作的实施意见》（镇政办发〔2018〕10号）",
            "the Implementing Opinions on City-Coordinated Expropriation and Resettlement "
            "(Zhenjiang Government Office [2018] No. 10)"),
    "001": ("《关于进一步加强征地拆迁补偿安置工作的通知》（巴南府发〔2015〕118号）",
            "the Notice on Strengthening Compensation and Resettlement for Land Expropriation "
            "(Banan Government [2015] No. 118)"),
    "002": ("《关于加快推进棚户区改造和解决棚改逾期未安置问题工作的通知》（吉安居办〔2020〕18号）",
            "the Notice on Speeding up Shantytown Renovation and Overdue Resettlement "
            "(Jilin Housing Office [2020] No. 18)"),
    "003": ("《关于进一步做好回迁安置工作的意见》（鹤办发〔2019〕24号）",
            "the Opinions on Improving Resettlement (Hegang Party Office [2019] No. 24)"),
    "004": ("《XX区进一步推进棚户区改造工作实施方案》", "the District Shantytown Renovation Plan"),
}
_CITED = re.compile(r"(?<![0-9A-Za-z])(00[0-4])(?![0-9])")


def cite(text):
    """Instructions with each cited document named by title and number, not its file number."""
    if not text:
        return ""
    index = 1 if lang() == "en" else 0
    return _CITED.sub(lambda m: DOCUMENTS[m.group(1)][index], text)


_NAME_ATTR = re.compile(r'(\sname=")([^"]*)(")')


def diagram_xml(xml):
    """A diagram to show (not to edit) with each bilingual name in the page language only."""
    return _NAME_ATTR.sub(lambda m: m.group(1) + step_label(m.group(2)) + m.group(3), xml or "")


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
    for fn in (status_label, action_label, outcome_label, task_title, days_text, step_label,
               change_note, cite, diagram_xml):
        app.jinja_env.filters[fn.__name__] = fn
    app.jinja_env.globals.update(display_value=display_value, step_name=step_name,
                                 element_name=element_name, form_title=form_title,
                                 unit_label=unit_label, attachment_name=attachment_name,
                                 step_title=step_title, fact_label=fact_label,
                                 fact_value=fact_value, fact_type=fact_type,
                                 input_value=input_value, money_text=money_text,
                                 date_bounds=date_bounds)
