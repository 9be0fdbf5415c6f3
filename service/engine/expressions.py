"""A safe evaluator for BPMN conditions, form rules and script tasks.

SpiffWorkflow's default script engine `eval`s and `exec`s whatever a diagram contains, so an
uploaded diagram would be remote code execution. This module walks the parsed syntax tree itself:
only literals, names from the data, arithmetic, comparisons, boolean logic, indexing,
comprehensions and calls to a short list of named functions exist. There is no attribute access,
no import, no name starting with `_`, and the time and size of an evaluation are bounded while
it runs (budget.py).
"""
import ast
import operator
import re

from . import budget
from .budget import BudgetExceeded
from .errors import ExpressionError
from .functions import DEFAULT_FUNCTIONS

MAX_SOURCE = 4000
MAX_SEQUENCE = 100_000
_JUEL = re.compile(r"^\s*[$#]\{(.*)\}\s*$", re.DOTALL)


_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
}
_UNARY = {ast.Not: operator.not_, ast.USub: operator.neg, ast.UAdd: operator.pos}
_COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
_COMPREHENSIONS = (ast.ListComp, ast.GeneratorExp, ast.SetComp)


def unwrap_juel(source):
    """The inside of a Camunda/JUEL `${...}` expression; other text unchanged."""
    match = _JUEL.match(source) if isinstance(source, str) else None
    return match.group(1) if match else source


def is_juel(source):
    """Whether the text is wrapped as a JUEL `${...}` expression."""
    return isinstance(source, str) and bool(_JUEL.match(source))


def parse_expression(source):
    """Parse and check an expression (a JUEL `${...}` wrapper is removed); return its tree."""
    tree = _parse(unwrap_juel(source), "eval")
    _check(tree)
    return tree


def parse_script(source):
    """Parse and check a script of simple `name = expression` assignments."""
    tree = _parse(source, "exec")
    for statement in tree.body:
        if isinstance(statement, ast.Pass):
            continue
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)):
            raise ExpressionError(
                f"line {statement.lineno}: only 'name = expression' assignments are allowed")
        _check_name(statement.targets[0].id)
        _check(statement.value)
    return tree


def free_names(source, script=False):
    """Names an expression or script reads from the data (not functions, not loop variables)."""
    tree = parse_script(source) if script else parse_expression(source)
    bound, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.comprehension):
            bound.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.Call):
            bound.add(node.func.id)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            used.add(node.id)
    assigned = set()
    if script:
        assigned = {s.targets[0].id for s in tree.body if isinstance(s, ast.Assign)}
    return used - bound - (assigned if script else set())


class Evaluator:
    """Evaluates checked expressions and scripts against a dict of names."""

    def __init__(self, functions=None):
        self.functions = dict(DEFAULT_FUNCTIONS if functions is None else functions)
        self._cache = {}

    def evaluate(self, source, names):
        """Evaluate an expression with the given names."""
        key = ("eval", source)
        tree = self._cache.get(key)
        if tree is None:
            tree = self._cache[key] = parse_expression(source)
        budget.current().charge(budget.EVALUATION_COST)
        return self._run(tree.body, names)

    def execute(self, source, names):
        """Run a script of assignments, updating `names` in place."""
        key = ("exec", source)
        tree = self._cache.get(key)
        if tree is None:
            tree = self._cache[key] = parse_script(source)
        budget.current().charge(budget.EVALUATION_COST)
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                names[statement.targets[0].id] = self._run(statement.value, names)
        return names

    def _run(self, node, names):
        try:
            return _Walker(self.functions, names).visit(node)
        except ExpressionError:
            raise
        except (RecursionError, MemoryError) as exc:
            raise BudgetExceeded("the computation nests too deeply or needs too much memory") \
                from exc
        except Exception as exc:  # a failing comparison or function: one clear error type
            raise ExpressionError(f"{type(exc).__name__}: {exc}") from exc


def _parse(source, mode):
    if not isinstance(source, str):
        raise ExpressionError("expression must be text")
    if len(source) > MAX_SOURCE:
        raise ExpressionError(f"expression longer than {MAX_SOURCE} characters")
    try:
        tree = ast.parse(source.strip(), mode=mode)
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error: {exc.msg}") from exc
    except (RecursionError, MemoryError):  # e.g. thousands of nested unary minus signs
        tree = None
    # The evaluator walks the tree recursively: a deep one would overflow the stack.
    if tree is None or budget.depth(tree) > budget.MAX_DEPTH:
        raise ExpressionError(f"nested more than {budget.MAX_DEPTH} levels deep")
    return tree


_ALLOWED = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Store, ast.List, ast.Tuple, ast.Set,
    ast.Dict, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.BinOp, ast.Compare, ast.IfExp,
    ast.Subscript, ast.Slice, ast.Call, ast.comprehension, *_COMPREHENSIONS,
    *_BINARY, *_UNARY, *_COMPARE,
)


def _check_name(name):
    if name.startswith("_") or name == "typename":
        raise ExpressionError(f"name '{name}' is not allowed")


def _check(tree):
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"{type(node).__name__} is not allowed in expressions")
        if isinstance(node, ast.Name):
            _check_name(node.id)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.keywords or any(
                    isinstance(a, ast.Starred) for a in node.args):
                raise ExpressionError("only plain calls of allowed functions are allowed")
            if node.func.id not in DEFAULT_FUNCTIONS:
                raise ExpressionError(f"function '{node.func.id}' is not allowed")
        elif isinstance(node, ast.Constant) and not isinstance(
                node.value, (str, int, float, bool, type(None))):
            raise ExpressionError("only text, number, boolean and None constants are allowed")
        elif isinstance(node, ast.comprehension) and node.is_async:
            raise ExpressionError("async comprehensions are not allowed")


def _bounded(value):
    if isinstance(value, (str, list, tuple, set, dict)) and len(value) > MAX_SEQUENCE:
        raise ExpressionError("result too large")
    return value


class _Walker:
    def __init__(self, functions, names):
        self.functions = functions
        self.scopes = [names]
        self.budget = budget.current()

    def visit(self, node):
        self.budget.charge()
        return getattr(self, "visit_" + type(node).__name__)(node)

    def visit_Constant(self, node):
        return node.value

    def visit_Name(self, node):
        for scope in reversed(self.scopes):
            if node.id in scope:
                return scope[node.id]
        raise ExpressionError(f"name '{node.id}' is not defined")

    def visit_List(self, node):
        return [self.visit(e) for e in node.elts]

    def visit_Tuple(self, node):
        return tuple(self.visit(e) for e in node.elts)

    def visit_Set(self, node):
        return {self.visit(e) for e in node.elts}

    def visit_Dict(self, node):
        if any(k is None for k in node.keys):
            raise ExpressionError("dict unpacking is not allowed")
        return {self.visit(k): self.visit(v) for k, v in zip(node.keys, node.values)}

    def visit_BoolOp(self, node):
        value = None
        for operand in node.values:
            value = self.visit(operand)
            if isinstance(node.op, ast.And) and not value:
                return value
            if isinstance(node.op, ast.Or) and value:
                return value
        return value

    def visit_UnaryOp(self, node):
        return _UNARY[type(node.op)](self.visit(node.operand))

    def visit_BinOp(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        budget.check_binary(node.op, left, right, self.budget)
        return _bounded(_BINARY[type(node.op)](left, right))

    def visit_Compare(self, node):
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.visit(comparator)
            # `in` and comparing sequences loop in C: charge the elements they may touch.
            self.budget.charge_c(budget.length(left) + budget.length(right))
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def visit_IfExp(self, node):
        return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)

    def visit_Subscript(self, node):
        return self.visit(node.value)[self.visit(node.slice)]

    def visit_Slice(self, node):
        parts = (node.lower, node.upper, node.step)
        return slice(*(None if p is None else self.visit(p) for p in parts))

    def visit_Call(self, node):
        function = self.functions.get(node.func.id)
        if function is None:
            raise ExpressionError(f"function '{node.func.id}' is not available")
        args = [self.visit(a) for a in node.args]
        if node.func.id not in budget.CHEAP_FUNCTIONS:
            # These walk (and str copies) every element: charge and size them before the call.
            touched = sum(budget.size(a) for a in args)
            budget.check_size(touched, f"the arguments of {node.func.id}()")
            self.budget.charge_c(touched)
        budget.check_call(node.func.id, args)
        return _bounded(function(*args))

    def _comprehension(self, node, generators):
        if not generators:
            yield self.visit(node.elt)
            return
        first, rest = generators[0], generators[1:]
        for item in self.visit(first.iter):
            self.budget.charge()
            scope = {}
            _bind(first.target, item, scope)
            self.scopes.append(scope)
            try:
                if all(self.visit(cond) for cond in first.ifs):
                    yield from self._comprehension(node, rest)
            finally:
                self.scopes.pop()

    def _collect(self, node):
        # Each element is sized as it arrives, so an oversized result is never completed.
        items, total = [], 0
        for item in self._comprehension(node, node.generators):
            total += budget.size(item, budget.MAX_SIZE - total)
            budget.check_size(total, "the comprehension's result")
            items.append(item)
        return items

    def visit_ListComp(self, node):
        return _bounded(self._collect(node))

    def visit_SetComp(self, node):
        return _bounded(set(self._collect(node)))

    def visit_GeneratorExp(self, node):
        # Materialised so the walker's scope stack is never used after the call returns.
        return _bounded(self._collect(node))


def _bind(target, value, scope):
    if isinstance(target, ast.Name):
        _check_name(target.id)
        scope[target.id] = value
    elif isinstance(target, ast.Tuple):
        values = list(value)
        if len(values) != len(target.elts):
            raise ExpressionError("cannot unpack: wrong number of values")
        for element, item in zip(target.elts, values):
            _bind(element, item, scope)
    else:
        raise ExpressionError("loop target must be a name or tuple of names")
