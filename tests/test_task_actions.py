"""Drafts, returns, transfers and the archive export through the API."""
import csv
import io
import json
import zipfile

from housing_helpers import reserve_housing
from deskflow import (CITY_APPROVE, CONSENT, FILE_PLAN, FUNDS, GOV_APPROVE, HANDOVER, PDF, SIGNOFF,
                  SUBMIT, start, to_city_review)


def test_draft_round_trip_claims_and_is_audited(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = office.task_for(project_id, "submit_plan")["id"]
    saved = office.post(f"/api/v1/tasks/{task_id}/draft",
                        json={"data": {"households": "12x", "survey_summary": "未完"}})
    assert saved.status_code == 200, saved.json
    assert saved.json["values"]["households"] == "12x"
    again = office.get(f"/api/v1/tasks/{task_id}").json
    assert again["values"]["survey_summary"] == "未完" and again["claimed_by"] == "jingkou_office"
    assert [t["id"] for t in office.queue("mine")] == [task_id]
    history = office.get(f"/api/v1/projects/{project_id}").json["history"]
    assert [e["detail"]["data"] for e in history if e["action"] == "draft"] == \
        [{"households": "12x", "survey_summary": "未完"}]


def test_draft_refuses_unknown_fields_and_changes_nothing(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = office.task_for(project_id, "submit_plan")["id"]
    response = office.post(f"/api/v1/tasks/{task_id}/draft", json={"data": {"bogus": 1}})
    assert response.status_code == 422 and "bogus" in response.json["errors"]
    assert office.get(f"/api/v1/tasks/{task_id}").json["claimed_by"] is None


def test_return_needs_reason_and_goes_back_with_the_opinion(as_user):
    project_id = to_city_review(as_user)
    city = as_user("city_review")
    task_id = city.task_for(project_id, "city_review")["id"]
    missing = city.post(f"/api/v1/tasks/{task_id}/return", json={"reason": "  "})
    assert missing.status_code == 422 and "reason" in missing.json["errors"]
    done = city.post(f"/api/v1/tasks/{task_id}/return", json={"reason": "户数与台账不符"})
    assert done.status_code == 200, done.json
    assert [s["step"] for s in done.json["next_steps"]] == ["submit_plan"]
    office = as_user("jingkou_office")
    back = office.get(f"/api/v1/tasks/{office.task_for(project_id, 'submit_plan')['id']}").json
    assert back["previous"]["opinion"] == "户数与台账不符"
    assert back["previous"]["outcome"] == "return"
    history = office.get(f"/api/v1/projects/{project_id}").json["history"]
    returned = [e for e in history if e["action"] == "return"]
    assert returned and returned[0]["detail"]["reason"] == "户数与台账不符"


def test_return_refused_where_the_diagram_has_no_return(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = office.task_for(project_id, "submit_plan")["id"]
    response = office.post(f"/api/v1/tasks/{task_id}/return", json={"reason": "x"})
    assert response.status_code == 422 and "decision" in response.json["errors"]


def test_transfer_to_a_colleague_of_the_same_office(as_user, app):
    from service.extensions import db
    from service.services.people.users import create_user
    with app.app_context():
        create_user("jingkou_office2", "demo-pass-2026", "district_office", "jingkou",
                    display_name="京口区征收办二", demo=True)  # like the seeded ones
        db.session.commit()
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = office.task_for(project_id, "submit_plan")["id"]
    url = f"/api/v1/tasks/{task_id}/transfer"
    unclaimed = office.post(url, json={"to": "jingkou_office2", "reason": "出差"})
    assert unclaimed.status_code == 409
    office.post(f"/api/v1/tasks/{task_id}/claim")
    wrong = office.post(url, json={"to": "runzhou_office", "reason": "出差"})
    assert wrong.status_code == 422 and "to" in wrong.json["errors"]
    no_reason = office.post(url, json={"to": "jingkou_office2", "reason": ""})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    assert office.get(f"/api/v1/tasks/{task_id}").json["claimed_by"] == "jingkou_office"
    moved = office.post(url, json={"to": "jingkou_office2", "reason": "出差"})
    assert moved.status_code == 200 and moved.json["claimed_by"] == "jingkou_office2"
    colleague = as_user("jingkou_office2")
    assert [t["id"] for t in colleague.queue("mine")] == [task_id]
    assert office.queue("mine") == []
    history = office.get(f"/api/v1/projects/{project_id}").json["history"]
    transfer = [e for e in history if e["action"] == "transfer"][0]
    assert transfer["actor"] == "jingkou_office" and transfer["detail"]["to"] == "jingkou_office2"
    assert transfer["detail"]["reason"] == "出差"


def _through_handover(as_user, project_id, ledger_id):
    office = as_user("jingkou_office")
    office.complete(project_id, "submit_plan", {**SUBMIT, "survey_ledger": [ledger_id]})
    as_user("city_review").complete(project_id, "city_review", CITY_APPROVE)
    reserve_housing(as_user, project_id, 80)
    office.complete(project_id, "file_compensation_plan", FILE_PLAN)
    as_user("jingkou_gov").complete(project_id, "approve_compensation_plan", GOV_APPROVE)
    as_user("city_review").complete(project_id, "consent_compensation_plan", CONSENT)
    as_user("jingkou_finance").complete(project_id, "check_funds", FUNDS)
    as_user("dept_housing").complete(project_id, "joint_signoff", SIGNOFF)
    return office.complete(project_id, "handover", HANDOVER)


def test_archive_zip_has_data_timeline_attachments_process_and_forms(as_user):
    project_id = start(as_user)
    office = as_user("jingkou_office")
    task_id = office.task_for(project_id, "submit_plan")["id"]
    ledger = office.post(f"/api/v1/tasks/{task_id}/attachments",
                         data={"file": (io.BytesIO(PDF), "调查摸底台账.pdf")},
                         content_type="multipart/form-data").json
    result = _through_handover(as_user, project_id, ledger["id"])
    assert result["project"]["status"] == "completed"
    assert as_user("runzhou_office").get(f"/api/v1/projects/{project_id}/archive") \
        .status_code == 404
    response = as_user("city_supervisor").get(f"/api/v1/projects/{project_id}/archive")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"project.json", "timeline.csv", "manifest.json",
            "process/statutory_approval-v1.bpmn"} <= names
    assert f"attachments/{ledger['id']}-调查摸底台账.pdf" in names
    assert archive.read(f"attachments/{ledger['id']}-调查摸底台账.pdf") == PDF
    assert {f"forms/{k}.json" for k in ("submit_plan", "city_review", "handover")} <= names
    data = json.loads(archive.read("project.json"))
    assert data["status"] == "completed" and data["data"]["survey_ledger"] == [ledger["id"]]
    assert data["process"] == {"key": "statutory_approval", "version": 1,
                               "sha256": data["process"]["sha256"]}
    rows = list(csv.DictReader(io.StringIO(archive.read("timeline.csv").decode("utf-8-sig"))))
    actions = [r["事项"] for r in rows]  # Chinese headings and names, no keys or JSON
    assert actions[0] == "项目启动" and "上传附件" in actions and "项目办结" in actions
    assert f"project-{project_id}-approval-form.pdf" in names
    assert archive.read("process/statutory_approval-v1.bpmn").startswith(b"<?xml")
    history = office.get(f"/api/v1/projects/{project_id}").json["history"]
    assert history[-1]["action"] == "export" and history[-1]["actor"] == "city_supervisor"
