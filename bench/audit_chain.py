"""Benchmark: the audit hash chain. Appending (one commit with one audit row, the chain head
locked and moved) against the same commit without the chain's statements, and `audit verify`
over the whole trail (rows per second), so an installation knows how long a full check takes.

    .venv/bin/python bench/audit_chain.py                # SQLite file in a temporary directory
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_audit \
        .venv/bin/python bench/audit_chain.py            # PostgreSQL (the database is reset)

Options: --rows 50000  --commits 500
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import MetaData, insert  # noqa: E402

from service import create_app  # noqa: E402
from service.config import Config, database_url  # noqa: E402
from service.extensions import db  # noqa: E402
from service.models import AuditEvent  # noqa: E402
from service.services.records import chain  # noqa: E402
from service.services.records.audit import event, record  # noqa: E402
from service.services.records.chain_check import verify  # noqa: E402


def make_app(url):
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url(url)
        SCHEDULER_ENABLED = False
        SECRET_KEY = "bench"
    app = create_app(BenchConfig)
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(bind=db.engine)
        metadata.drop_all(bind=db.engine)
        db.create_all()
    return app


def per_commit(fn, commits):
    start = time.perf_counter()
    for n in range(commits):
        fn(n)
        db.session.commit()
    return (time.perf_counter() - start) / commits * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50000)
    parser.add_argument("--commits", type=int, default=500)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or \
        f"sqlite:///{tempfile.mkdtemp(prefix='bench-audit-')}/bench.db"
    app = make_app(url)
    with app.test_request_context():
        plain = per_commit(lambda n: db.session.execute(
            insert(AuditEvent.__table__), [{**event("bench", None, n=n), "seq": -1 - n,
                                            "prev_hash": "", "hash": ""}]), args.commits)
        db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.seq < 0))
        db.session.commit()
        chained = per_commit(lambda n: record("bench", n=n), args.commits)
        print(f"{db.engine.dialect.name}: one audit row per commit, {args.commits} commits")
        print(f"  plain INSERT        {plain:7.2f} ms/commit")
        print(f"  chained (head lock) {chained:7.2f} ms/commit  (+{chained - plain:.2f} ms)")
        todo = args.rows - args.commits
        while todo > 0:
            batch = min(todo, 5000)
            chain.append(db.session, [event("bench", None, n=i) for i in range(batch)])
            db.session.commit()
            todo -= batch
        start = time.perf_counter()
        result = verify()
        took = time.perf_counter() - start
        assert result["ok"], result
        print(f"  verify {result['checked']} rows: {took:.2f} s "
              f"({result['checked'] / took:,.0f} rows/s)")


if __name__ == "__main__":
    main()
