"""What a request costs before any completion work: the floor under bench (a).

    .venv/bin/python bench/request_floor.py [--requests 2000]

Prints ms per request for (1) a completion refused for want of a token (the test client, Flask
and the JSON error answer) and (2) one refused after the token check and the task read (404),
through the same test client as bench/complete_tasks.py.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    from conftest import ApiUser, make_config
    from service import create_app
    from service.cli import init_database
    from service.seed import seed_demo
    with tempfile.TemporaryDirectory() as tmp:
        config = make_config(Path(tmp))
        config.ENGINE_CHECK_DUMPS = False
        app = create_app(config)
        with app.app_context():
            init_database(use_migrations=False)
            seed_demo()
        client = app.test_client()
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
        with app.app_context():
            from service.extensions import db
            db.engine.dispose()


if __name__ == "__main__":
    main()
