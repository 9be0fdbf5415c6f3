"""Comparing deployed versions and rolling back to an earlier one (as a new version)."""
from sqlalchemy import select

from ...engine.diff import diff
from ...extensions import db
from ...models import ProcessDefinition
from .definitions import deploy, get_definition, latest, require_rule_editor
from ..errors import Conflict, Invalid


def previous_version(definition):
    """The version deployed just before this one (same key), or None."""
    return db.session.scalar(
        select(ProcessDefinition).where(ProcessDefinition.key == definition.key,
                                        ProcessDefinition.version < definition.version)
        .order_by(ProcessDefinition.version.desc()).limit(1))


def _side(definition):
    return {"xml": definition.bpmn_xml, "meta": definition.meta, "forms": definition.forms or {},
            "key": definition.key}


def compare(definition_id, against_id=None):
    """Changes from `against` (default: the previous version) to the given version."""
    definition = get_definition(definition_id)
    base = get_definition(against_id) if against_id else previous_version(definition)
    if base is not None and base.key != definition.key:
        raise Invalid("versions of different processes cannot be compared",
                      errors={"against": [f"version {base.id} is of process {base.key!r}"]})
    empty = {"xml": "<x/>", "meta": {"user_tasks": {}}, "forms": {}, "key": definition.key}
    changes = diff(_side(base) if base else empty, _side(definition))
    ref = lambda d: {"id": d.id, "key": d.key, "version": d.version} if d else None  # noqa: E731
    return {"from": ref(base), "to": ref(definition), **changes}


def rollback(user, definition_id, note="", locale="zh"):
    """Make an earlier version the latest again by deploying its diagram and forms anew."""
    require_rule_editor(user)
    target = get_definition(definition_id)
    current = latest(target.key)
    if current.id == target.id or current.sha256 == target.sha256:
        raise Conflict(f"version {target.version} is already what new projects get")
    text = f"rollback to version {target.version}" + (f": {note}" if note else "")
    definition, _ = deploy(target.bpmn_xml, dict(target.forms or {}), user, text, locale,
                           action="rollback", rolled_back_to=target.version,
                           replaced_version=current.version)
    db.session.commit()
    return definition
