"""Where a task completion's time goes: cProfile over the timed requests of bench (a) only.

    .venv/bin/python bench/profile_completion.py [--sort tottime] [--limit 40] [FUNCTION ...]

With FUNCTION names (cProfile patterns, e.g. `save_instance`), prints what each one calls.
"""
import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import complete_tasks  # noqa: E402
import conftest  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("functions", nargs="*")
    args = parser.parse_args()
    profile = cProfile.Profile()
    post = conftest.ApiUser.post

    def profiled_post(user, url, **kwargs):
        # Only the completions are profiled, as only they are timed in bench (a).
        if not url.endswith("/complete"):
            return post(user, url, **kwargs)
        profile.enable()
        try:
            return post(user, url, **kwargs)
        finally:
            profile.disable()

    conftest.ApiUser.post = profiled_post
    count, _ = complete_tasks.bench_service(20, 10)
    stats = pstats.Stats(profile)
    print(f"{count} completions profiled")
    if args.functions:
        for name in args.functions:
            stats.print_callees(name)
    else:
        stats.sort_stats(args.sort).print_stats(args.limit)


if __name__ == "__main__":
    main()
