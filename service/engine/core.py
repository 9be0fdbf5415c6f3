"""The workflow engine: parses and caches specs, starts, runs and (de)serialises instances.

It wraps SpiffWorkflow and knows nothing of Flask or the database; the service layer passes in
definitions and state strings and stores what it gets back.
"""
import json
import logging
from collections import OrderedDict
from datetime import datetime, timezone
from dataclasses import dataclass
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition, TimerEventDefinition)
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from . import budget, metadata
from .compat import for_engine
from .migration import remap_state
from .expressions import Evaluator, ExpressionError
from .scripting import SafeEnvironment, SafeScriptEngine
from .reference import SpecFreeConverter, first_difference, reference_dump
from .state import StateCache, write_state
from . import timeclock
from .tree import ready_manual_tasks, run_engine_steps, skip_idle_waiting_walks
from .xmlsafe import parse_xml


log = logging.getLogger(__name__)


class EngineError(Exception):
    """A definition that cannot be parsed or a step that cannot run."""


def _step_error(exc):
    """The engine's message, naming the BPMN element it stopped at and the evaluator's reason
    (SpiffWorkflow's own message keeps only the expression text)."""
    reason, cause = None, exc
    while cause is not None and reason is None:
        if isinstance(cause, ExpressionError):
            reason = str(cause)
        cause = cause.__cause__ or cause.__context__
    spec = getattr(exc, "task_spec", None)
    element = getattr(spec, "bpmn_id", None)
    parts = [str(exc).strip()]
    if element:
        name = getattr(spec, "bpmn_name", None)
        parts.insert(0, f"{element} ({name}):" if name else f"{element}:")
    if reason and reason not in parts[-1]:
        parts.append(reason)
    return " ".join(parts)


class TaskNotReady(EngineError):
    """The task exists but is not a READY manual task."""


def _connect_loops(spec):
    # Multi-instance children report back to their parent through this signal; SpiffWorkflow
    # connects it when a child is created or a spec is deserialised, but not for a freshly
    # parsed spec, so an instance restored mid-loop (after a restart or a migration) would stall.
    for task_spec in spec.task_specs.values():
        child = spec.task_specs.get(getattr(task_spec, "task_spec", None) or "")
        if isinstance(task_spec, LoopTask) and child is not None \
                and not child.completed_event.is_connected(task_spec.merge_child):
            child.completed_event.connect(task_spec.merge_child)


@dataclass(frozen=True)
class ReadyTask:
    """A READY user task as the service sees it."""
    id: str
    step: str
    data: dict


@dataclass
class ParsedDefinition:
    """A parsed process: the SpiffWorkflow spec plus our metadata."""
    process_id: str
    spec: object
    subprocess_specs: dict
    meta: dict


class Instance:
    """One running workflow with the named operations the service needs."""

    def __init__(self, workflow, definition, now=None):
        self.workflow = workflow
        self.definition = definition
        # The clock BPMN timers follow (aware UTC); the wall clock when none is given.
        self._now = now or (lambda: datetime.now(timezone.utc))
        skip_idle_waiting_walks(workflow)
        self.state_cache = StateCache()  # texts of finished tasks, for Engine.dump

    @property
    def data(self):
        """The process data as it stands after the last step."""
        if self.completed:
            return self.workflow.data
        last = self.workflow.last_task
        return last.data if last is not None else self.workflow.data

    def ready_user_tasks(self):
        """READY manual tasks, in tree order."""
        return [ReadyTask(str(t.id), t.task_spec.bpmn_id, t.data)
                for t in ready_manual_tasks(self.workflow)]

    def task_data(self, task_id):
        """Data of one task (as the form will see it)."""
        return self._task(task_id).data

    def complete(self, task_id, values):
        """Run a READY manual task with the given form values, then advance the engine."""
        task = self._task(task_id)
        if task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(f"task {task_id} is not ready")
        task.data.update(values)
        try:
            # One budget for everything the step runs: a loop of automatic steps ends too.
            with timeclock.following(self._now), budget.shared():
                task.run()
                run_engine_steps(self.workflow)
        except (SpiffWorkflowException, ExpressionError) as exc:
            raise EngineError(_step_error(exc)) from exc
        except Exception as exc:  # SpiffWorkflow failing inside on what a diagram asked for
            log.warning("the engine failed on a step", exc_info=True)
            raise EngineError(_step_error(exc)) from exc

    def timers(self):
        """(waiting task, moment it fires as aware UTC) of every timer the instance waits on."""
        found = []
        for task in list(self.workflow.event_manager.tasks.values()):
            definition = getattr(task.task_spec, "event_definition", None)
            if not isinstance(definition, TimerEventDefinition):
                continue
            value = task._get_internal_data("event_value")
            if isinstance(definition, CycleTimerEventDefinition) and isinstance(value, dict):
                value = value.get("next")
            try:
                moment = TimerEventDefinition.get_datetime(value) if value else None
            except (TypeError, ValueError):
                moment = None
            if moment is not None:
                found.append((task, moment))
        return found

    def next_timer(self):
        """When the earliest waiting timer fires (aware UTC), or None."""
        moments = [moment for _, moment in self.timers()]
        return min(moments) if moments else None

    def advance(self, now=None):
        """Fire timers due at `now` (default: the instance's clock) and run automatic steps."""
        if now is None:
            now = self._now()
        now = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
        try:
            with timeclock.following(lambda: now), budget.shared():
                for task, moment in self.timers():
                    if moment <= now and not isinstance(
                            task.task_spec.event_definition, CycleTimerEventDefinition):
                        task._set_internal_data(event_fired=True)
                self.workflow.refresh_timers()
                self.workflow.do_engine_steps()
        except (SpiffWorkflowException, ExpressionError) as exc:
            raise EngineError(_step_error(exc)) from exc
        except Exception as exc:  # SpiffWorkflow failing inside on what a diagram asked for
            log.warning("the engine failed on a step", exc_info=True)
            raise EngineError(_step_error(exc)) from exc

    @property
    def completed(self):
        """Whether no task is left unfinished (no READY, WAITING or predicted task)."""
        # SpiffWorkflow keeps the answer once true; before that it walks the tree each time,
        # while one look over the task table finds an unfinished task at once.
        if any(task._state & TaskState.NOT_FINISHED_MASK
               for task in self.workflow.tasks.values()):
            return False
        return self.workflow.is_completed()

    def end_status(self):
        """`completed`, `rejected` or another status named by the end event reached."""
        ends = self.definition.meta["end_events"]
        for task in self.workflow.get_tasks(state=TaskState.COMPLETED):
            if task.task_spec.bpmn_id in ends:
                return ends[task.task_spec.bpmn_id]
        return "completed"

    def predict(self):
        """Rebuild the predicted tasks after the open ones (after a migration dropped them)."""
        mask = TaskState.PREDICTED_MASK | TaskState.FUTURE
        for task in self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING
                                            | TaskState.STARTED):
            task.task_spec._predict_hook(task)
            for child in task.children:
                if child.has_state(mask):
                    child.task_spec._predict(child, mask=mask)

    def _task(self, task_id):
        try:
            task = self.workflow.get_task_from_id(UUID(str(task_id)))
        except Exception:
            task = None
        if task is None:
            raise TaskNotReady(f"task {task_id} does not exist in this workflow")
        return task


class Engine:
    """Parses definitions (cached per version), starts, loads and dumps instances."""

    def __init__(self, functions=None, cache_size=64, check_dumps=False, now=None):
        timeclock.install()
        # What BPMN timers read as the current time (aware UTC): the service's clock.
        self.now = now or (lambda: datetime.now(timezone.utc))
        self.evaluator = Evaluator(functions)
        self.script_engine = SafeScriptEngine(environment=SafeEnvironment(self.evaluator))
        registry = BpmnWorkflowSerializer.configure(
            {**DEFAULT_CONFIG, BpmnWorkflow: SpecFreeConverter})
        self.serializer = BpmnWorkflowSerializer(registry)
        self._specs = OrderedDict()
        self._cache_size = cache_size
        # Every dump is also written the slow reference way and compared (the tests turn it on).
        self.check_dumps = check_dumps

    def parse(self, xml, process_id=None, validate=True):
        """Parse BPMN text into a ParsedDefinition (safe XML, XSD-validated)."""
        tree = for_engine(parse_xml(xml))
        meta = metadata.extract(tree)
        executable = [p for p, m in meta.items() if m["executable"]]
        process_id = process_id or (executable or list(meta) or [None])[0]
        if process_id not in meta:
            raise EngineError("the file contains no executable BPMN process")
        parser = BpmnParser(validator=BpmnValidator() if validate else None)
        try:
            parser.add_bpmn_xml(tree, filename=f"{process_id}.bpmn")
            spec = parser.get_spec(process_id)
            subprocess_specs = parser.get_subprocess_specs(process_id)
        except ValidationException as exc:
            raise EngineError(str(exc)) from exc
        for each in (spec, *subprocess_specs.values()):
            _connect_loops(each)
        return ParsedDefinition(process_id, spec, subprocess_specs, meta[process_id])

    def definition(self, version_id, xml, process_id=None):
        """The parsed definition for a stored version, from the cache when possible.

        `xml` may be a callable, so the caller loads the text only on a cache miss.
        """
        parsed = self._specs.get(version_id)
        if parsed is None:
            parsed = self.parse(xml() if callable(xml) else xml, process_id, validate=False)
            self._specs[version_id] = parsed
            if len(self._specs) > self._cache_size:
                self._specs.popitem(last=False)
        else:
            self._specs.move_to_end(version_id)
        return parsed

    def start(self, definition, data=None):
        """A new instance with initial data, advanced to its first wait state."""
        workflow = BpmnWorkflow(definition.spec, definition.subprocess_specs,
                                script_engine=self.script_engine)
        if data:
            workflow.task_tree.data.update(data)
            for task in workflow.get_tasks(state=TaskState.READY):
                task.data.update(data)
        instance = Instance(workflow, definition, self.now)
        instance.advance()
        return instance

    def dump(self, instance):
        """Serialise an instance's state (without its spec) to JSON text."""
        state = write_state(self.serializer, instance.workflow, instance.state_cache)
        if self.check_dumps:
            difference = first_difference(state, self._reference_dump(instance))
            if difference is not None:
                raise EngineError(f"the state dump differs from the reference at {difference}")
        return state

    def _reference_dump(self, instance):
        # The registry's own conversion (the way `dump` worked before state.py): what it must match.
        return reference_dump(self.serializer, instance.workflow)

    def load(self, definition, state):
        """Restore an instance from JSON text written by `dump`."""
        dct = json.loads(state)
        self.serializer.migrate(dct)
        return self._restore(definition, dct)

    def migrate(self, old, new, state, mapping=None):
        """(instance moved from `old` onto `new`, problems); `mapping` renames old step ids."""
        dct = json.loads(state)
        self.serializer.migrate(dct)
        problems = remap_state(dct, old.spec, new.spec, dict(mapping or {}))
        if problems:
            return None, problems
        instance = self._restore(new, dct)
        instance.predict()
        return instance, []

    def _restore(self, definition, dct):
        dct["spec"] = definition.spec
        dct["subprocess_specs"] = definition.subprocess_specs
        workflow = self.serializer.from_dict(dct)
        workflow.script_engine = self.script_engine
        return Instance(workflow, definition, self.now)
