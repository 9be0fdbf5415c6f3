"""What a request costs before any completion work: the floor under bench (a).

    .venv/bin/python bench/request_floor.py [--requests 2000]

Prints ms per request for (1) a completion refused for want of a token (the test client, Flask
and the JSON error answer) and (2) one refused after the token check and the task read (404),
through the same test client as bench/complete_tasks.py.
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from complete_tasks import service_client  # noqa: E402 - also puts the project on the path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    from conftest import ApiUser
    with service_client() as client:
        office = ApiUser(client, "jingkou_office")
        url = "/api/v1/tasks/999999/complete"
        cases = [("(1) refused without a token (401)", lambda: client.post(url, json={"data": {}}),
                  401),
                 ("(2) refused after token check and task read (404)",
                  lambda: office.post(url, json={"data": {}}), 404)]
        for label, call, status in cases:
            for _ in range(200):  # warm-up
                assert call().status_code == status
            started = time.perf_counter()
            for _ in range(args.requests):
                call()
            elapsed = time.perf_counter() - started
            print(f"{label:52} {1000 * elapsed / args.requests:.3f} ms/request")


if __name__ == "__main__":
    main()
