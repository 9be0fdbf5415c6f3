"""The desk pages over HTTP: queue, task form errors, drafts, uploads, return, project page."""
import io
import re

from conftest import csrf_from
from deskflow import PDF, SUBMIT, start, to_city_review


def _task_page(client, task_id):
    page = client.get(f"/desk/tasks/{task_id}")
    assert page.status_code == 200
    return page.text, csrf_from(page.text)


def test_queue_shows_due_days_filters_and_claims(client, web_login, as_user):
    first, second = start(as_user, "甲项目"), start(as_user, "乙项目")
    web_login("jingkou_office")
    page = client.get("/desk/queue")
    assert "甲项目" in page.text and "乙项目" in page.text and "10 个工作日" in page.text
    filtered = client.get(f"/desk/queue?project={first}")
    assert "甲项目" in filtered.text and "乙项目" not in filtered.text.split("<tbody>")[1]
    task_id = as_user("jingkou_office").task_for(first, "submit_plan")["id"]
    client.post(f"/desk/tasks/{task_id}/claim",
                data={"csrf_token": csrf_from(page.text), "next": "/desk/queue"})
    mine = client.get("/desk/queue?tab=mine")
    assert "甲项目" in mine.text and f'data-task="{task_id}"' in mine.text
    client.post(f"/desk/tasks/{task_id}/unclaim", data={"csrf_token": csrf_from(mine.text)})
    assert f'data-task="{task_id}"' not in client.get("/desk/queue?tab=mine").text


def test_validation_errors_next_to_fields_keep_what_was_typed(client, web_login, as_user):
    project_id = start(as_user)
    task_id = as_user("jingkou_office").task_for(project_id, "submit_plan")["id"]
    web_login("jingkou_office")
    _, token = _task_page(client, task_id)
    form = {**SUBMIT, "households": "121", "csrf_token": token}
    response = client.post(f"/desk/tasks/{task_id}/complete", data=form)
    assert response.status_code == 422
    field = re.search(r'data-field="in_kind_households".*?</div>', response.text, re.S).group(0)
    assert "field-error" in field
    assert 'value="121"' in response.text and "调查摸底完成，产权清晰" in response.text
    client.get("/lang/en")
    response = client.post(f"/desk/tasks/{task_id}/complete",
                           data={**form, "households": "abc"})
    assert "Must be a whole number." in response.text and 'value="abc"' in response.text
    assert as_user("jingkou_office").task_for(project_id, "submit_plan")["status"] == "open"


def test_draft_upload_and_complete_through_the_page(client, web_login, as_user):
    project_id = start(as_user)
    task_id = as_user("jingkou_office").task_for(project_id, "submit_plan")["id"]
    web_login("jingkou_office")
    _, token = _task_page(client, task_id)
    client.post(f"/desk/tasks/{task_id}/draft",
                data={"csrf_token": token, "survey_summary": "草稿内容", "households": "120"})
    text, token = _task_page(client, task_id)
    assert "草稿内容" in text and 'value="120"' in text
    refused = client.post(f"/desk/tasks/{task_id}/upload", content_type="multipart/form-data",
                          data={"csrf_token": token, "field": "survey_ledger",
                                "upload_survey_ledger": (io.BytesIO(b"MZ"), "virus.exe")})
    assert refused.status_code == 422 and "不允许的文件类型" in refused.text
    client.post(f"/desk/tasks/{task_id}/upload", content_type="multipart/form-data",
                data={"csrf_token": token, "field": "survey_ledger", **SUBMIT,
                      "upload_survey_ledger": (io.BytesIO(PDF), "台账.pdf")})
    text, token = _task_page(client, task_id)
    attachment_id = re.search(r'name="survey_ledger" value="(\d+)" checked', text).group(1)
    done = client.post(f"/desk/tasks/{task_id}/complete",
                       data={**SUBMIT, "survey_ledger": attachment_id, "csrf_token": token})
    assert done.status_code == 302
    outcome = client.get(done.headers["Location"])
    assert "市级审核" in outcome.text and "市征收办" in outcome.text
    project = client.get(f"/desk/projects/{project_id}")
    assert "台账.pdf" in project.text and 'id="diagram-data"' in project.text
    assert client.get(f"/desk/attachments/{attachment_id}").data == PDF


def test_return_from_the_page_needs_a_reason(client, web_login, as_user):
    project_id = to_city_review(as_user)
    task_id = as_user("city_review").task_for(project_id, "city_review")["id"]
    web_login("city_review")
    text, token = _task_page(client, task_id)
    # one way to send the project back: the decision's 退回修改 option, no second return box
    assert "退回上一环节" not in text and "退回修改" in text
    missing = client.post(f"/desk/tasks/{task_id}/return", data={"csrf_token": token})
    assert missing.status_code == 422 and "请填写退回理由" in missing.text
    done = client.post(f"/desk/tasks/{task_id}/return",
                       data={"csrf_token": token, "reason": "请补充台账"})
    assert done.status_code == 302
    project = client.get(f"/desk/projects/{project_id}").text
    assert "请补充台账" in project and "退回" in project
    assert "flow_city_return" in project  # marked on the diagram


def test_pages_refuse_other_districts(client, web_login, as_user):
    project_id = start(as_user)
    web_login("runzhou_office")
    assert client.get(f"/desk/projects/{project_id}").status_code == 404
    assert client.get(f"/desk/projects/{project_id}/archive").status_code == 404
    listing = client.get("/desk/projects")
    assert "西津渡棚改" not in listing.text


def test_project_list_filters_and_new_project(client, web_login, as_user):
    start(as_user, "甲项目")
    web_login("jingkou_office")
    page = client.get("/desk/projects/new")
    response = client.post("/desk/projects/new", data={"csrf_token": csrf_from(page.text),
                                                       "name": "新项目"})
    assert response.status_code == 302 and "/desk/tasks/" in response.headers["Location"]
    listing = client.get("/desk/projects?status=in_progress").text
    assert "甲项目" in listing and "新项目" in listing and "项目申报" in listing
    assert "新项目" not in client.get("/desk/projects?status=completed").text
    web_login("city_review")
    assert client.get("/desk/projects/new").status_code == 403


def test_queue_marks_due_soon_yellow_and_overdue_red(client, web_login, as_user, clock):
    project_id = start(as_user)
    web_login("jingkou_office")
    row = f'data-task="{as_user("jingkou_office").task_for(project_id, "submit_plan")["id"]}"'
    assert f'<tr class="" {row}' in client.get("/desk/queue").text
    clock.advance(days=12)  # 10 working days from Monday 23 Nov: due Monday 7 Dec
    web_login("jingkou_office")  # a desk sign-in lasts a working day
    page = client.get("/desk/queue").text
    assert f'<tr class="yellow" {row}' in page and "剩余 1 个工作日" in page
    clock.advance(days=3)
    web_login("jingkou_office")
    page = client.get("/desk/queue").text
    assert f'<tr class="red" {row}' in page and "已逾期" in page


def test_page_upload_refused_on_a_task_another_official_claimed(client, web_login, as_user,
                                                               runner):
    from service.extensions import db
    from service.services.people.users import create_user
    with runner.app.app_context():  # a test account like the seeded ones
        create_user("jingkou_office2", "demo-pass-2026", "district_office", "jingkou", demo=True)
        db.session.commit()
    project_id = start(as_user)
    task_id = as_user("jingkou_office").task_for(project_id, "submit_plan")["id"]
    as_user("jingkou_office").post(f"/api/v1/tasks/{task_id}/claim")
    web_login("jingkou_office2")
    _, token = _task_page(client, task_id)
    response = client.post(f"/desk/tasks/{task_id}/upload", content_type="multipart/form-data",
                           data={"csrf_token": token, "field": "survey_ledger",
                                 "survey_summary": "别人的草稿",
                                 "upload_survey_ledger": (io.BytesIO(PDF), "台账.pdf")})
    assert response.status_code == 409
    detail = as_user("jingkou_office").get(f"/api/v1/tasks/{task_id}").json
    assert detail["claimed_by"] == "jingkou_office"
    assert "survey_summary" not in detail["values"]  # the other official's draft is untouched
    files = as_user("jingkou_office").get(f"/api/v1/projects/{project_id}/attachments").json
    assert files == []


def test_the_desk_transfers_a_task_and_refuses_a_reason_over_2000_characters(
        client, web_login, as_user, app):
    from service.extensions import db
    from service.services.people.users import create_user
    with app.app_context():
        create_user("jingkou_office2", "demo-pass-2026", "district_office", "jingkou",
                    demo=True)  # a test account like the seeded ones
        db.session.commit()
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = office.task_for(project_id, "submit_plan")["id"]
    office.post(f"/api/v1/tasks/{task_id}/claim")
    web_login("jingkou_office")
    page = client.get(f"/desk/tasks/{task_id}/transfer")
    assert page.status_code == 200 and 'value="jingkou_office2"' in page.text
    refused = client.post(f"/desk/tasks/{task_id}/transfer", data={
        "to": "jingkou_office2", "reason": "出差" * 1001, "csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422 and "不能超过 2000 个字符" in refused.text
    assert office.get(f"/api/v1/tasks/{task_id}").json["claimed_by"] == "jingkou_office"
    moved = client.post(f"/desk/tasks/{task_id}/transfer", data={
        "to": "jingkou_office2", "reason": "出差", "csrf_token": csrf_from(page.text)})
    assert moved.status_code == 302
    assert office.get(f"/api/v1/tasks/{task_id}").json["claimed_by"] == "jingkou_office2"


def test_a_control_character_in_a_desk_form_is_shown_next_to_its_field(client, web_login,
                                                                       as_user):
    project_id = start(as_user)
    task_id = as_user("jingkou_office").task_for(project_id, "submit_plan")["id"]
    web_login("jingkou_office")
    _, token = _task_page(client, task_id)
    pasted = "调查摸底完成\x0b产权清晰"  # a manual line break as a word processor copies it
    response = client.post(f"/desk/tasks/{task_id}/complete",
                           data={**SUBMIT, "survey_summary": pasted, "area_m2": "12345",
                                 "csrf_token": token})
    assert response.status_code == 422
    field = re.search(r'data-field="survey_summary".*?</div>', response.text, re.S).group(0)
    assert "无法保存或显示的字符" in field
    assert 'value="12345"' in response.text  # what was typed is kept
    assert as_user("jingkou_office").task_for(project_id, "submit_plan")["status"] == "open"
    # Elsewhere on the desk the same text is refused on an error page.
    page = client.get("/desk/projects/new")
    refused = client.post("/desk/projects/new", data={"name": "甲\x0b乙",
                                                      "csrf_token": csrf_from(page.text)})
    assert refused.status_code == 422
