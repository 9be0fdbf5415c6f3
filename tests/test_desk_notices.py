"""Work arriving: a new or returned step notifies its office and links to the task; each role
lands on its own page; the header counts the work waiting (待办) beside the messages (消息)."""
import re

from flow import APPROVE_REVIEW, PLAN, sign_off_all, run_straight, start


def notices(user, kind=None):
    response = user.get("/api/v1/inbox", query_string={"page_size": 100})
    assert response.status_code == 200, response.json
    return [n for n in response.json if kind is None or n["kind"] == kind]


def test_new_step_notifies_only_its_office(as_user):
    pid = start(as_user)
    [arrival] = notices(as_user("jingkou_office"))
    assert arrival["kind"] == "task_new" and arrival["subject"].startswith("【待办】西津渡棚户区改造")
    assert notices(as_user("runzhou_office")) == [] and notices(as_user("city_review")) == []
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    [review] = notices(as_user("city_review"))
    task = as_user("city_review").task_for(pid, "city_review")
    assert (review["task_id"], review["project_id"]) == (task["id"], pid)
    assert "市级审核" in review["subject"] and review["body"].endswith(
        f"办理期限 {task['due_date']}。")


def test_returned_step_is_announced_as_returned(as_user):
    pid = start(as_user)
    as_user("jingkou_office").complete(pid, "submit_plan", PLAN)
    sent_back = {**APPROVE_REVIEW, "decision": "return", "opinion": "请补充入户调查台账"}
    as_user("city_review").complete(pid, "city_review", sent_back)
    [back] = notices(as_user("jingkou_office"), "task_returned")
    assert back["subject"] == "【退回重办】西津渡棚户区改造：项目申报"


def test_objection_sends_the_plan_back_to_the_district_with_a_notice(as_user):
    pid = start(as_user)
    run_straight(as_user, pid)
    for department in ("housing", "audit"):
        [note] = notices(as_user(f"dept_{department}"), "task_new")
        assert "联审会签" in note["subject"]
    assert notices(as_user("dept_urban_management")) == []  # not asked to sign this project
    sign_off_all(as_user, pid, objections={"audit": "审计意见：补偿预算需复核"})
    office = as_user("jingkou_office")
    revise = office.task_for(pid, "revise_after_signoff")
    [note] = [n for n in notices(office) if n["task_id"] == revise["id"]]
    assert note["subject"] == "【待办】西津渡棚户区改造：根据会签意见修改"


def test_each_role_lands_on_its_own_page(client, web_login):
    expected = {"jingkou_office": "/desk/queue", "dept_audit": "/desk/queue",
                "city_supervisor": "/supervision/", "leading_group_office": "/supervision/",
                "policy": "/desk/processes", "admin": "/admin/"}
    for username, path in expected.items():
        landed = web_login(username)
        assert landed.status_code == 302
        final = client.get(landed.headers["Location"], follow_redirects=True)
        assert final.status_code == 200
        assert final.request.path.startswith(path), (username, final.request.path)
        client.post("/logout", data={"csrf_token": _token(client)})


def test_header_counts_the_work_waiting(as_user, client, web_login):
    start(as_user)
    start(as_user, name="南山片区")
    web_login("jingkou_office")
    page = client.get("/desk/projects").text
    assert re.search(r'data-badge="queue" href="/desk/queue">待办 <span class="badge">2</span>',
                     page)
    assert 'data-badge="inbox" href="/desk/inbox">消息 <span class="badge">2</span>' in page
    inbox = client.get("/desk/inbox").text
    task = as_user("jingkou_office").get("/api/v1/tasks").json[0]
    assert f'href="/desk/tasks/{task["id"]}"' in inbox and "去办理" in inbox
    client.get("/lang/en")
    english = client.get("/desk/projects").text
    assert ">To do <span" in english and ">Messages <span" in english


def _token(client):
    from conftest import csrf_from
    return csrf_from(client.get("/desk/projects").text)
