"""Benchmark: one reminder/escalation sweep over 100,000 and over 1,000,000 open tasks, with the
same number (1,000) due each time. The ratio of the two times should stay near 1, because the
sweep reads only the rows whose next threshold has passed (index on tasks.next_alert_at).

    .venv/bin/python bench/sweep.py                      # SQLite file in a temporary directory
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_sweep \
        .venv/bin/python bench/sweep.py                  # PostgreSQL (the database is reset)

Options: --sizes 100000,1000000  --due 1000  --runs 3
"""
import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import MetaData, select, text  # noqa: E402

from service import create_app  # noqa: E402
from service.clock import SHANGHAI, FrozenClock  # noqa: E402
from service.config import Config, database_url  # noqa: E402
from service.extensions import db  # noqa: E402

NOW = dt.datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI)
COLUMNS = ("project_id, spiff_id, step, name, role, district, status, created_at, "
           "time_limit_days, yellow_days, level2_days, due_date, due_at, yellow_at, red_at, "
           "level2_at, next_alert_at")
VALUES = ("{project}, '{prefix}' || {g}, 'submit_plan', '项目申报 Submit project plan', "
          "'district_office', 'jingkou', 'open', :created, 10, 2, 5, :due_date, :due_at, "
          ":yellow_at, :red_at, :level2_at, :next_alert_at")


def make_app(url):
    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url(url)
        SCHEDULER_ENABLED = False
        SMTP_HOST = None
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    return create_app(BenchConfig, clock=FrozenClock(NOW))


def reset():
    metadata = MetaData()
    metadata.reflect(bind=db.engine)
    metadata.drop_all(bind=db.engine)
    from service.cli import init_database
    from service.seed import seed_demo
    init_database()
    seed_demo()


def insert_rows(project_id, count, due, batch_tag):
    """Bulk-insert `count` open tasks in one SQL statement: due now, or due in a month."""
    if count <= 0:
        return
    now = NOW.astimezone(dt.timezone.utc).replace(tzinfo=None)
    later = now + dt.timedelta(days=30)
    due_at = now if due else later
    params = {"created": now - dt.timedelta(days=20), "due_date": due_at.date(),
              "due_at": due_at, "yellow_at": now - dt.timedelta(hours=1) if due else later,
              "red_at": later + dt.timedelta(days=1),
              "level2_at": later + dt.timedelta(days=9),
              "next_alert_at": now - dt.timedelta(hours=1) if due else later, "n": count}
    values = VALUES.format(project=project_id, prefix=batch_tag, g="g")
    if db.engine.dialect.name == "postgresql":
        sql = f"INSERT INTO tasks ({COLUMNS}) SELECT {values} FROM generate_series(1, :n) AS g"
    else:
        sql = (f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < :n) "
               f"INSERT INTO tasks ({COLUMNS}) SELECT {values} FROM s")
    db.session.execute(text(sql), params)
    db.session.commit()


def open_count():
    return db.session.scalar(text("SELECT count(*) FROM tasks WHERE status = 'open'"))


def analyze():
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def plan():
    """The query plan of the sweep's claim query (to show it is an index range scan)."""
    from service.models import Task
    from service.services.deadlines.deadlines.sweep import BATCH
    now = NOW.astimezone(dt.timezone.utc).replace(tzinfo=None)
    query = select(Task.id).where(Task.next_alert_at <= now, Task.status == "open") \
        .order_by(Task.next_alert_at, Task.id).limit(BATCH)
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN" if db.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    rows = db.session.execute(text(f"{prefix} {compiled}")).all()
    db.session.rollback()
    return "\n".join("    " + " ".join(str(c) for c in row) for row in rows)


def measure(project_id, size, due, runs, tag):
    """Fill to `size` open tasks; each run adds `due` fresh due rows and times one sweep."""
    from service.services.deadlines.deadlines.sweep import sweep
    missing = size - open_count() - due * runs
    insert_rows(project_id, missing, False, f"{tag}-bg-")
    analyze()
    times = []
    for run in range(runs):
        insert_rows(project_id, due, True, f"{tag}-due{run}-")
        analyze()
        db.session.remove()
        started = time.perf_counter()
        fired = sweep()
        times.append(time.perf_counter() - started)
        assert fired["yellow"] == due, fired
    return statistics.median(times), times, open_count()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-sweep-')}/bench.db"
    app = make_app(url)
    with app.app_context():
        reset()
        from service.models import User
        from service.services.approval.projects import start_project
        office = db.session.scalar(select(User).where(User.username == "jingkou_office"))
        project_id = start_project(office, "基准测试项目").id
        print(f"database: {db.engine.dialect.name}; {args.due} due per sweep; "
              f"median of {args.runs} sweeps")
        results = []
        for index, size in enumerate(int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            median, times, total = measure(project_id, size, args.due, args.runs, f"s{index}")
            results.append(median)
            print(f"{total:>10,} open tasks: sweep {median * 1000:8.1f} ms "
                  f"(runs: {', '.join(f'{t * 1000:.1f}' for t in times)} ms; "
                  f"setup+runs {time.perf_counter() - started:.0f} s)")
        print("claim query plan:\n" + plan())
        if len(results) >= 2:
            print(f"ratio (largest / smallest): {results[-1] / results[0]:.2f}")


if __name__ == "__main__":
    main()
