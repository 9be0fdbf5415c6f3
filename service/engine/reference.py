"""The registry's own state dump, which the fast one in state.py must match, and the check."""
import json
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter, WorkflowConverter)
from SpiffWorkflow.util.task import TaskState


class SpecFreeConverter(BpmnWorkflowConverter):
    """The workflow converter without the spec (~10 KB, stored once per definition version)."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct):
        workflow = self.target_class(dct.pop("spec"), dct.pop("subprocess_specs"),
                                     deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def reference_dump(serializer, workflow):
    """The state text as SpiffWorkflow's registry (in encoder mode) and json.dumps write it."""
    registry = serializer.registry
    registry._encoder_mode = True
    try:
        dct = serializer.to_dict(workflow)
    finally:
        registry._encoder_mode = False
    dct[serializer.VERSION_KEY] = serializer.VERSION
    return json.dumps(dct, separators=(",", ":"))


def first_difference(text, reference):
    """None when two state texts hold equal data, else where they first differ."""
    if text == reference:
        return None
    mine, theirs = json.loads(text), json.loads(reference)
    if mine == theirs:
        return None
    my_tasks, their_tasks = mine.get("tasks", {}), theirs.get("tasks", {})
    for task_id in [*their_tasks, *(t for t in my_tasks if t not in their_tasks)]:
        if my_tasks.get(task_id) != their_tasks.get(task_id):
            task = their_tasks.get(task_id) or my_tasks[task_id]
            return f"task {task_id} ({task['task_spec']}, " \
                   f"{TaskState.get_name(task['state'])})"
    key = next(k for k in [*theirs, *mine]
               if k not in mine or k not in theirs or mine[k] != theirs[k])
    return f"top-level key {key!r}"
