"""Crashes under the production server (gunicorn) on PostgreSQL: client threads complete steps
while worker processes are killed with SIGKILL at random moments (the master starts new
ones) and once the whole server is killed and started again. Every completion answered 200 is
in the data and the audit trail, none is half-applied, and every project then reaches its end.
Bounded: a fixed number of kills and projects, and a deadline per phase."""
import random
import threading
import time

from flow import DEPARTMENTS, HANDOVER, SIGN, STRAIGHT
from housing_helpers import reserve_housing
from production_server import (Caller, Server, consistency_problems, done, in_process,
                               postgres_only, prepared_app)

pytestmark = postgres_only

PROJECTS, CLIENTS, WORKER_KILLS = 4, 2, 10
# Each phase (steps under kills, then carrying every project to its end) gives up after this;
# on an idle machine the whole test takes about a quarter of it.
PHASE_SECONDS = 60
# Who completes each step, with what.
BY_STEP = {step: (username, data) for step, username, data in STRAIGHT}
BY_STEP["handover"] = ("jingkou_office", HANDOVER)


def who(task):
    if task["step"] == "joint_signoff":
        return f"dept_{task['department']}", SIGN
    return BY_STEP[task["step"]]


def test_completions_survive_killed_workers_and_a_killed_server(tmp_path):
    app = prepared_app(tmp_path)
    server = Server(tmp_path, workers=3).start()
    deadline = [time.monotonic() + PHASE_SECONDS]
    try:
        names = {"city_supervisor", *(u for _, u, _ in STRAIGHT),
                 *(f"dept_{d}" for d in DEPARTMENTS)}
        users = {name: Caller(server, name) for name in names}
        watcher = users["city_supervisor"]
        projects = [users["jingkou_office"].ok("POST", "/api/v1/projects",
                                               {"name": f"崩溃{n}"}, expect=201)["id"]
                    for n in range(PROJECTS)]
        accepted, statuses, failures = [], [], []
        lock = threading.Lock()

        def drive(mine, stop):
            """Complete the open steps of `mine` until each has ended (or `stop`)."""
            remaining = list(mine)
            while remaining and not stop.is_set() and time.monotonic() < deadline[0]:
                project_id = remaining[0]
                status, shown = watcher.call("GET", f"/api/v1/projects/{project_id}")
                with lock:
                    statuses.append(status)
                if status != 200:
                    time.sleep(0.05)  # a worker or the server is being restarted
                    continue
                if shown["status"] == "completed":
                    remaining.pop(0)
                    continue
                task = random.choice(shown["current_steps"])
                username, data = who(task)
                if task["step"] == "file_compensation_plan":  # housing first, as offices do
                    reserve_housing(in_process(app), project_id, data["in_kind_households"],
                                    username)
                status, answer = users[username].call(
                    "POST", f"/api/v1/tasks/{task['id']}/complete", {"data": data})
                with lock:
                    statuses.append(status)
                    if status == 200:
                        accepted.append((task["id"], username))
                    elif status is not None and status != 409:
                        failures.append((task, status, answer))

        def run_clients(stop):
            threads = [threading.Thread(target=drive, args=(projects[i::CLIENTS], stop))
                       for i in range(CLIENTS)]
            for thread in threads:
                thread.start()
            return threads

        # Workers killed at random moments while the clients complete steps; halfway the
        # whole server (master and workers) is killed and started again on the same port.
        stop = threading.Event()
        clients = run_clients(stop)
        rng = random.Random(15)
        for kill in range(WORKER_KILLS):
            time.sleep(rng.uniform(0.05, 0.4))  # real processes under real load: no clock here
            if kill == WORKER_KILLS // 2:
                server.kill()
                server.start()
                continue
            workers = server.workers()
            if workers:
                server.kill_worker(rng.choice(workers))
        for thread in clients:
            thread.join(timeout=max(deadline[0] - time.monotonic(), 1))
        stop.set()
        for thread in clients:
            thread.join()

        # Whatever the crashes interrupted, every project can be carried to its end.
        deadline[0] = time.monotonic() + PHASE_SECONDS
        for thread in run_clients(threading.Event()):
            thread.join(timeout=PHASE_SECONDS + 5)
        ended = [watcher.ok("GET", f"/api/v1/projects/{p}")["status"] for p in projects]
        assert ended == ["completed"] * PROJECTS, ended

        assert failures == []
        assert not [s for s in statuses if s is not None and s >= 500]
        assert accepted, "no completion was answered"
        assert consistency_problems(app, projects) == []
        with app.app_context():
            from sqlalchemy import select

            from service.extensions import db
            from service.models import AuditEvent, Task, User
            rows = {task_id: (status, completed_by) for task_id, status, completed_by in
                    db.session.execute(select(Task.id, Task.status, User.username)
                                       .outerjoin(User, User.id == Task.completed_by_id)
                                       .where(Task.project_id.in_(projects))).all()}
            audited = {task_id: actor for task_id, actor in db.session.execute(
                select(AuditEvent.task_id, User.username)
                .join(User, User.id == AuditEvent.actor_id)
                .where(AuditEvent.project_id.in_(projects), AuditEvent.action == "complete"))}
            db.session.rollback()
        for task_id, username in accepted:
            assert rows[task_id] == ("completed", username), (task_id, rows[task_id])
            assert audited[task_id] == username, task_id
    finally:
        server.stop()
        done(app)
