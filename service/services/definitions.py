"""Deploying process definitions as numbered versions, and reading them back."""
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select

from ..engine import EngineError, UnsafeXMLError
from ..extensions import db
from ..forms import form_problems
from ..models import ProcessDefinition
from .audit import record
from .errors import Invalid, NotFound
from .runtime import runtime


def definition_sha256(xml, forms):
    """One hash over the diagram and the forms it uses."""
    digest = hashlib.sha256(xml.encode("utf-8"))
    digest.update(json.dumps(forms, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def parse_for_deploy(xml, available_forms):
    """Parse and check a diagram; returns (parsed, forms used) or raises Invalid."""
    try:
        parsed = runtime().engine.parse(xml)
    except (EngineError, UnsafeXMLError) as exc:
        raise Invalid("the diagram cannot be deployed",
                      errors={"file": [{"element": None, "message": str(exc)}]}) from exc
    problems, forms = [], {}
    for task in parsed.meta["user_tasks"].values():
        key = task["form"]
        if not key or key not in available_forms:
            problems.append({"element": task["id"], "message": f"form {key!r} does not exist"})
            continue
        forms[key] = available_forms[key]
        problems += [{"element": task["id"], "message": p} for p in form_problems(forms[key])]
    if problems:
        raise Invalid("the diagram cannot be deployed", errors={"file": problems})
    return parsed, forms


def deploy(xml, available_forms, actor=None, note=""):
    """Deploy a diagram; a changed diagram or form set becomes a new version, else nothing new."""
    parsed, forms = parse_for_deploy(xml, available_forms)
    key = parsed.process_id
    sha = definition_sha256(xml, forms)
    current = latest(key, required=False)
    if current is not None and current.sha256 == sha:
        return current, False
    # Lock the key's versions so two deployments cannot take the same number.
    db.session.execute(select(ProcessDefinition.id).where(ProcessDefinition.key == key)
                       .with_for_update()).all()
    version = (db.session.scalar(select(func.max(ProcessDefinition.version))
                                 .where(ProcessDefinition.key == key)) or 0) + 1
    definition = ProcessDefinition(
        key=key, version=version, name=parsed.meta["name"], sha256=sha, bpmn_xml=xml,
        forms=forms, meta=parsed.meta, change_note=note or "",
        deployed_by_id=actor.id if actor else None, deployed_at=runtime().clock.now_naive())
    db.session.add(definition)
    db.session.flush()
    record("deploy", actor, key=key, version=version, sha256=sha, note=note or "")
    return definition, True


def latest(key, required=True):
    """The newest version of a process key."""
    found = db.session.scalar(select(ProcessDefinition).where(ProcessDefinition.key == key)
                              .order_by(ProcessDefinition.version.desc()).limit(1))
    if found is None and required:
        raise NotFound(f"no process {key!r} is deployed")
    return found


def all_definitions():
    """Every deployed version, newest first per key."""
    return db.session.scalars(select(ProcessDefinition).order_by(
        ProcessDefinition.key, ProcessDefinition.version.desc())).all()


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
