"""The evaluator's budget: steps counted while it evaluates, sizes checked before a value is built.

A diagram is uploaded by an administrator, not written by us, so its expressions may try to
compute without bound (nested comprehensions over huge ranges, `[[0]*100000 for ...]`,
`'a'*10**10`). Checking a result's size after it is built is too late: the memory and the
time are already spent, and on SQLite the write lock is held meanwhile. So every node visited,
loop iteration and element copied is charged to a budget, and every value that grows
(repetition, concatenation, comprehension, big integer product) is sized first.

One budget is shared by everything an engine operation evaluates (a completion runs several
conditions and scripts); an evaluation outside such an operation gets a budget of its own.
"""
import ast
import contextvars
from contextlib import contextmanager

from .errors import ExpressionError

# Nodes visited, loop iterations and elements touched by built-in functions. A form or
# process with dozens of fields and departments uses a few thousand.
MAX_STEPS = 200_000
# Every expression evaluated costs this much at least: a loop of automatic steps in a diagram
# (gateway back to a script task) then ends too, not only one expression that loops.
EVALUATION_COST = 20
# Elements (text: characters) one value may hold, counted through nested lists and dicts.
MAX_SIZE = 100_000
# Binary digits of an integer (about 3,000 decimal digits).
MAX_INT_BITS = 10_000
# Instances one multi-instance task may run (its loop cardinality): each is a task row.
MAX_INSTANCES = 500
# Nesting of an expression's syntax tree (the evaluator walks it recursively).
MAX_DEPTH = 100


# Elements a C-level loop (a copy, a comparison, sorted, str) touches per step charged: such
# loops are an order of magnitude faster than the evaluator's own steps.
PER_STEP_IN_C = 10


class BudgetExceeded(ExpressionError):
    """An expression or script that would take more time or memory than a step may use."""


class Budget:
    """Steps left for the evaluations of one operation."""

    def __init__(self, steps=MAX_STEPS):
        self.left = steps

    def charge_c(self, elements):
        """Spend steps for `elements` touched by a loop that runs in C."""
        self.charge(elements // PER_STEP_IN_C + 1)

    def charge(self, steps=1):
        """Spend steps; BudgetExceeded once the budget is gone."""
        self.left -= steps
        if self.left < 0:
            raise BudgetExceeded(
                f"the computation takes more than {MAX_STEPS} steps; simplify the expression")


_current = contextvars.ContextVar("expression_budget", default=None)


@contextmanager
def shared(steps=MAX_STEPS):
    """Let every evaluation inside the block draw on one budget (one engine operation)."""
    token = _current.set(Budget(steps))
    try:
        yield
    finally:
        _current.reset(token)


def current():
    """The operation's budget, or a fresh one for an evaluation on its own."""
    return _current.get() or Budget()


def too_large(what="the value"):
    """The error for a value that would exceed MAX_SIZE."""
    return BudgetExceeded(f"{what} would hold more than {MAX_SIZE} elements or characters")


def size(value, limit=MAX_SIZE):
    """Elements in `value`, counted through nested containers (text: its length), stopping
    once past `limit`. Iterative, and a container met twice is counted twice: that is what
    printing or copying it costs."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        total += 1
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
    return total


def check_size(total, what="the value"):
    """BudgetExceeded when a value about to be built would hold more than MAX_SIZE."""
    if total > MAX_SIZE:
        raise too_large(what)


def check_bits(bits):
    """BudgetExceeded when an integer about to be computed would be longer than MAX_INT_BITS."""
    if bits > MAX_INT_BITS:
        raise BudgetExceeded(f"the number would be longer than {MAX_INT_BITS} binary digits")


def depth(tree):
    """How deeply a syntax tree nests (iteratively, so a deep tree cannot overflow the stack)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


def length(value):
    """Top-level elements of a container (1 for anything else): what a C-level loop touches."""
    return len(value) if isinstance(value, (str, list, tuple, set, dict)) else 1


# Functions whose cost does not grow with their arguments' size.
CHEAP_FUNCTIONS = {"len", "abs", "int", "float", "bool", "round", "days_between",
                   "add_months", "add_days", "today"}
_SEQUENCES = (str, list, tuple)


def _content(seq):
    # What a copy of the sequence holds: its characters, or its elements counted through.
    return len(seq) if isinstance(seq, str) else size(seq) - 1


def check_binary(op, left, right, spend):
    """Refuse an operation whose result would be too large, before it is computed."""
    if isinstance(op, ast.Mult):
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCES) and isinstance(count, int):
                total = _content(seq) * max(count, 0)
                check_size(total, "the repeated value")
                spend.charge_c(total)
        if isinstance(left, int) and isinstance(right, int):
            check_bits(left.bit_length() + right.bit_length())
    elif isinstance(op, ast.Add) and isinstance(left, _SEQUENCES) \
            and isinstance(right, _SEQUENCES):
        total = _content(left) + _content(right)
        check_size(total, "the joined value")
        spend.charge_c(total)
    elif isinstance(op, ast.Mod) and isinstance(left, str):
        # printf-style formatting can pad to any width ('%099999999d' % 1).
        raise ExpressionError("text % value formatting is not allowed")


def check_call(name, args):
    """Refuse calls whose cost hides in an argument's value rather than its size."""
    if name == "sum" and len(args) > 1 and not isinstance(args[1], (int, float)):
        # sum(lists, []) copies the growing list at every step: quadratic.
        raise ExpressionError("sum() adds numbers only")
    if name == "round" and len(args) > 1 and isinstance(args[1], int) \
            and not -30 <= args[1] <= 30:
        raise ExpressionError("round() takes at most 30 digits")
