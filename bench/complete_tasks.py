"""Tasks completed per second: (a) through the service's HTTP API, (b) bare SpiffWorkflow.

(b) deserialises and serialises the workflow around each step, as a service that stores every
instance must. Both run the same steps of workflows/statutory_approval.bpmn. The workload
`loop` (the default) is the plan submission and city review, with the review returning the
plan, over and over (`--rounds` times per project); `full` takes each project once through the
whole statutory process: plan, city review, compensation plan filed, approved and consented,
funds checked, five departments' sign-offs, handover (12 completions per project, `--rounds`
unused). The service runs as deployed. (a') is (a) on an in-memory SQLite database,
which shows what writing to disk costs; (b') is (b) storing each state in an SQLite table set
up as the service's database is, one transaction per step, which (b) does not do. Also printed:
(a)'s per-request latency centiles over all its runs.

    .venv/bin/python bench/complete_tasks.py [--workload loop|full] [--projects 20]
                                             [--rounds 10] [--repeat 5]
"""
import argparse
import contextlib
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PLAN = {"name": "基准项目", "households": 10, "in_kind_households": 6,
        "monetary_households": 4, "survey_summary": "调查完成"}
RETURN = {"decision": "return", "opinion": "补充材料"}
# Where a step's form puts each department's answer for the sign-off's collection (the form's
# `collect_as`): the bare runs must hand SpiffWorkflow the same output item.
COLLECT_AS = {"joint_signoff": "signoff"}


def steps(rounds, workload="loop"):
    """(step, username, data) in the order the projects take them; username None: the
    department official whose sign-off task it is."""
    if workload == "full":
        from flow import HANDOVER, SIGN, STRAIGHT
        yield from STRAIGHT
        yield from [("joint_signoff", None, SIGN)] * 5
        yield "handover", "jingkou_office", HANDOVER
        return
    for _ in range(rounds):
        yield "submit_plan", "jingkou_office", PLAN
        yield "city_review", "city_review", RETURN


def usernames(workload):
    """Every user the workload's steps need, to sign in before the timing starts."""
    from flow import DEPARTMENTS
    names = {username for _, username, _ in steps(1, workload) if username}
    return sorted(names | ({f"dept_{d}" for d in DEPARTMENTS} if workload == "full" else set()))


def with_output(step, data, department):
    """The step's data as the engine is given it, with a sign-off's collected answer."""
    if step not in COLLECT_AS:
        return data
    return {**data, COLLECT_AS[step]: {**data, "department": department}}


@contextlib.contextmanager
def service_client(in_memory=False):
    """A test client of the service on a new SQLite database with the demo data (a file, or
    `in_memory`: one connection to a database that is never written to disk)."""
    from conftest import make_config, seeded_app
    from service.database import shutdown
    with tempfile.TemporaryDirectory() as tmp:
        config = make_config(Path(tmp))
        config.ENGINE_CHECK_DUMPS = False  # the tests' reference check would be timed too
        if in_memory:
            from sqlalchemy.pool import StaticPool
            config.SQLALCHEMY_DATABASE_URI = "sqlite://"
            config.SQLALCHEMY_ENGINE_OPTIONS = {
                "poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        app = seeded_app(config)
        try:
            yield app.test_client()
        finally:
            shutdown(app)  # the temporary database goes; so do its connections and checkpoints


def bench_service(projects, rounds, latencies=None, in_memory=False, workload="loop"):
    """(completions, seconds) through the HTTP API; each request's seconds go to `latencies`."""
    from conftest import ApiUser
    with service_client(in_memory) as client:
        users = {name: ApiUser(client, name) for name in usernames(workload)}
        # Each project's open tasks, as a client holds them: from the answer that opened them.
        current = [users["jingkou_office"].post("/api/v1/projects", json={"name": f"p{i}"})
                   .json["current_steps"] for i in range(projects)]
        count, elapsed = 0, 0.0
        for step, username, data in steps(rounds, workload):
            started = time.perf_counter()
            for i, open_tasks in enumerate(current):
                task = next(t for t in open_tasks if t["step"] == step)
                caller = users[username or f"dept_{task['department']}"]
                sent = time.perf_counter()
                response = caller.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data})
                if latencies is not None:
                    latencies.append(time.perf_counter() - sent)
                assert response.status_code == 200, response.json
                current[i] = response.json["next_steps"]
            elapsed += time.perf_counter() - started
            count += len(current)
        return count, elapsed


@contextlib.contextmanager
def state_table(store):
    """Where (b) keeps each workflow's serialised state between steps: a dict, or with `store`
    a table in a new SQLite database set up as the service's is (write-ahead log,
    synchronous=NORMAL). Yields (read, write); a write commits."""
    if not store:
        states = {}
        yield states.__getitem__, states.__setitem__
        return
    import sqlite3
    from service.database import sqlite_pragmas
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bare.db"
        connection = sqlite3.connect(path)
        sqlite_pragmas(connection)
        connection.execute("CREATE TABLE instances (id INTEGER PRIMARY KEY, state TEXT NOT NULL)")

        def read(key):
            return connection.execute("SELECT state FROM instances WHERE id = ?",
                                      (key,)).fetchone()[0]

        def write(key, state):
            with connection:  # one transaction, committed
                connection.execute("INSERT INTO instances (id, state) VALUES (?, ?) ON CONFLICT "
                                   "(id) DO UPDATE SET state = excluded.state", (key, state))
        try:
            yield read, write
        finally:
            connection.close()


def bench_bare(projects, rounds, store=False, workload="loop"):
    """(completions, seconds) with bare SpiffWorkflow; `store`: each state kept in SQLite."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.bpmn.parser import BpmnParser
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.util.task import TaskState
    parser = BpmnParser()
    parser.add_bpmn_file(str(ROOT / "workflows" / "statutory_approval.bpmn"))
    spec = parser.get_spec("statutory_approval")
    serializer = BpmnWorkflowSerializer()
    with state_table(store) as (read, write):
        for i in range(projects):
            workflow = BpmnWorkflow(spec)
            workflow.do_engine_steps()
            write(i, serializer.serialize_json(workflow))
        count, started = 0, time.perf_counter()
        for step, _, data in steps(rounds, workload):
            for i in range(projects):
                workflow = serializer.deserialize_json(read(i))
                task = workflow.get_next_task(state=TaskState.READY, manual=True)
                assert task.task_spec.bpmn_id == step
                task.data.update(with_output(step, data, task.data.get("department")))
                task.run()
                workflow.do_engine_steps()
                write(i, serializer.serialize_json(workflow))
                count += 1
        return count, time.perf_counter() - started


def bench_engine(projects, rounds, cached, workload="loop"):
    """The service's engine path alone: spec cached per version, state stored without it.

    `cached`: the live instance is kept between steps (as the service does after a commit);
    otherwise it is loaded from its stored state before every step (a cache miss).
    """
    from service.engine import Engine
    engine = Engine()
    definition = engine.parse((ROOT / "workflows" / "statutory_approval.bpmn").read_text())
    instances = [engine.start(definition, {"project_name": "p", "district": "jingkou"})
                 for _ in range(projects)]
    states = [engine.dump(i) for i in instances]
    count, started = 0, time.perf_counter()
    for step, _, data in steps(rounds, workload):
        for i in range(projects):
            instance = instances[i] if cached else engine.load(definition, states[i])
            ready = instance.ready_user_tasks()[0]
            assert ready.step == step
            instance.complete(ready.id, with_output(step, data, ready.data.get("department")))
            states[i] = engine.dump(instance)
            instances[i] = instance
            count += 1
    return count, time.perf_counter() - started


LABELS = {"a": "(a) service, HTTP API, one DB transaction",
          "a'": "(a') the same, SQLite in memory (no disk I/O)",
          "b": "(b) bare SpiffWorkflow, deserialise+serialise",
          "b'": "(b') the same, each state stored in SQLite",
          "c": "(c) service engine path, live instance kept",
          "d": "(d) service engine path, loaded every step"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=("loop", "full"), default="loop",
                        help="loop: plan and city return over and over; full: the whole process")
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10, help="loop rounds (loop workload)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of each, interleaved; the median run is reported")
    args = parser.parse_args()
    runs = {key: [] for key in LABELS}
    latencies, counts = [], set()
    size, workload = (args.projects, args.rounds), args.workload
    benches = {"a": lambda: bench_service(*size, latencies, workload=workload),
               "a'": lambda: bench_service(*size, in_memory=True, workload=workload),
               "b": lambda: bench_bare(*size, workload=workload),
               "b'": lambda: bench_bare(*size, store=True, workload=workload),
               "c": lambda: bench_engine(*size, cached=True, workload=workload),
               "d": lambda: bench_engine(*size, cached=False, workload=workload)}
    # Interleaved, so that a slow spell of a shared machine falls on every variant alike.
    for _ in range(args.repeat):
        for key, bench in benches.items():
            gc.collect()  # each run starts without the garbage of the one before
            count, seconds = bench()
            counts.add(count)
            runs[key].append(1000 * seconds / count)
    [count] = counts  # every variant completed the same tasks
    median = {key: statistics.median(times) for key, times in runs.items()}
    for key, label in LABELS.items():
        print(f"{label:48} {median[key]:5.2f} ms/task = {1000 / median[key]:5.0f} tasks/s "
              f"(runs {min(runs[key]):.2f}–{max(runs[key]):.2f} ms, "
              f"{count} tasks each)")
    print("ratio of rates to (b): " + "   ".join(
        f"({key}) {median['b'] / median[key]:.2f}" for key in ("a", "a'", "b'", "c", "d")))
    stored = median["b'"] / median["a"]
    print(f"ratio of (a)'s rate to (b')'s, both storing every step in SQLite: {stored:.2f}")
    # What an official waits for: one slow request in a hundred matters more than the mean.
    latencies.sort()
    centile = {p: 1000 * latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]
               for p in (50, 90, 99, 99.9)}
    print(f"(a) request latency over {len(latencies)} completions: " + "  ".join(
        f"p{p:g} {ms:.2f}" for p, ms in centile.items()) + f"  max {1000 * latencies[-1]:.2f} ms")


if __name__ == "__main__":
    main()
