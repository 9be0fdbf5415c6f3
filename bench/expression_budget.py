"""Benchmark: how long the safe evaluator may hold a worker. Each hostile expression from
issue 15 is evaluated until the budget stops it (the time it held the worker), next to
ordinary conditions (what the budget costs them), and deployment's static check.

    .venv/bin/python bench/expression_budget.py            # best of --repeat runs each
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from service.engine import budget  # noqa: E402
from service.engine.expressions import Evaluator, ExpressionError  # noqa: E402
from service.engine.exprcheck import over_budget  # noqa: E402

HOSTILE = {
    "3 nested loops over 100,000": "any(a + b + c < 0 for a in [0]*100000 for b in [0]*100000 "
                                   "for c in [0]*100000)",
    "[[0]*100000 for a in [0]*100000]": "[[0]*100000 for a in [0]*100000]",
    "'a'*10**10 (as a literal)": "'a'*10000000000",
    "2 loops over data, 100,000": "len([1 for a in items for b in items])",
    "'in' over 100,000 in a loop": "[a for a in items if a in items]",
    "big integer products": "[x*x*x*x for x in [int('9'*3000)]]",
}
ORDINARY = {
    "decision == 'approve'": "decision == 'approve'",
    "all(...) over 5 sign-offs": "all(s['decision'] == 'approve' for s in signoffs)",
    "funds_deposited >= funds_required": "funds_deposited >= funds_required",
}
NAMES = {"items": list(range(100_000)), "decision": "approve",
         "signoffs": [{"decision": "approve"}] * 5,
         "funds_deposited": 86_000_000, "funds_required": 86_000_000}


def timed(function, repeat):
    best, outcome = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            function()
            outcome = "ran"
        except ExpressionError as exc:
            outcome = f"stopped: {type(exc).__name__}"
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    evaluator = Evaluator()
    print(f"budget: {budget.MAX_STEPS} steps, {budget.MAX_SIZE} elements per value, "
          f"{budget.MAX_INT_BITS}-bit integers\n")
    print(f"{'run time (one evaluation)':44} {'ms':>9}  outcome")
    for label, source in {**HOSTILE, **ORDINARY}.items():
        seconds, outcome = timed(lambda: evaluator.evaluate(source, dict(NAMES)), args.repeat)
        print(f"{label:44} {seconds * 1000:9.3f}  {outcome}")
    print(f"\n{'deployment check':44} {'ms':>9}  refused?")
    for label, source in {**HOSTILE, **ORDINARY}.items():
        start = time.perf_counter()
        reason = over_budget(source)
        print(f"{label:44} {(time.perf_counter() - start) * 1000:9.3f}  "
              f"{'yes' if reason else 'no'}")


if __name__ == "__main__":
    main()
