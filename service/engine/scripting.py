"""SpiffWorkflow's script engine, made to evaluate through the safe evaluator only."""
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from .budget import MAX_INSTANCES
from .expressions import ExpressionError, parse_expression


class SafeEnvironment:
    """Script environment for SpiffWorkflow that uses the safe evaluator, never eval/exec."""

    def __init__(self, evaluator):
        self.evaluator = evaluator

    def evaluate(self, expression, context, external_context=None):
        return self.evaluator.evaluate(expression, {**(external_context or {}), **context})

    def execute(self, script, context, external_context=None):
        self.evaluator.execute(script, context)
        return True

    def call_service(self, context, **kwargs):
        raise ExpressionError("service tasks are not supported")


class SafeScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose validation and evaluation go through the safe evaluator."""

    def validate(self, expression):
        parse_expression(expression)

    def evaluate(self, task, expression, external_context=None):
        value = super().evaluate(task, expression, external_context)
        # A loop cardinality makes that many task instances at once (and their rows).
        if expression == getattr(task.task_spec, "cardinality", None) and \
                isinstance(value, int) and not 0 <= value <= MAX_INSTANCES:
            raise WorkflowTaskException(
                f"the multi-instance count {value} is not between 0 and {MAX_INSTANCES}",
                task=task)
        return value
