"""Drafts of a process kept on the server: save, list, open, update, delete, deploy."""
from sqlalchemy import select
from sqlalchemy.orm import undefer
from sqlalchemy.orm.exc import StaleDataError

from ...engine.xmlsafe import UnsafeXMLError, parse_xml
from ...extensions import db
from ...forms import form_problems, form_shape_problems
from ...models import ProcessDraft
from ..records.audit import record
from .definitions import deploy, form_set, get_definition, process_key_of, require_rule_editor
from ..errors import Conflict, Invalid, NotFound
from ..runtime import runtime

EDITABLE = ("title", "bpmn_xml", "forms", "note")


def _checked_xml(xml):
    """The diagram if it is well-formed, safe XML (it may still fail the deployment checks)."""
    try:
        parse_xml(xml)
    except UnsafeXMLError as exc:
        raise Invalid("the draft's diagram is refused", errors={"bpmn_xml": [str(exc)]}) from None
    return xml


def _checked_forms(forms):
    """The draft's form definitions if each has the shape of a form."""
    found = {key: problems for key, form in (forms or {}).items()
             if (problems := form_shape_problems(form))}
    if found:
        raise Invalid("the draft's form definitions are refused", errors={"forms": found})
    return dict(forms or {})


def form_warnings(draft):
    """Problems the deployment checks will find in the draft's forms (saving is still allowed)."""
    return {key: found for key, form in (draft.forms or {}).items()
            if (found := form_problems(form))}


def get_draft(user, draft_id):
    """One draft with its diagram, or NotFound."""
    require_rule_editor(user)
    draft = db.session.scalar(select(ProcessDraft).options(undefer(ProcessDraft.bpmn_xml))
                              .where(ProcessDraft.id == draft_id))
    if draft is None:
        raise NotFound("draft not found")
    return draft


def list_drafts(user, key=None, include_deployed=False):
    """Drafts (of one process if given), most recently changed first."""
    require_rule_editor(user)
    query = select(ProcessDraft)
    if key:
        query = query.where(ProcessDraft.key == key)
    if not include_deployed:
        query = query.where(ProcessDraft.deployed_definition_id.is_(None))
    return db.session.scalars(query.order_by(ProcessDraft.updated_at.desc(),
                                             ProcessDraft.id.desc())).all()


def new_forms(user, key, deployed_forms):
    """Forms that exist only in drafts of a process (newest draft wins), for the modeler."""
    offered = {}
    for draft in reversed(list_drafts(user, key)):
        offered.update({k: f for k, f in (draft.forms or {}).items() if k not in deployed_forms})
    return offered


def save_draft(user, title, bpmn_xml=None, forms=None, note="", based_on_id=None):
    """Save a new draft; without a diagram it starts from the version it is based on."""
    require_rule_editor(user)
    base = get_definition(based_on_id) if based_on_id else None
    if not bpmn_xml and base is None:
        raise Invalid("a draft needs a diagram", errors={"bpmn_xml": ["give the BPMN XML or "
                                                                      "based_on_id"]})
    xml = _checked_xml(bpmn_xml or base.bpmn_xml)
    key = process_key_of(xml) or (base.key if base else None)
    if not key:
        raise Invalid("the draft's diagram declares no executable process",
                      errors={"bpmn_xml": ["no <process isExecutable=\"true\"> with an id"]})
    now = runtime().clock.now_naive()
    draft = ProcessDraft(key=key, title=title, based_on_id=base.id if base else None,
                         bpmn_xml=xml, forms=_checked_forms(forms), note=note or "",
                         saved_by_id=user.id, saved_at=now, updated_by_id=user.id,
                         updated_at=now)
    db.session.add(draft)
    db.session.flush()
    record("draft_saved", user, draft_id=draft.id, key=key, title=title, created=True,
           forms=sorted(draft.forms))
    db.session.commit()
    return draft


def update_draft(user, draft_id, revision=None, **changes):
    """Replace the fields given (title, bpmn_xml, forms, note) of a draft not yet deployed;
    Conflict when `revision` is given and the draft was saved again since."""
    draft = get_draft(user, draft_id)
    if draft.deployed_definition_id is not None:
        raise Conflict("this draft was deployed; save a new draft instead")
    if revision is not None and revision != draft.revision:
        raise _saved_since(draft)
    changes = {k: v for k, v in changes.items() if k in EDITABLE and v is not None}
    if "bpmn_xml" in changes:
        changes["bpmn_xml"] = _checked_xml(changes["bpmn_xml"])
        draft.key = process_key_of(changes["bpmn_xml"]) or draft.key
    if "forms" in changes:
        changes["forms"] = _checked_forms(changes["forms"])
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.updated_by_id, draft.updated_at = user.id, runtime().clock.now_naive()
    record("draft_saved", user, draft_id=draft.id, key=draft.key, title=draft.title,
           created=False, changed=sorted(changes), forms=sorted(draft.forms or {}))
    _commit_unless_saved_since(user, draft_id)
    return draft


def _commit_unless_saved_since(user, draft_id):
    # The UPDATE matches the revision it read: a save committed by someone else between our
    # read and our write makes it match nothing, and this change is refused.
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise _saved_since(get_draft(user, draft_id)) from None


def _saved_since(draft):
    who = draft.updated_by.display_name or draft.updated_by.username if draft.updated_by else "?"
    return Conflict(f"{who} saved this draft since you opened it (now revision "
                    f"{draft.revision}); reopen it and make your change again")


def delete_draft(user, draft_id):
    """Delete a draft (the audit trail keeps who deleted which)."""
    draft = get_draft(user, draft_id)
    record("draft_deleted", user, draft_id=draft.id, key=draft.key, title=draft.title,
           deployed_definition_id=draft.deployed_definition_id)
    db.session.delete(draft)
    db.session.commit()


def deploy_draft(user, draft_id, note="", locale="zh"):
    """Deploy a draft through the deployment checks; returns (definition, created)."""
    draft = get_draft(user, draft_id)
    if draft.deployed_definition_id is not None:
        raise Conflict("this draft was already deployed")
    note = (note or draft.note or "").strip()
    if not note:
        raise Invalid("write a change note", errors={"note": ["write a change note"]})
    forms = form_set(draft.bpmn_xml, draft.forms)
    definition, created = deploy(draft.bpmn_xml, forms, user, note[:2000], locale,
                                 draft_id=draft.id)
    draft.deployed_definition_id = definition.id
    draft.updated_by_id, draft.updated_at = user.id, runtime().clock.now_naive()
    _commit_unless_saved_since(user, draft_id)
    return definition, created
