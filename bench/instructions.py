"""Instructions per completed task, (a) the service through its HTTP API, (b) bare SpiffWorkflow.

Counted by valgrind (Debian package `valgrind`), which counts every user-space instruction,
C code included: unlike timings, the figure does not move with the load of a shared machine
(runs differ by well under 1%, from the random ids of workflow tasks). Each side runs twice, with `--rounds` more plan submissions
and city returns than the other; the difference divided by the extra steps is the cost of one
step, without start-up and set-up. What it does not count: time in the kernel (the database's
writes) and how fast the processor runs these instructions (caches, branch prediction).

    .venv/bin/python bench/instructions.py [--projects 10] [--rounds 4]
"""
import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))


def drive_service(projects, rounds):
    import complete_tasks
    complete_tasks.bench_service(projects, rounds)


def drive_bare(projects, rounds):
    import complete_tasks
    complete_tasks.bench_bare(projects, rounds)


def counted(side, projects, rounds):
    """Instructions valgrind counts for one run of a side."""
    # The same hash seed each run, so that both runs of a side do the same work.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    found = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, __file__, "--run", side, str(projects), str(rounds)],
        env=env, capture_output=True, text=True, check=True).stderr
    return int(re.search(r"Collected\s*:\s*(\d+)", found).group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=4, help="extra rounds the second run does")
    parser.add_argument("--run", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        side, projects, rounds = args.run[0], int(args.run[1]), int(args.run[2])
        {"a": drive_service, "b": drive_bare}[side](projects, rounds)
        return
    steps = 2 * args.projects * args.rounds
    runs = [(side, rounds) for side in "ab" for rounds in (1, 1 + args.rounds)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        totals = dict(zip(runs, pool.map(lambda run: counted(run[0], args.projects, run[1]),
                                         runs)))
    per_step = {side: (totals[side, 1 + args.rounds] - totals[side, 1]) / steps
                for side in "ab"}
    print(f"(a) service, HTTP API        {per_step['a'] / 1e6:6.2f} M instructions per task")
    print(f"(b) bare SpiffWorkflow       {per_step['b'] / 1e6:6.2f} M instructions per task")
    print(f"(a)/(b) = {per_step['a'] / per_step['b']:.2f} "
          f"({steps} tasks more in the second run of each)")


if __name__ == "__main__":
    main()
