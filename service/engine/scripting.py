"""SpiffWorkflow's script engine, made to evaluate through the safe evaluator only."""
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

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
