"""The evaluator's error type, in a module of its own so the budget can subclass it."""


class ExpressionError(ValueError):
    """An expression or script that is not allowed, or that failed to evaluate."""
