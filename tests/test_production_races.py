"""Races through the production server (gunicorn, four workers) on PostgreSQL: claim, unclaim,
transfer, release and complete of the same task at once, and the five parallel sign-offs of
one project completed at once. Exactly one winner per exclusive action, 409 for the others,
never a 500; afterwards task rows match the workflow and the audit trail."""
import threading
from collections import Counter

from flow import DEPARTMENTS, HANDOVER, PLAN, SIGN, STRAIGHT
from production_server import (Caller, Server, audit_trail, consistency_problems, done,
                               postgres_only, prepared_app)

pytestmark = postgres_only

ROUNDS = 8  # projects per race; each race is a few hundred milliseconds
COLLEAGUES = [("jingkou_office2", "district_office", "jingkou"),
              ("jingkou_office3", "district_office", "jingkou")]
ACTIONS = ("claim", "unclaim", "transfer", "release", "complete")


def replay(events):
    """Replay a task row's audited actions under the rules of each action; returns the
    problems (an action the row's state at that moment did not allow)."""
    holder, open_, problems = None, True, []
    for action, actor, detail in events:
        allowed = open_ and {
            "claim": holder in (None, actor), "unclaim": holder == actor,
            "transfer": holder == actor, "release": holder is not None,
            "complete": holder in (None, actor)}[action]
        if not allowed:
            problems.append((action, actor, "holder", holder, "open", open_))
        holder = {"claim": actor, "unclaim": None, "transfer": detail.get("to"),
                  "release": None, "complete": actor}[action]
        open_ = open_ and action != "complete"
    return problems


def at_once(calls):
    """Run the calls (each returns (status, answer)) on threads released together."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        answers[index] = call()
    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def task_url(task_id, action):
    return f"/api/v1/tasks/{task_id}/{action}"


def carry_to_the_end(users, project_id, task_id):
    """Finish the project whose submit_plan row is `task_id`, whoever holds that row now."""
    office = users["jingkou_office"]
    shown = office.ok("GET", f"/api/v1/tasks/{task_id}") if task_id else None
    if shown and shown["status"] == "open":
        holder = users[shown["claimed_by"] or "jingkou_office"]
        holder.ok("POST", task_url(task_id, "complete"), {"data": PLAN})
    for step, username, data in STRAIGHT[1:]:
        users[username].complete(project_id, step, data)
    return project_id


def test_exclusive_actions_and_parallel_sign_offs_race_through_four_workers(tmp_path):
    app = prepared_app(tmp_path, colleagues=COLLEAGUES)
    server = Server(tmp_path, workers=4).start()
    try:
        names = {"jingkou_office", "jingkou_office2", "jingkou_office3", "jingkou_supervisor",
                 "city_supervisor", *(u for _, u, _ in STRAIGHT),
                 *(f"dept_{d}" for d in DEPARTMENTS)}
        users = {name: Caller(server, name) for name in names}
        office, office2, office3 = (users[n] for n in
                                    ("jingkou_office", "jingkou_office2", "jingkou_office3"))
        supervisor = users["jingkou_supervisor"]
        answered = Counter()  # (task id, action) -> 200 answers
        statuses = []

        # 1. A claimed task: its official completes, unclaims and transfers it while the
        #    supervisor releases it. Some orders let several succeed (a release after the
        #    transfer, a completion of the row the release left unclaimed): each answer of 200
        #    is one audited action, allowed by the row's state when it was recorded.
        claimed = []
        for number in range(ROUNDS):
            project_id = office.ok("POST", "/api/v1/projects", {"name": f"竞争{number}"},
                                   expect=201)["id"]
            task_id = office.task(project_id, "submit_plan")
            office.ok("POST", task_url(task_id, "claim"))
            answered[task_id, "claim"] += 1
            claimed.append((project_id, task_id))
        for project_id, task_id in claimed:
            calls = [("complete", lambda t=task_id: office.call(
                         "POST", task_url(t, "complete"), {"data": PLAN})),
                     ("unclaim", lambda t=task_id: office.call("POST", task_url(t, "unclaim"))),
                     ("transfer", lambda t=task_id: office.call(
                         "POST", task_url(t, "transfer"),
                         {"to": "jingkou_office2", "reason": "出差"})),
                     ("release", lambda t=task_id: supervisor.call(
                         "POST", task_url(t, "release"), {"reason": "病假"}))]
            answers = at_once([call for _, call in calls])
            statuses += [status for status, _ in answers]
            assert {status for status, _ in answers} <= {200, 409}, answers
            for (action, _), (status, _) in zip(calls, answers):
                answered[task_id, action] += status == 200

        # 2. An unclaimed task: two officials claim it while a third completes it twice;
        #    each needs the row unclaimed and open: exactly one wins.
        unclaimed = []
        for number in range(ROUNDS):
            project_id = office.ok("POST", "/api/v1/projects", {"name": f"认领{number}"},
                                   expect=201)["id"]
            unclaimed.append((project_id, office.task(project_id, "submit_plan")))
        for project_id, task_id in unclaimed:
            calls = [("claim", lambda t=task_id: office.call("POST", task_url(t, "claim"))),
                     ("claim", lambda t=task_id: office2.call("POST", task_url(t, "claim"))),
                     ("complete", lambda t=task_id: office3.call(
                         "POST", task_url(t, "complete"), {"data": PLAN})),
                     ("complete", lambda t=task_id: office3.call(
                         "POST", task_url(t, "complete"), {"data": PLAN}))]
            answers = at_once([call for _, call in calls])
            statuses += [status for status, _ in answers]
            winners = [action for (action, _), (status, _) in zip(calls, answers)
                       if status == 200]
            assert sorted(status for status, _ in answers) == [200, 409, 409, 409], answers
            answered[task_id, winners[0]] += 1

        # Every raced project goes on to its five parallel sign-offs.
        racing = claimed + unclaimed
        for project_id, task_id in racing:
            carry_to_the_end(users, project_id, task_id)

        # 3. The five sign-offs of a project at once, each department's sent twice.
        for project_id, _ in racing:
            tasks = {d: users[f"dept_{d}"].task(project_id, "joint_signoff")
                     for d in DEPARTMENTS}
            calls = [lambda d=d: users[f"dept_{d}"].call(
                "POST", task_url(tasks[d], "complete"), {"data": SIGN})
                for d in DEPARTMENTS for _ in range(2)]
            answers = at_once(calls)
            statuses += [status for status, _ in answers]
            for index, department in enumerate(DEPARTMENTS):
                pair = sorted(status for status, _ in answers[2 * index:2 * index + 2])
                assert pair == [200, 409], (department, answers)
                answered[tasks[department], "complete"] += 1
            steps = [s["step"] for s in users["city_supervisor"].ok(
                "GET", f"/api/v1/projects/{project_id}")["current_steps"]]
            assert steps == ["handover"], (project_id, steps)
            office.complete(project_id, "handover", HANDOVER)
            shown = users["city_supervisor"].ok("GET", f"/api/v1/projects/{project_id}")
            assert shown["status"] == "completed"

        assert not [s for s in statuses if s is None or s >= 500], Counter(statuses)
        assert server.errors() == []
        project_ids = [project_id for project_id, _ in racing]
        assert consistency_problems(app, project_ids) == []
        raced_rows = {task_id for _, task_id in racing}
        every_row = {task_id for task_id, _ in answered}
        trail = audit_trail(app, every_row, ACTIONS)
        for task_id, events in trail.items():
            assert replay(events) == [], (task_id, events)
            recorded = Counter(action for action, _, _ in events)
            for action in ACTIONS:
                if action == "complete" and task_id in raced_rows:
                    # completed by its race's winner or afterwards on the way to the end
                    assert recorded[action] == 1, (task_id, events)
                else:
                    assert recorded[action] == answered[task_id, action], \
                        (task_id, action, events, answered)
    finally:
        server.stop()
        done(app)
