"""Races through the production server (gunicorn, four workers) on PostgreSQL: claim, unclaim,
transfer, release and complete of the same task at once, and the five parallel sign-offs of
one project completed at once. Exactly one winner per exclusive action, 409 for the others,
never a 500; afterwards task rows match the workflow and the audit trail."""
import threading
import time
from collections import Counter

from sqlalchemy import text

from flow import DEPARTMENTS, HANDOVER, PLAN, SIGN, STRAIGHT, open_steps, start
from housing_helpers import reserve_housing
from production_server import (Caller, Server, audit_trail, consistency_problems, done,
                               in_process, postgres_only, prepared_app)

pytestmark = postgres_only

ROUNDS = 4  # projects per race; each race is a few hundred milliseconds
COLLEAGUES = [("jingkou_office2", "district_office", "jingkou"),
              ("jingkou_office3", "district_office", "jingkou")]
ACTIONS = ("claim", "unclaim", "transfer", "release", "draft", "complete")


def replay(events):
    """Replay a task row's audited actions under the rules of each action; returns the
    problems (an action the row's state at that moment did not allow)."""
    holder, open_, problems = None, True, []
    for action, actor, detail in events:
        allowed = open_ and {
            "claim": holder in (None, actor), "unclaim": holder == actor,
            "transfer": holder == actor, "release": holder is not None,
            "draft": holder == actor, "complete": holder in (None, actor)}[action]
        if not allowed:
            problems.append((action, actor, "holder", holder, "open", open_))
        holder = {"claim": actor, "unclaim": None, "transfer": detail.get("to"),
                  "release": None, "draft": actor, "complete": actor}[action]
        open_ = open_ and action != "complete"
    return problems


def answered_actions(events):
    """The actions of a row's audit events that answer requests: a draft saved on an
    unclaimed row records the claim it makes first, which no claim request asked for."""
    return Counter(action for index, (action, actor, _) in enumerate(events)
                   if not (action == "claim" and events[index + 1:index + 2]
                           and events[index + 1][:2] == ("draft", actor)))


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


def carry_to_the_end(app, users, project_id, task_id):
    """Finish the project whose submit_plan row is `task_id`, whoever holds that row now."""
    office = users["jingkou_office"]
    shown = office.ok("GET", f"/api/v1/tasks/{task_id}") if task_id else None
    if shown and shown["status"] == "open":
        holder = users[shown["claimed_by"] or "jingkou_office"]
        holder.ok("POST", task_url(task_id, "complete"), {"data": PLAN})
    for step, username, data in STRAIGHT[1:]:
        if step == "file_compensation_plan":
            reserve_housing(in_process(app), project_id, data["in_kind_households"], username)
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
        #    supervisor releases it and a colleague saves a draft. Some orders let several succeed (a release after the
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
                         "POST", task_url(t, "release"), {"reason": "病假"})),
                     ("draft", lambda t=task_id: office2.call(
                         "PUT", task_url(t, "draft"), {"data": {"survey_summary": "草稿"}}))]
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
            carry_to_the_end(app, users, project_id, task_id)

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
            recorded = answered_actions(events)
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


def test_a_deadlock_the_database_breaks_answers_409_and_changes_nothing(app, as_user):
    """A race no lock order foresaw (here another session holding the task row and then
    wanting the project row the completion holds): PostgreSQL breaks the deadlock by rolling
    the completion back; its caller gets 409 with a message, nothing is saved, and the same
    completion then succeeds."""
    from service.extensions import db
    office = as_user("jingkou_office")
    project_id = start(as_user)
    task_id = office.task_for(project_id, "submit_plan")["id"]
    answer = {}
    with app.app_context():
        other = db.engine.connect()
        watcher = db.engine.connect()
    try:
        # This session waits long before checking for a deadlock: the completion's session
        # (PostgreSQL's default, one second) finds it and is the one rolled back.
        other.execute(text("SET deadlock_timeout = '60s'"))
        other.execute(text("UPDATE tasks SET claimed_at = claimed_at WHERE id = :id"),
                      {"id": task_id})
        completing = threading.Thread(target=lambda: answer.update(response=office.post(
            f"/api/v1/tasks/{task_id}/complete", json={"data": PLAN})))
        completing.start()
        for _ in range(600):  # until the completion waits on the task row this session holds
            waiting = watcher.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND pid <> pg_backend_pid()")).scalar()
            watcher.rollback()
            if waiting:
                break
            time.sleep(0.01)  # another process's progress; there is no clock to move
        assert waiting, "the completion never waited on the task row"
        other.execute(text("SELECT id FROM projects WHERE id = :id FOR UPDATE"),
                      {"id": project_id})
        completing.join(timeout=60)
        other.rollback()
    finally:
        other.close()
        watcher.close()
    response = answer["response"]
    assert response.status_code == 409, response.json
    assert "try again" in response.json["message"]
    assert open_steps(as_user, project_id) == ["submit_plan"]
    history = office.get(f"/api/v1/projects/{project_id}").json["history"]
    assert [e["action"] for e in history if e["action"] == "complete"] == []
    again = office.post(f"/api/v1/tasks/{task_id}/complete", json={"data": PLAN})
    assert again.status_code == 200, again.json
    assert open_steps(as_user, project_id) == ["city_review"]
