"""Who may see and act on what; concurrent completion; invalid data changes nothing."""
import threading
import time

from housing_helpers import reserve_housing
from conftest import ApiUser, make_config
from flow import PLAN, open_steps, project, run_straight, start
from helpers_sqlite import COULD_WRITE, sqlite_only, sqlite_path, try_write_lock
from service import create_app
from service.database import shutdown


def test_runzhou_official_can_neither_see_nor_complete_a_jingkou_task(as_user):
    pid = start(as_user)
    task = as_user("jingkou_office").task_for(pid, "submit_plan")
    runzhou = as_user("runzhou_office")
    assert runzhou.queue() == []
    assert runzhou.get(f"/api/v1/tasks/{task['id']}").status_code == 404
    assert runzhou.get(f"/api/v1/projects/{pid}").status_code == 404
    assert pid not in [p["id"] for p in runzhou.get("/api/v1/projects").json]
    response = runzhou.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": PLAN})
    assert response.status_code == 404
    assert runzhou.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 404
    assert open_steps(as_user, pid) == ["submit_plan"]


def test_other_roles_in_the_district_cannot_act_on_the_task(as_user):
    pid = start(as_user)
    task = as_user("jingkou_office").task_for(pid, "submit_plan")
    government = as_user("jingkou_gov")
    assert government.queue() == []
    response = government.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": PLAN})
    assert response.status_code in (403, 404)
    assert open_steps(as_user, pid) == ["submit_plan"]


def test_department_official_acts_only_on_its_own_signoff(as_user):
    pid = start(as_user)
    run_straight(as_user, pid)
    housing_task = as_user("dept_housing").task_for(pid, "joint_signoff")
    audit = as_user("dept_audit")
    response = audit.post(f"/api/v1/tasks/{housing_task['id']}/complete",
                          json={"data": {"decision": "approve"}})
    assert response.status_code in (403, 404)
    assert [t["department"] for t in audit.queue(project_id=pid)] == ["audit"]


def test_city_offices_see_every_district(as_user):
    jingkou = start(as_user)
    runzhou = start(as_user, "南门棚改", office="runzhou_office")
    queue = as_user("city_supervisor").get("/api/v1/projects").json
    assert {jingkou, runzhou} <= {p["id"] for p in queue}
    only = as_user("runzhou_supervisor").get("/api/v1/projects").json
    assert [p["id"] for p in only] == [runzhou]


def test_only_a_district_office_starts_projects(as_user):
    response = as_user("city_review").post("/api/v1/projects", json={"name": "x"})
    assert response.status_code == 403
    response = as_user("jingkou_office").post("/api/v1/projects", json={"name": ""})
    assert response.status_code == 422 and "name" in response.json["errors"]["json"]


def _colleague(runner, username, role, *office):
    """A second official, added as the seeded demo ones are (the demo password, no change
    required at the first sign-in); the CLI gives every new account a password to replace."""
    from service.extensions import db
    from service.services.people.users import create_user
    with runner.app.app_context():
        create_user(username, "demo-pass-2026", role, *(office[1:] if office else ()),
                    demo=True)
        db.session.commit()


def test_claim_moves_task_to_mine_and_others_see_it_claimed(as_user, runner):
    _colleague(runner, "jingkou_office2", "district_office", "--district", "jingkou")
    pid = start(as_user)
    first, second = as_user("jingkou_office"), as_user("jingkou_office2")
    task = first.task_for(pid, "submit_plan")
    assert first.post(f"/api/v1/tasks/{task['id']}/claim").json["claimed_by"] == "jingkou_office"
    assert [t["id"] for t in first.queue(scope="mine")] == [task["id"]]
    assert second.queue() == []  # no longer unclaimed in the role queue
    assert second.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 409
    response = second.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": PLAN})
    assert response.status_code == 409
    assert first.post(f"/api/v1/tasks/{task['id']}/unclaim").status_code == 200
    assert [t["id"] for t in second.queue()] == [task["id"]]


def test_two_officials_completing_the_same_task_at_once(as_user, runner):
    _colleague(runner, "city_review2", "city_review")
    pid = start(as_user)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    callers = [as_user("city_review"), as_user("city_review2")]
    task = callers[0].task_for(pid, "city_review")
    decisions = [{"decision": "return", "opinion": f"意见{i}"} for i in range(2)]
    barrier, codes = threading.Barrier(2), [None, None]

    def complete(i):
        barrier.wait()
        codes[i] = callers[i].post(f"/api/v1/tasks/{task['id']}/complete",
                                   json={"data": decisions[i]}).status_code

    threads = [threading.Thread(target=complete, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]
    history = project(as_user, pid)["history"]
    assert [e["action"] for e in history].count("complete") == 2  # submit + one review
    assert open_steps(as_user, pid) == ["submit_plan"]


def test_invalid_form_gets_422_per_field_and_changes_nothing(as_user):
    pid = start(as_user)
    office = as_user("jingkou_office")
    before = project(as_user, pid)
    task = office.task_for(pid, "submit_plan")
    bad = {**PLAN, "households": "many", "in_kind_households": -1, "typename": "Evil",
           "survey_summary": ""}
    response = office.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": bad})
    assert response.status_code == 422
    errors = response.json["errors"]
    assert {"households", "in_kind_households", "typename", "survey_summary"} <= set(errors)
    assert all(isinstance(m, list) and m for m in errors.values())
    after = project(as_user, pid)
    assert after["history"] == before["history"] and after["data"] == before["data"]
    assert office.get(f"/api/v1/tasks/{task['id']}").json["status"] == "open"


def test_compensation_plan_refused_without_housing_or_30_day_comment(as_user):
    from flow import COMPENSATION
    pid = start(as_user)
    run_straight(as_user, pid, until="file_compensation_plan")
    office = as_user("jingkou_office")
    task = office.task_for(pid, "file_compensation_plan")
    # 69 units reserved in the pool for 70 in-kind households: the ledger, not a typed number,
    # is checked; a typed units_reserved is refused as computed.
    reserve_housing(as_user, pid, 69)
    typed = office.client.post(f"/api/v1/tasks/{task['id']}/complete",
                               json={"data": {**COMPENSATION, "units_reserved": 70}},
                               headers={**office.headers, "Accept-Language": "en"})
    assert typed.status_code == 422 and set(typed.json["errors"]) == {"units_reserved"}
    assert "computed" in typed.json["errors"]["units_reserved"][0]
    short = {**COMPENSATION, "comment_end": "2026-12-20"}
    response = office.client.post(f"/api/v1/tasks/{task['id']}/complete",
                                  json={"data": short},
                                  headers={**office.headers, "Accept-Language": "en"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"in_kind_households", "comment_end"}
    assert "housing-pool ledger" in response.json["errors"]["in_kind_households"][0]
    assert "30" in response.json["errors"]["comment_end"][0]
    assert open_steps(as_user, pid) == ["file_compensation_plan"]


def test_messages_follow_the_callers_language(as_user):
    pid = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(pid, "submit_plan")
    url = f"/api/v1/tasks/{task['id']}/complete"
    zh = office.post(url, json={"data": {}}).json["errors"]["name"][0]
    en = office.client.post(url, json={"data": {}},
                            headers={**office.headers, "Accept-Language": "en"})
    assert zh == "此项为必填项。" and en.json["errors"]["name"][0] == "This field is required."


def test_a_new_app_object_on_the_same_database_carries_on(app, as_user, tmp_path, clock):
    pid = start(as_user)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    fresh = create_app(make_config(tmp_path), clock=clock)  # same database, empty caches
    city = ApiUser(fresh.test_client(), "city_review")
    task = city.task_for(pid, "city_review")
    response = city.post(f"/api/v1/tasks/{task['id']}/complete",
                         json={"data": {"decision": "return", "opinion": "补充材料"}})
    assert response.status_code == 200
    assert [t["step"] for t in response.json["next_steps"]] == ["submit_plan"]
    shutdown(fresh)


def test_requests_without_a_valid_token_get_401(client):
    assert client.get("/api/v1/tasks").status_code == 401
    response = client.get("/api/v1/projects", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401 and response.json["message"]
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    bad = client.post("/api/v1/auth/token", json={"username": "jingkou_office",
                                                  "password": "wrong"})
    assert bad.status_code == 401


def test_a_token_stops_working_when_it_expires_or_its_user_is_deactivated(
        app, as_user, monkeypatch):
    office, city = as_user("jingkou_office"), as_user("city_review")
    assert office.get("/api/v1/tasks").status_code == 200  # its signature is now remembered
    assert city.get("/api/v1/tasks").status_code == 200
    with app.app_context():
        from sqlalchemy import update
        from service.extensions import db
        from service.models import User
        db.session.execute(update(User).where(User.username == "city_review")
                           .values(active=False))
        db.session.commit()
    refused = city.get("/api/v1/tasks")
    assert refused.status_code == 401 and refused.json["message"]
    later = time.time() + app.config["TOKEN_MAX_AGE"] + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert office.get("/api/v1/tasks").status_code == 401


def test_openapi_document_describes_the_api(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for path in ["/api/v1/auth/token", "/api/v1/projects", "/api/v1/projects/{project_id}",
                 "/api/v1/tasks", "/api/v1/tasks/{task_id}", "/api/v1/tasks/{task_id}/claim",
                 "/api/v1/tasks/{task_id}/unclaim", "/api/v1/tasks/{task_id}/complete"]:
        assert path in spec["paths"], path
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    assert "TaskSchema" in str(spec["components"]["schemas"]) or \
        "Task" in str(spec["components"]["schemas"])
    # The error answers each operation can give are documented, in the one error shape.
    responses = spec["paths"]["/api/v1/tasks/{task_id}/complete"]["post"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(responses)
    assert responses["409"] == {"$ref": "#/components/responses/CONFLICT"}
    conflict = spec["components"]["responses"]["CONFLICT"]
    assert conflict["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}
    assert "401" in spec["paths"]["/api/v1/projects"]["get"]["responses"]
    assert "409" not in spec["paths"]["/api/v1/projects"]["get"]["responses"]


def test_two_departments_signing_off_the_same_project_at_once_both_count(app, as_user):
    """Two sign-offs of one project, the second sent while the first is inside its transaction:
    the second waits for the first and then sees it, rather than acting on rows it read before
    the first committed (which would cancel the first department's completed row)."""
    from sqlalchemy import event
    from flow import DEPARTMENTS, SIGN
    from service.extensions import db
    from service.services import signals
    pid = start(as_user)
    run_straight(as_user, pid)
    first, second = as_user("dept_housing"), as_user("dept_finance")
    tasks = [caller.task_for(pid, "joint_signoff") for caller in (first, second)]
    first_inside, release = threading.Event(), threading.Event()
    threads = {}

    def hold_first(project, tasks, actor):
        # Inside the first completion's transaction, after its rows are read and its step run.
        if actor.username == "dept_housing":
            first_inside.set()
            release.wait(10)

    # The first goes on (and commits) once the second has either read the project's rows or
    # is about to wait for the project's lock: no timing decides which case the test sees.
    def before(conn, cursor, statement, *args):
        if threading.current_thread() is threads.get("second") and (
                statement.startswith("BEGIN IMMEDIATE")
                or ("FOR UPDATE" in statement and "JOIN" not in statement)):
            release.set()

    def after(conn, cursor, statement, *args):
        if threading.current_thread() is threads.get("second") and \
                "FROM tasks JOIN projects" in statement:
            release.set()

    codes = {}

    def complete(caller, task):
        codes[caller.username] = caller.post(f"/api/v1/tasks/{task['id']}/complete",
                                             json={"data": SIGN}).status_code

    with app.app_context():
        engine = db.engine
    signals.tasks_closed.connect(hold_first)
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        threads["first"] = threading.Thread(target=complete, args=(first, tasks[0]))
        threads["first"].start()
        assert first_inside.wait(10)
        threads["second"] = threading.Thread(target=complete, args=(second, tasks[1]))
        threads["second"].start()
        for thread in threads.values():
            thread.join(20)
    finally:
        release.set()
        signals.tasks_closed.disconnect(hold_first)
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    assert codes == {"dept_housing": 200, "dept_finance": 200}
    for caller, task in zip((first, second), tasks):
        assert caller.get(f"/api/v1/tasks/{task['id']}").json["status"] == "completed"
    history = project(as_user, pid)["history"]
    assert "cancel" not in [e["action"] for e in history]
    assert open_steps(as_user, pid) == ["joint_signoff"] * 3
    for department in set(DEPARTMENTS) - {"housing", "finance"}:
        as_user(f"dept_{department}").complete(pid, "joint_signoff", SIGN)
    assert open_steps(as_user, pid) == ["handover"]


def test_lists_are_read_while_another_writer_holds_sqlite_s_write_lock(app, as_user):
    """Reading requests take no write lock: a queue loads while a write transaction is open."""
    import sqlite3
    path = sqlite_only(app, "PostgreSQL readers never wait for writers")
    pid = start(as_user)
    office = as_user("jingkou_office")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:  # were the request to wait for `writer`, it would fail after the busy timeout
        assert [t["step"] for t in office.queue(project_id=pid)] == ["submit_plan"]
    finally:
        writer.rollback()
        writer.close()


def test_unclaiming_a_task_completed_meanwhile_gets_409_and_changes_nothing(
        app, as_user, monkeypatch):
    """The same official completes a claimed task in one tab while unclaiming it in another:
    the unclaim, whose check ran before the completion committed, must not touch the row."""
    from sqlalchemy import text
    from service.extensions import db
    from service.services.approval import tasks as task_service
    pid = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(pid, "submit_plan")
    assert office.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 200
    path = sqlite_path(app)
    checked, locked_out = task_service._actionable, []

    def meanwhile(user, task_id):  # the other tab's completion lands after this one's check
        found = checked(user, task_id)
        if path:  # it cannot: the unclaim holds the database's write lock
            locked_out.append(try_write_lock(path))
        else:
            with db.engine.begin() as other:
                other.execute(text("UPDATE tasks SET status = 'completed' WHERE id = :id"),
                              {"id": task_id})
        return found
    monkeypatch.setattr(task_service, "_actionable", meanwhile)
    response = office.post(f"/api/v1/tasks/{task['id']}/unclaim")
    row = office.get(f"/api/v1/tasks/{task['id']}").json
    actions = [e["action"] for e in project(as_user, pid)["history"]]
    if path:
        assert locked_out == ["database is locked"] and response.status_code == 200
        assert row["claimed_by"] is None and actions.count("unclaim") == 1
    else:
        assert response.status_code == 409, response.json
        assert (row["status"], row["claimed_by"]) == ("completed", "jingkou_office")
        assert "unclaim" not in actions


def test_a_slow_request_body_does_not_keep_other_writers_waiting(app, as_user):
    """A request's body (a large upload, a slow connection) is read before its transaction
    takes SQLite's write lock, so officials' completions do not wait for it to arrive."""
    import io
    import json
    path = sqlite_only(app, "PostgreSQL locks rows, not the database")
    pid = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(pid, "submit_plan")
    body = json.dumps({"data": PLAN}).encode()
    probes = []

    def probe():  # while the body arrives, may another official write?
        probes.append(try_write_lock(path))

    class SlowBody(io.BytesIO):
        def read(self, *args):
            probe()
            return super().read(*args)

        def readinto(self, buffer):
            probe()
            return super().readinto(buffer)

    response = office.client.post(
        f"/api/v1/tasks/{task['id']}/complete", input_stream=SlowBody(body),
        headers={**office.headers, "Content-Type": "application/json",
                 "Content-Length": str(len(body))})
    assert response.status_code == 200, response.json
    assert probes and set(probes) == {COULD_WRITE}
