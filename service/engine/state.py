"""An instance's state as JSON text, reusing the text of finished tasks from one dump to the next.

The text holds what `reference.SpecFreeConverter` (SpiffWorkflow's registry, spec left out) and
`json.dumps` write. A non-root task is stored as a delta against its parent's data, so a
finished task's text is reused only while its own fields, data and internal data and its
parent's data all still equal what they were when the text was written.
"""
import json
from copy import deepcopy
from uuid import UUID

from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

# The options of the reference `json.dumps(..., separators=(",", ":"))`, built once.
_encode = json.JSONEncoder(separators=(",", ":")).encode
_FINISHED = TaskState.FINISHED_MASK
_LEAVES = frozenset({str, int, float, bool, type(None)})
_NO_PARENT = object()
_EMPTY_DELTA = '{"updates":{},"deletions":[]}'


class _Never:
    # Stands for a value that could not be copied: equal to nothing, so the text is rewritten.
    def __eq__(self, other):
        return False

    __hash__ = None


def snapshot(value):
    """A copy of task data that shares only immutable leaves with the original."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if kind is dict:
        return {key: snapshot(item) for key, item in value.items()}
    if kind is list:
        return [snapshot(item) for item in value]
    try:
        return deepcopy(value)
    except Exception:
        return _Never()


def _scalar(value):
    # What the C encoder writes for a float, int or bool (float/int repr); others go through it.
    kind = type(value)
    if kind is float and value - value == 0.0:
        return float.__repr__(value)
    if kind is int:
        return int.__repr__(value)
    if kind is bool:
        return "true" if value else "false"
    return _encode(value)


class _Entry:
    __slots__ = ("key", "pid", "parent", "data", "parent_data", "internal", "deletions", "text")


class StateCache:
    """Texts of one live instance's finished tasks and what each was written from."""

    def __init__(self):
        self.workflow = None
        self.entries = {}  # task -> _Entry, for finished tasks
        self.ids = {}  # id(uuid) -> (uuid, its JSON string)
        self.names = {}  # task spec name -> its JSON string

    def ref(self, uuid):
        """The JSON string of str(uuid), remembered: UUID.__str__ is slow and ids recur."""
        found = self.ids.get(id(uuid))
        if found is not None and found[0] is uuid:
            return found[1]
        # A UUID's text is hex digits and dashes, nothing to escape.
        text = f'"{uuid}"' if type(uuid) is UUID else _encode(str(uuid))
        self.ids[id(uuid)] = (uuid, text)
        return text

    def name(self, name):
        """The JSON string of a task spec name, remembered."""
        text = self.names.get(name)
        if text is None:
            text = self.names[name] = _encode(name)
        return text


def _task_text(registry, cache, task, parent):
    # ('"id":{...}', deletions): the task as TaskConverter.to_dict (encoder mode, plus the
    # typename) and json.dumps write it, with the fields in the same order. Written directly,
    # not as a dict then encoded: a quarter of the time, and unfinished tasks are written at
    # every dump. Check mode compares it with the registry's text.
    if parent is None:
        data, delta, deletions = _encode(task.data), "{}", None
    else:
        updates = DeepMerge.get_updated_keys(parent.data, task.data)
        deletions = DeepMerge.get_deleted_keys(parent.data, task.data)
        data = "{}"
        delta = _encode({"updates": updates, "deletions": deletions}) \
            if updates or deletions else _EMPTY_DELTA
    internal = task.internal_data
    internal = "{}" if type(internal) is dict and not internal \
        else _encode(registry._convert_for_encoder(internal))
    ref = cache.ref
    own = ref(task.id)
    children = ",".join([ref(child) for child in task._children])
    text = (f'{own}:{{"id":{own},"parent":{ref(task._parent) if parent is not None else "null"},'
            f'"children":[{children}],"last_state_change":{_scalar(task.last_state_change)},'
            f'"state":{_scalar(task._state)},"task_spec":{cache.name(task.task_spec.name)},'
            f'"triggered":{_scalar(task.triggered)},"internal_data":{internal},"data":{data},'
            f'"delta":{delta},"typename":{cache.name(registry.typenames[Task])}}}')
    return text, deletions


def _reusable(entry, task, parent, seen):
    if task.data != entry.data or task.internal_data != entry.internal:
        return False
    if parent is None:
        return True
    if seen.get(parent) is not entry.parent_data and parent.data != entry.parent_data:
        return False
    # Equal dicts may list their keys in another order, and so the deletions.
    return not entry.deletions or entry.deletions == DeepMerge.get_deleted_keys(
        parent.data, task.data)


def _new_entry(registry, cache, key, task, parent, seen):
    entry = _Entry()
    entry.key, entry.pid, entry.parent = key, task._parent, parent
    parent_data = _NO_PARENT if parent is None else seen.get(parent)
    if parent_data is None:
        parent_data = snapshot(parent.data)
    entry.parent_data = parent_data
    # Most tasks hold the same data as their parent: share the parent's (never changed) copy.
    entry.data = parent_data if parent is not None and task.data == parent_data \
        else snapshot(task.data)
    entry.internal = snapshot(task.internal_data)
    entry.text, entry.deletions = _task_text(registry, cache, task, parent)
    return entry


def _tasks_text(registry, workflow, cache):
    tasks = workflow.tasks
    if cache.workflow is not workflow:
        cache.workflow, cache.entries = workflow, {}
    if len(cache.ids) > 4 * len(tasks) + 64:
        cache.ids = {}
    old_entries = cache.entries
    # Keyed by Task objects, not ids: hashing a UUID runs Python code, hashing an object does not.
    entries, parts = {}, []
    # task -> the copy found equal to its data in this pass (None if unfinished). A task in it
    # is in workflow.tasks now, so the parent an entry was written with, if seen here, is still
    # the task's parent (and found without hashing its id).
    seen = {}
    for task in tasks.values():
        pid = task._parent
        if task._state & _FINISHED:
            entry = old_entries.get(task)
            parent = entry.parent if entry is not None and entry.pid is pid \
                and (pid is None or entry.parent in seen) else tasks.get(pid)
            key = (task._state, task.last_state_change, task.triggered, tuple(task._children),
                   pid, parent is None, task.task_spec.name)
            if entry is None or entry.key != key or not _reusable(entry, task, parent, seen):
                entry = _new_entry(registry, cache, key, task, parent, seen)
            entries[task], seen[task] = entry, entry.data
            parts.append(entry.text)
            continue
        seen[task] = None
        parts.append(_task_text(registry, cache, task, tasks.get(pid))[0])
    cache.entries = entries
    return ",".join(parts)


def write_state(serializer, workflow, cache):
    """The workflow's state text; json.loads gives what the reference dump's text gives."""
    registry = serializer.registry
    last = workflow.last_task
    head = _encode({"data": registry._convert_for_encoder(registry.clean(workflow.data)),
                    "correlations": workflow.correlations,
                    "last_task": str(last.id) if last is not None else None,
                    "success": workflow.success, "completed": workflow.completed})
    subprocesses, events = {}, workflow.bpmn_events
    if workflow.subprocesses or events:
        # Not in our processes so far: the registry's own encoder-mode conversion.
        registry._encoder_mode = True
        try:
            subprocesses = {str(k): registry.convert(v) for k, v in workflow.subprocesses.items()}
            events = registry.convert(events)
        finally:
            registry._encoder_mode = False
    tail = _encode({"root": str(workflow.task_tree.id), "subprocesses": subprocesses,
                    "bpmn_events": events, "typename": registry.typenames[type(workflow)],
                    serializer.VERSION_KEY: serializer.VERSION})
    return f'{head[:-1]},"tasks":{{{_tasks_text(registry, workflow, cache)}}},{tail[1:]}'
