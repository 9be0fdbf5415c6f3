"""Officials who leave: disable (claims go back to the queue), enable, new password (CLI)."""
from conftest import ApiUser, PASSWORD
from flow import PLAN, project, start


def _token_status(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username,
                                                   "password": password}).status_code


# A password set by the command line must meet the policy, and its official replaces it at
# the first sign-in (POST /api/v1/auth/password).
GIVEN, OWN = "Jk-Office2-set", "Jk-Office2-own"


def _add_colleague(runner, client):
    result = runner.invoke(args=["users", "add", "--username", "jingkou_office2", "--password",
                                 GIVEN, "--role", "district_office", "--district", "jingkou"])
    assert result.exit_code == 0, result.output
    assert _token_status(client, "jingkou_office2", GIVEN) == 403
    changed = client.post("/api/v1/auth/password", json={
        "username": "jingkou_office2", "password": GIVEN, "new_password": OWN})
    assert changed.status_code == 200, changed.json
    return ApiUser(client, "jingkou_office2", OWN)


def test_disabling_an_official_ends_their_access_and_frees_their_claims(
        as_user, client, runner, web_login):
    colleague = _add_colleague(runner, client)
    pid = start(as_user)
    leaving = as_user("jingkou_office")
    task = leaving.task_for(pid, "submit_plan")
    assert leaving.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 200
    web_login("jingkou_office")
    assert client.get("/desk/queue").status_code == 200

    result = runner.invoke(args=["users", "disable", "jingkou_office", "--reason", "调离"])
    assert result.exit_code == 0, result.output
    assert f"tasks back in the queue: {task['id']}" in result.output
    assert leaving.get("/api/v1/tasks").status_code == 401  # the token issued before
    assert _token_status(client, "jingkou_office") == 401
    assert client.get("/desk/queue").status_code == 302  # the browser session ended too

    assert [t["id"] for t in colleague.queue()] == [task["id"]]
    colleague.complete(pid, "submit_plan", PLAN)
    history = project(as_user, pid)["history"]
    release = [e for e in history if e["action"] == "release"]
    assert len(release) == 1 and release[0]["detail"]["reason"] == "调离"
    assert release[0]["detail"]["official"] == "jingkou_office"
    web_login("city_supervisor")
    assert "收回，退回科室待办" in client.get(f"/desk/projects/{pid}").text


def test_disable_needs_a_reason_and_an_active_official(runner):
    assert "reason" in runner.invoke(args=["users", "disable", "jingkou_office"]).output
    blank = runner.invoke(args=["users", "disable", "jingkou_office", "--reason", " "])
    assert blank.exit_code != 0 and "a reason is required" in blank.output
    missing = runner.invoke(args=["users", "disable", "nobody", "--reason", "调离"])
    assert missing.exit_code != 0 and "no official named 'nobody'" in missing.output
    assert runner.invoke(args=["users", "disable", "jingkou_office", "--reason", "调离"]) \
        .exit_code == 0
    again = runner.invoke(args=["users", "disable", "jingkou_office", "--reason", "调离"])
    assert again.exit_code != 0 and "already disabled" in again.output
    assert "disabled" in [line.split()[-1] for line in
                          runner.invoke(args=["users", "list"]).output.splitlines()
                          if line.startswith("jingkou_office ")]


def test_enable_lets_an_official_back_with_a_new_token_only(as_user, client, runner):
    old = as_user("jingkou_office")
    runner.invoke(args=["users", "disable", "jingkou_office", "--reason", "借调"])
    result = runner.invoke(args=["users", "enable", "jingkou_office"])
    assert result.exit_code == 0, result.output
    assert old.get("/api/v1/tasks").status_code == 401
    assert ApiUser(client, "jingkou_office").get("/api/v1/tasks").status_code == 200


def test_a_new_password_replaces_the_old_one_and_its_tokens(as_user, client, runner):
    old = as_user("jingkou_office")
    short = runner.invoke(args=["users", "set-password", "jingkou_office"], input="short\nshort\n")
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    result = runner.invoke(args=["users", "set-password", "jingkou_office"],
                           input="新的口令-2027年\n新的口令-2027年\n")
    assert result.exit_code == 0, result.output
    assert _token_status(client, "jingkou_office") == 401
    # Set for the official, so it is replaced at their next sign-in before any token.
    assert _token_status(client, "jingkou_office", "新的口令-2027年") == 403
    assert old.get("/api/v1/tasks").status_code == 401


def test_a_supervisor_releases_a_task_held_by_an_absent_official(as_user, client, runner,
                                                                 web_login):
    colleague = _add_colleague(runner, client)
    pid = start(as_user)
    absent = as_user("jingkou_office")
    task = absent.task_for(pid, "submit_plan")
    absent.post(f"/api/v1/tasks/{task['id']}/claim")
    assert colleague.queue() == []  # claimed: nobody else can take it
    url = f"/api/v1/tasks/{task['id']}/release"
    assert absent.post(url, json={"reason": "x"}).status_code == 403
    assert as_user("runzhou_supervisor").post(url, json={"reason": "x"}).status_code == 404
    supervisor = as_user("jingkou_supervisor")
    refused = supervisor.post(url, json={"reason": "  "})
    assert refused.status_code == 422 and refused.json["errors"] == {"reason": ["请填写收回理由。"]}
    released = supervisor.post(url, json={"reason": "病假"})
    assert released.status_code == 200 and released.json["claimed_by"] is None
    assert supervisor.post(url, json={"reason": "病假"}).status_code == 409
    assert [t["id"] for t in colleague.queue()] == [task["id"]]
    [event] = [e for e in project(as_user, pid)["history"] if e["action"] == "release"]
    assert event["actor"] == "jingkou_supervisor" and event["detail"] == {
        "step": "submit_plan", "official": "jingkou_office", "reason": "病假"}


def test_the_project_page_offers_supervisors_the_release(as_user, client, web_login):
    from conftest import csrf_from
    pid = start(as_user)
    office = as_user("jingkou_office")
    task = office.task_for(pid, "submit_plan")
    office.post(f"/api/v1/tasks/{task['id']}/claim")
    web_login("jingkou_office")
    assert "收回理由" not in client.get(f"/desk/projects/{pid}").text
    web_login("jingkou_supervisor")
    page = client.get(f"/desk/projects/{pid}")
    assert "收回理由" in page.text
    empty = client.post(f"/desk/tasks/{task['id']}/release",
                        data={"reason": "", "csrf_token": csrf_from(page.text)},
                        follow_redirects=True)
    assert "请填写收回理由。" in empty.text
    assert office.get(f"/api/v1/tasks/{task['id']}").json["claimed_by"] == "jingkou_office"
    done = client.post(f"/desk/tasks/{task['id']}/release",
                       data={"reason": "病假", "csrf_token": csrf_from(page.text)},
                       follow_redirects=True)
    assert "任务已收回，退回科室待办。" in done.text
    assert office.get(f"/api/v1/tasks/{task['id']}").json["claimed_by"] is None
