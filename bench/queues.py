"""Work queues at 10k, 100k and 1M open tasks: p50 / p95 of the first page and of the 100th.

Builds a city on a new database (SQLite file in a temporary directory, or the PostgreSQL
database given with --database: everything in it is dropped): the demo officials plus 37 more
districts, real projects started and taken through the first steps by the service (templates:
the plan submission at a district office, the city review, and as far as the process goes
without housing data), then bulk-inserted clones of those projects, each with its own copy of
the template's workflow state (new task ids), so every cloned task can be completed. Districts
get skewed shares (京口 a tenth), due dates spread over four months, one in twenty undated.

At each level it times `GET /api/v1/tasks?scope=queue` through the app (token check, query,
JSON), 50 rows a page, for a district office (jingkou_office) and a city-wide role
(city_review): the first page, and the 100th page read by cursor (or the last full page when the
queue is shorter, so every level times 50 rows; its page number is printed). It checks that the answers are right (the ids
of both pages against one ORDER BY over the whole queue; the total, capped at 1,000) and
completes one cloned task over the API. Prints p50 / p95 per level and p95(1M) / p95(10k):
of the request's wall time, of the part spent in SQL statements, and of the process's CPU
time (on a machine busy with other work, wall times include waiting for a core).

    .venv/bin/python bench/queues.py [--database postgresql+psycopg://…/bench_g]
                                     [--levels 10000,100000,1000000] [--samples 40]
"""
import argparse
import json
import logging
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PER_PAGE = 50
DEEP_PAGE = 100
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
EXTRA_DISTRICTS = [f"d{n:02d}" for n in range(1, 38)]
WATCHED = ("jingkou_office", "city_review")


def make_app(url):
    from service import create_app
    from service.config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench-queues"
        SCHEDULER_ENABLED = False
        ENGINE_CHECK_DUMPS = False
    return create_app(BenchConfig)


def build_city(app):
    """Schema, demo data, extra districts and the template projects; returns the templates:
    [(project id, [open task rows as dicts])]."""
    from sqlalchemy import MetaData, select
    from flow import STRAIGHT
    from service.cli import init_database
    from service.extensions import db
    from service.models import District, Task, User
    from service.seed import seed_demo
    from service.services.approval import projects, tasks
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(bind=db.engine)
        metadata.drop_all(bind=db.engine)
        init_database(use_migrations=False)
        seed_demo()
        for code in EXTRA_DISTRICTS:
            db.session.add(District(code=code, name_zh=f"{code}区", name_en=f"District {code}"))
        db.session.commit()
        users = {u.username: u for u in db.session.scalars(select(User))}
        made = []
        for depth in range(len(STRAIGHT) + 1):
            project = projects.start_project(users["jingkou_office"], f"模板{depth}")
            db.session.commit()
            try:
                for step, username, data in STRAIGHT[:depth]:
                    task = db.session.scalar(select(Task).where(
                        Task.project_id == project.id, Task.step == step,
                        Task.status == "open"))
                    tasks.complete(users[username], task.id, data)
            except Exception as exc:  # noqa: BLE001 - as far as the process goes without data
                db.session.rollback()
                print(f"  template stops before step {depth}: {type(exc).__name__}")
                break
            made.append(project.id)
        templates = []
        for project_id in made:
            rows = db.session.execute(select(Task.__table__).where(
                Task.project_id == project_id, Task.status == "open")).mappings().all()
            if rows:
                templates.append((project_id, [dict(r) for r in rows]))
        print("  templates: " + ", ".join(f"{rows[0]['step']}×{len(rows)}"
                                          for _, rows in templates))
        return templates


def clone(app, templates, count, rng, start_at):
    """Insert cloned projects until `count` more open task rows exist."""
    import datetime as dt
    from sqlalchemy import func, insert, select, text
    from service.extensions import db
    from service.models import Project, Task
    with app.app_context():
        source = {pid: dict(db.session.execute(select(Project.__table__).where(
            Project.id == pid)).mappings().one()) for pid, _ in templates}
        next_project = (db.session.scalar(select(func.max(Project.id))) or 0) + 1
        next_task = (db.session.scalar(select(func.max(Task.id))) or 0) + 1
        districts = ["jingkou"] * 37 + ["runzhou"] * 20 + ["xinqu"] * 15 + \
            [d for i, d in enumerate(EXTRA_DISTRICTS) for _ in range(1 + i % 8)]
        # Most open work waits at district offices and the city review (the first steps).
        weights = [8, 6] + [2] * (len(templates) - 2)
        made, projects_batch, tasks_batch = 0, [], []
        base = start_at
        while made < count:
            pid, rows = rng.choices(templates, weights[:len(templates)])[0]
            project = dict(source[pid])
            state = project["state"]
            mapping = {old: str(uuid.uuid4()) for old in set(UUID.findall(state))}
            project["state"] = UUID.sub(lambda m: mapping[m.group(0)], state)
            district = rng.choice(districts)
            project.update(id=next_project, district=district, name=f"项目{next_project}")
            projects_batch.append(project)
            for row in rows:
                row = dict(row)
                due = None if rng.random() < 0.05 else \
                    base + dt.timedelta(minutes=rng.randrange(0, 120 * 24 * 60))
                row.update(id=next_task, project_id=next_project,
                           spiff_id=mapping.get(row["spiff_id"], str(uuid.uuid4())),
                           district=district, due_at=due, due_date=due.date() if due else None)
                tasks_batch.append(row)
                next_task += 1
                made += 1
            next_project += 1
            if len(tasks_batch) >= 5000 or made >= count:
                db.session.execute(insert(Project.__table__), projects_batch)
                db.session.execute(insert(Task.__table__), tasks_batch)
                db.session.commit()
                projects_batch, tasks_batch = [], []
        if db.engine.dialect.name == "postgresql":
            for table in ("projects", "tasks"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                                        f" (SELECT max(id) FROM {table}))"))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


def expected_ids(app, username, offset):
    """The queue's ids at `offset` as one ORDER BY over the whole queue reads them."""
    from sqlalchemy import case, select
    from service.extensions import db
    from service.models import Task, User
    from service.services.approval.tasks import scope_condition
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        query = select(Task.id).where(scope_condition(user, "queue"))
        total = db.session.scalar(select(db.func.count()).select_from(query.subquery()))
        ids = db.session.scalars(query.order_by(case((Task.due_at.is_(None), 1), else_=0),
                                                Task.due_at, Task.id)
                                 .offset(offset).limit(PER_PAGE)).all()
        return ids, total


class StatementClock:
    """Wall time spent in the database driver's execute calls (the queries alone)."""

    def __init__(self, engine):
        from sqlalchemy import event
        self.spent = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, *args):
        conn.info["started"] = time.perf_counter()

    def _after(self, conn, *args):
        self.spent += time.perf_counter() - conn.info.pop("started")


def timed(client, headers, query, samples, statements):
    """([request ms], [of which in SQL statements, ms], [this process's CPU ms], the last
    answer). The CPU time is what the request cost this process (with SQLite, the database's
    work too), without the time spent waiting for a core on a busy machine."""
    times, sql, cpu, answer = [], [], [], None
    for _ in range(samples):
        statements.spent = 0.0
        started, started_cpu = time.perf_counter(), time.process_time()
        answer = client.get("/api/v1/tasks", query_string=query, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        sql.append(statements.spent * 1000)
        assert answer.status_code == 200, answer.json
    return times, sql, cpu, answer


def centile(values, fraction):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def measure(app, tokens, samples, statements):
    """{(username, page): ([ms], [SQL ms], [CPU ms])} with every answer checked."""
    client = app.test_client()
    found = {}
    for username in WATCHED:
        headers = {"Authorization": f"Bearer {tokens[username]}"}
        query = {"scope": "queue", "page_size": PER_PAGE}
        times, sql, cpu, first = timed(client, headers, query, samples, statements)
        meta = json.loads(first.headers["X-Pagination"])
        ids, total = expected_ids(app, username, 0)
        assert [r["id"] for r in first.json] == ids, f"{username}: first page differs"
        assert meta["total"] == min(total, 1000) and meta.get("total_capped", False) == \
            (total > 1000), (meta, total)
        found[(username, "first")] = (times, sql, cpu)
        # Walk to the 100th page by cursor (or to the last full page, so that every level
        # times 50 rows: a short last page costs less to dump), then time it.
        cursor, page = None, 1
        answer = first
        while page < min(DEEP_PAGE, max(total // PER_PAGE, 1)):
            nxt = json.loads(answer.headers["X-Pagination"]).get("next_cursor")
            if not nxt:
                break
            cursor, page = nxt, page + 1
            answer = client.get("/api/v1/tasks", query_string={**query, "cursor": cursor},
                                headers=headers)
        deep_query = {**query, **({"cursor": cursor} if cursor else {})}
        times, sql, cpu, deep = timed(client, headers, deep_query, samples, statements)
        ids, _ = expected_ids(app, username, (page - 1) * PER_PAGE)
        assert [r["id"] for r in deep.json] == ids, f"{username}: page {page} differs"
        found[(username, "deep")] = (times, sql, cpu)
        found[(username, "info")] = (total, page)
    return found


def complete_one(app, tokens):
    """Complete a cloned plan submission over the API: the clones carry working state."""
    from sqlalchemy import select
    from flow import PLAN
    from service.extensions import db
    from service.models import Task
    with app.app_context():
        task_id = db.session.scalar(select(Task.id).where(
            Task.step == "submit_plan", Task.status == "open", Task.district == "jingkou",
            Task.claimed_by_id.is_(None)).order_by(Task.id.desc()).limit(1))
    answer = app.test_client().post(f"/api/v1/tasks/{task_id}/complete", json={"data": PLAN},
                                    headers={"Authorization":
                                             f"Bearer {tokens['jingkou_office']}"})
    assert answer.status_code == 200, answer.json
    assert [t["step"] for t in answer.json["next_steps"]] == ["city_review"], answer.json


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="PostgreSQL URL (emptied!); default: new SQLite file")
    parser.add_argument("--levels", default="10000,100000,1000000")
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    import datetime as dt
    from service.config import database_url
    from service.services.people.users import issue_token
    rng = random.Random(20)
    levels = [int(x) for x in args.levels.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url(args.database) if args.database else f"sqlite:///{tmp}/queues.db"
        app = make_app(url)
        logging.disable(logging.INFO)  # the per-request log lines would be timed too
        with app.app_context():
            from service.extensions import db
            statements = StatementClock(db.engine)
        print(f"{'PostgreSQL' if url.startswith('postgres') else 'SQLite'}: building the city")
        templates = build_city(app)
        with app.app_context():
            tokens = {name: issue_token(name, "demo-pass-2026")["token"] for name in WATCHED}
        have, results = 0, {}
        start_at = dt.datetime(2026, 11, 1)
        for level in levels:
            started = time.perf_counter()
            clone(app, templates, level - have, rng, start_at)
            have = level
            print(f"  {level:>9,} open tasks built ({time.perf_counter() - started:.0f} s)",
                  flush=True)
            results[level] = measure(app, tokens, args.samples, statements)
            complete_one(app, tokens)  # its next step opens a new row: still `level` open
            for username in WATCHED:
                total, page = results[level][(username, "info")]
                for kind in ("first", "deep"):
                    ms, sql, cpu = results[level][(username, kind)]
                    label = "page 1" if kind == "first" else f"page {page}"
                    print(f"  {level:>9,}  {username:<15} queue {total:>8,}  {label:<9} "
                          f"p50 {statistics.median(ms):6.2f} ms  p95 {centile(ms, 0.95):6.2f} ms"
                          f"   SQL p50 {statistics.median(sql):6.2f}  "
                          f"p95 {centile(sql, 0.95):6.2f}   CPU p50 {statistics.median(cpu):6.2f}"
                          f"  p95 {centile(cpu, 0.95):6.2f}", flush=True)
        if len(levels) > 1:
            low, high = levels[0], levels[-1]
            for username in WATCHED:
                for kind in ("first", "deep"):
                    ratios = [centile(results[high][(username, kind)][i], 0.95) /
                              centile(results[low][(username, kind)][i], 0.95)
                              for i in (0, 1, 2)]
                    print(f"  p95({high:,}) / p95({low:,})  {username:<15} {kind:<5} "
                          f"request {ratios[0]:5.2f}   SQL {ratios[1]:5.2f}   "
                          f"CPU {ratios[2]:5.2f}")
        from service.database import shutdown
        shutdown(app)


if __name__ == "__main__":
    main()
