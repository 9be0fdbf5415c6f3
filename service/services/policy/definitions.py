"""Deploying process definitions as numbered versions, and reading them back."""
import hashlib
import json
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...engine.validation import validate
from ...engine.xmlsafe import UnsafeXMLError, parse_xml
from ...engine import metadata
from ...extensions import db
from ...forms import form_problems, load_forms
from ...models import ProcessDefinition
from ...roles import ROLES, may_change_rules
from ..records.audit import record
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..runtime import runtime


def definition_sha256(xml, forms):
    """One hash over the diagram and the forms it uses."""
    digest = hashlib.sha256(xml.encode("utf-8"))
    digest.update(json.dumps(forms, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def localized(problems, locale):
    """Problems with their message in one language (the API's answer)."""
    return [{**p, "message": p["message"].get(locale) or p["message"]["zh"]} for p in problems]


def check_diagram(xml, available_forms):
    """The full validation result (problems in both languages) for a diagram and form set."""
    return validate(xml, available_forms, ROLES,
                    lambda text: runtime().engine.parse(text, validate=False), form_problems)


def parse_for_deploy(xml, available_forms, locale="zh"):
    """Parse and check a diagram; returns (parsed, forms used) or raises Invalid (422)."""
    result = check_diagram(xml, available_forms)
    if not result.ok:
        raise Invalid("the diagram cannot be deployed",
                      errors={"file": localized(result.problems, locale)})
    return result.parsed, result.forms


def require_rule_editor(user):
    """Forbidden unless the user is policy staff or an administrator."""
    if not may_change_rules(user):
        raise Forbidden("only policy staff and administrators can change processes")


def process_key_of(xml):
    """The executable process id a diagram declares, or None when it cannot be read."""
    try:
        found = metadata.extract(parse_xml(xml))
    except UnsafeXMLError:
        return None
    return next((key for key, meta in found.items() if meta["executable"]), None)


def form_set(xml, supplied=None):
    """Forms on offer for a diagram: forms/ files, then the latest version's, then supplied."""
    forms = load_forms(current_app.config["FORMS_DIR"])
    key = process_key_of(xml)
    current = latest(key, required=False) if key else None
    if current is not None:
        forms.update(current.forms or {})
    forms.update(supplied or {})
    return forms


def deploy_upload(user, xml, supplied_forms=None, note="", validate_only=False, locale="zh"):
    """Policy staff deploy (or only check) a diagram with forms; returns (definition, created)."""
    require_rule_editor(user)
    forms = form_set(xml, supplied_forms)
    if validate_only:
        parsed, used = parse_for_deploy(xml, forms, locale)
        return {"valid": True, "key": parsed.process_id, "forms": sorted(used),
                "user_tasks": list(parsed.meta["user_tasks"].values())}, False
    definition, created = deploy(xml, forms, user, note, locale)
    db.session.commit()
    return definition, created


def deploy(xml, available_forms, actor=None, note="", locale="zh", action="deploy", **detail):
    """Deploy a diagram; a changed diagram or form set becomes a new version, else nothing new."""
    parsed, forms = parse_for_deploy(xml, available_forms, locale)
    key = parsed.process_id
    sha = definition_sha256(xml, forms)
    current = latest(key, required=False)
    if current is not None and current.sha256 == sha:
        return current, False
    version = next_version(key)
    definition = ProcessDefinition(
        key=key, version=version, name=parsed.meta["name"], sha256=sha, bpmn_xml=xml,
        forms=forms, meta=parsed.meta, change_note=note or "",
        deployed_by_id=actor.id if actor else None, deployed_at=runtime().clock.now_naive())
    db.session.add(definition)
    try:
        db.session.flush()
    except IntegrityError:
        # A brand-new key has no rows to lock: a simultaneous deployment took the number.
        db.session.rollback()
        raise Conflict(f"another deployment of process {key!r} took version {version} at the "
                       "same time; nothing was deployed, try again") from None
    record(action, actor, key=key, version=version, definition_id=definition.id, sha256=sha,
           note=note or "", forms=sorted(forms), **detail)
    return definition, True


def next_version(key):
    """The next version number of a key, with its existing versions locked (PostgreSQL)."""
    db.session.execute(select(ProcessDefinition.id).where(ProcessDefinition.key == key)
                       .with_for_update()).all()
    return (db.session.scalar(select(func.max(ProcessDefinition.version))
                              .where(ProcessDefinition.key == key)) or 0) + 1


def latest(key, required=True):
    """The newest version of a process key."""
    found = db.session.scalar(select(ProcessDefinition).where(ProcessDefinition.key == key)
                              .order_by(ProcessDefinition.version.desc()).limit(1))
    if found is None and required:
        raise NotFound(f"no process {key!r} is deployed")
    return found


def get_definition(definition_id):
    """One deployed version by id, or NotFound."""
    found = db.session.get(ProcessDefinition, definition_id)
    if found is None:
        raise NotFound("process definition not found")
    return found


def all_definitions(key=None):
    """Every deployed version (of one key if given), newest first per key."""
    query = select(ProcessDefinition)
    if key:
        query = query.where(ProcessDefinition.key == key)
    return db.session.scalars(query.order_by(
        ProcessDefinition.key, ProcessDefinition.version.desc())).all()


def mark_latest(rows):
    """Set `.latest` on each version: whether it is what new projects of its key get."""
    newest = {}
    for key in {r.key for r in rows}:
        newest[key] = db.session.scalar(select(func.max(ProcessDefinition.version))
                                        .where(ProcessDefinition.key == key))
    for row in rows:
        row.latest = row.version == newest[row.key]
    return rows


@dataclass(frozen=True)
class DeployedVersion:
    """What the hot path needs of a deployed version; versions never change once deployed."""
    id: int
    key: str
    version: int
    forms: dict
    meta: dict


def _load_version(definition_id):
    row = db.session.execute(select(
        ProcessDefinition.key, ProcessDefinition.version, ProcessDefinition.forms,
        ProcessDefinition.meta).where(ProcessDefinition.id == definition_id)).one()
    return DeployedVersion(definition_id, row.key, row.version, row.forms, row.meta)


def version_info(definition_id):
    """Forms and metadata of a deployed version (cached per process)."""
    return runtime().version(definition_id, _load_version)


def parsed(definition_id):
    """The engine's parsed (and cached) form of a stored definition."""
    def load_xml():
        return db.session.scalar(select(ProcessDefinition.bpmn_xml)
                                 .where(ProcessDefinition.id == definition_id))
    return runtime().engine.definition(definition_id, load_xml, version_info(definition_id).key)
