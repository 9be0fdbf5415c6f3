"""What deployment can show about an expression's cost before any process runs it.

Parts of an expression that read no process data (`[0]*100000`, a comprehension over constant
lists) compute the same thing on every run, so they are evaluated once here under the same
budget as at run time; nested loops are refused when the constant lists they run over alone
multiply past the step budget, whatever the data. What depends on the data is left to the
budget at run time.
"""
import ast

from . import budget
from .expressions import Evaluator, ExpressionError, parse_expression, parse_script

_LOOPS = (ast.ListComp, ast.SetComp, ast.GeneratorExp)


def over_budget(source, script=False):
    """Why an expression (or script) would exceed the budget whatever the data, or None."""
    tree = parse_script(source) if script else parse_expression(source)
    stack = [s.value for s in tree.body if isinstance(s, ast.Assign)] if script else [tree.body]
    evaluator = Evaluator()
    while stack:
        node = stack.pop()
        if not isinstance(node, ast.expr):
            stack.extend(ast.iter_child_nodes(node))
            continue
        if _closed(node):
            reason = _evaluate(evaluator, node)[1]
            if reason:
                return reason
            continue
        if isinstance(node, _LOOPS):
            reason = _nested_loops(evaluator, node)
            if reason:
                return reason
        stack.extend(ast.iter_child_nodes(node))
    return None


def too_many_instances(source):
    """Why a constant loop cardinality runs more instances than allowed, or None."""
    value, _ = _evaluate(Evaluator(), parse_expression(source).body)
    if isinstance(value, int) and not 0 <= value <= budget.MAX_INSTANCES:
        return f"the multi-instance count {value} is not between 0 and {budget.MAX_INSTANCES}"
    return None


def _evaluate(evaluator, node):
    """(value, None), or (None, why the budget was exceeded); other failures are left to the
    run, where the data may avoid them (a branch not taken)."""
    try:
        with budget.shared():
            return evaluator._run(node, {}), None
    except budget.BudgetExceeded as exc:
        return None, str(exc)
    except ExpressionError:
        return None, None


def _nested_loops(evaluator, node):
    iterations = 1
    for generator in node.generators:
        if _closed(generator.iter):
            value, reason = _evaluate(evaluator, generator.iter)
            if reason:
                return reason
            iterations *= budget.length(value) if value is not None else 1
    if iterations > budget.MAX_STEPS:
        return (f"the nested loops run {iterations} times, more than the {budget.MAX_STEPS} "
                "steps allowed")
    return None


def _closed(node):
    """Whether the subtree reads no process data and calls nothing time-dependent."""
    bound, used = set(), set()
    for child in ast.walk(node):
        if isinstance(child, ast.comprehension):
            bound.update(n.id for n in ast.walk(child.target) if isinstance(n, ast.Name))
        elif isinstance(child, ast.Call):
            if child.func.id == "today":
                return False
            bound.add(child.func.id)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
            used.add(child.id)
    return not used - bound
