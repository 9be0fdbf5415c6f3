"""The policy staff pages: versions, upload, rollback, form editor, migration (test client)."""
# Version ids: 1 is the statutory approval, 2 the households' process (issue 16), 3 the next version
# deployed here.
import json
from io import BytesIO

from conftest import csrf_from
from flows import STATUTORY, complete_step, project, upload
from test_migration import RENAMED


def test_only_policy_staff_and_administrators_see_the_pages(client, web_login):
    web_login("jingkou_office")
    assert client.get("/desk/processes").status_code == 403
    assert "/desk/processes" not in client.get("/desk/queue").text


def test_version_list_and_page_show_diff_and_diagram(client, web_login, as_user):
    upload(as_user("policy"), STATUTORY.replace('value="60"', 'value="40"'), note="交房时限40天")
    web_login("policy")
    page = client.get("/desk/processes")
    assert page.status_code == 200 and "交房时限40天" in page.text and "v2" in page.text
    page = client.get("/desk/processes/3")
    assert "交房时限40天" in page.text
    assert "时限 · 签约交房与档案移交: 60 → 40" in page.text  # the step by name, not its key
    assert "dist/viewer.js" in page.text and "diagram-xml" in page.text
    edit = client.get("/desk/processes/3/edit")
    assert edit.status_code == 200 and "dist/modeler.js" in edit.text
    assert "time_limit_days" in edit.text  # the diagram the modeler opens


def test_upload_page_refuses_a_bad_diagram_and_deploys_a_good_one(client, web_login):
    web_login("policy")
    token = csrf_from(client.get("/desk/processes").text)
    bad = STATUTORY.replace('camunda:candidateGroups="finance"', 'camunda:candidateGroups="x"')
    response = client.post("/desk/processes/upload", data={
        "csrf_token": token, "action": "deploy", "note": "bad",
        "file": (BytesIO(bad.encode()), "bad.bpmn")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "check_funds" in response.text and "“x” 不存在" in response.text
    good = STATUTORY.replace('value="60"', 'value="45"')
    response = client.post("/desk/processes/upload", data={
        "csrf_token": token, "action": "deploy", "note": "从文件上传",
        "file": (BytesIO(good.encode()), "good.bpmn")}, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/desk/processes/3")


def test_modeler_check_and_deploy_endpoints(client, web_login):
    web_login("policy")
    token = csrf_from(client.get("/desk/processes/1/edit").text)
    headers = {"X-CSRFToken": token}
    bad = STATUTORY.replace("signoffs = []", "import os")
    response = client.post("/desk/processes/check", json={"xml": bad}, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"]["file"][0]["element"] == "prepare_signoff"
    assert client.post("/desk/processes/deploy", json={"xml": STATUTORY},
                       headers=headers).status_code == 422  # no change note
    response = client.post("/desk/processes/deploy", headers=headers, json={
        "xml": STATUTORY.replace('value="60"', 'value="30"'), "note": "改时限"})
    assert response.status_code == 200 and response.json["version"] == 2
    assert client.post("/desk/processes/deploy", json={"xml": STATUTORY, "note": "x"}
                       ).status_code == 400  # without the CSRF header


def test_rollback_from_the_version_page(client, web_login, as_user):
    upload(as_user("policy"), STATUTORY.replace('value="60"', 'value="40"'), note="v2")
    web_login("policy")
    token = csrf_from(client.get("/desk/processes/1").text)
    response = client.post("/desk/processes/1/rollback", data={"csrf_token": token,
                                                               "note": "恢复"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert "rollback to version 1: 恢复" in page.text


def test_form_editor_live_check_preview_and_deploy(client, web_login, as_user):
    web_login("policy")
    page = client.get("/desk/processes/1/forms/top_up_funds")
    assert page.status_code == 200 and "本次补足金额" in page.text
    token = csrf_from(page.text)
    form = json.loads(client.get("/desk/processes/1/forms/top_up_funds").text.split(
        'spellcheck="false">')[1].split("</textarea>")[0].replace("&#34;", '"'))
    checked = client.post("/desk/processes/forms/check", headers={"X-CSRFToken": token},
                          json={"text": json.dumps({**form, "fields": [{"name": "Bad Name",
                                                                        "type": "text"}]})})
    assert any("Bad Name" in p for p in checked.json["problems"])
    form["fields"].append({"name": "bank_reference", "type": "text",
                           "label": {"zh": "银行流水号", "en": "Bank reference"}})
    checked = client.post("/desk/processes/forms/check", headers={"X-CSRFToken": token},
                          json={"text": json.dumps(form)})
    assert checked.json["problems"] == [] and "银行流水号" in checked.json["preview"]
    response = client.post("/desk/processes/1/forms/top_up_funds", data={
        "csrf_token": token, "form_json": json.dumps(form), "note": "加银行流水号"})
    assert response.status_code == 302
    assert "加银行流水号" in client.get(response.headers["Location"]).text
    deployed = as_user("policy").get("/api/v1/process-definitions/3").json
    assert "bank_reference" in [f["name"] for f in deployed["forms"]["top_up_funds"]["fields"]]


def test_migration_page_dry_run_and_migrate(client, web_login, as_user):
    office = as_user("jingkou_office")
    pid = office.post("/api/v1/projects", json={"name": "页面迁移项目"}).json["id"]
    complete_step(as_user, pid, "submit_plan")
    upload(as_user("policy"), RENAMED, note="改名")
    web_login("policy")
    page = client.get("/desk/processes/3/migrate")
    assert "页面迁移项目" in page.text and 'name="map__city_review"' in page.text
    assert '<option value="city_assessment" selected>' in page.text  # suggested mapping
    token = csrf_from(page.text)
    form = {"csrf_token": token, "project_ids": [str(pid)], "map__city_review": "city_assessment"}
    dry = client.post("/desk/processes/3/migrate", data={**form, "action": "dry_run"})
    assert "city_review" in dry.text and "15 → 10" in dry.text
    assert project(as_user, pid)["process"]["version"] == 1
    done = client.post("/desk/processes/3/migrate", data={**form, "action": "migrate"})
    assert done.status_code == 200
    assert project(as_user, pid)["process"]["version"] == 2
