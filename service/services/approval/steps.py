"""The steps a list can be filtered by, read from the deployed definitions (a few rows, their
metadata cached per version) instead of DISTINCT step over the task rows, which reads every
task of a queue of a million."""
from sqlalchemy import select

from ...extensions import db
from ...models import ProcessDefinition
from ..policy.definitions import version_info


def deployed_steps(role=None, exclude=()):
    """Sorted (step id, name) of the user tasks of every deployed version: those done by
    `role` if given, none of the processes whose keys are in `exclude`."""
    found = set()
    for definition_id, key in db.session.execute(
            select(ProcessDefinition.id, ProcessDefinition.key)):
        if key in exclude:
            continue
        for task in version_info(definition_id).meta.get("user_tasks", {}).values():
            if role is None or task.get("role") == role:
                found.add((task["id"], task.get("name") or task["id"]))
    return sorted(found)
