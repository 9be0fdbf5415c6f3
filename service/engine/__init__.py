"""BPMN engine wrapper around SpiffWorkflow. Imports nothing from Flask."""
from .core import Engine, EngineError, Instance, ParsedDefinition, ReadyTask, TaskNotReady
from .expressions import Evaluator, ExpressionError, free_names, parse_expression, parse_script
from .xmlsafe import UnsafeXMLError, parse_xml

__all__ = ["Engine", "EngineError", "Instance", "ParsedDefinition", "ReadyTask", "TaskNotReady",
           "Evaluator", "ExpressionError", "free_names", "parse_expression", "parse_script",
           "UnsafeXMLError", "parse_xml"]
