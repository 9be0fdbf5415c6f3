"""Drafts kept on the server: save, list, reopen, update, delete, deploy (through HTTP)."""
import pytest

from conftest import csrf_from
from flows import DATA, STATUTORY, upload
from service.models import AuditEvent, ProcessDefinition
from service.services.policy import definitions

URL = "/api/v1/process-drafts"
HANDOVER_40 = STATUTORY.replace('value="60"', 'value="40"')
HEARING = {"key": "hearing_record", "title": {"zh": "听证记录", "en": "Hearing record"},
           "fields": [{"name": "hearing_date", "type": "date", "required": True,
                       "label": {"zh": "听证日期", "en": "Hearing date"}}]}


def versions(as_user, key="statutory_approval"):
    rows = as_user("policy").get("/api/v1/process-definitions", query_string={"key": key}).json
    return sorted(r["version"] for r in rows)


def audit_actions(app):
    with app.app_context():
        return [e.action for e in AuditEvent.query.order_by(AuditEvent.id)]


def test_save_list_reopen_update_and_delete_a_draft(app, as_user):
    policy, admin = as_user("policy"), as_user("admin")
    saved = policy.post(URL, json={"title": "交房时限改40天", "bpmn_xml": HANDOVER_40,
                                   "forms": [HEARING], "note": "交房时限40天",
                                   "based_on_id": 1})
    assert saved.status_code == 201, saved.json
    draft = saved.json
    assert (draft["key"], draft["based_on_version"], draft["saved_by"]) == (
        "statutory_approval", 1, "policy")
    assert draft["forms_in_draft"] == ["hearing_record"] and draft["form_warnings"] == {}
    assert draft["saved_at"].startswith("2026-11-23T09:00")

    listed = admin.get(URL, query_string={"key": "statutory_approval"}).json  # a colleague
    assert [(d["id"], d["title"], d["saved_by_name"]) for d in listed] == [
        (draft["id"], "交房时限改40天", listed[0]["saved_by_name"])]
    assert "bpmn_xml" not in listed[0]
    assert admin.get(URL, query_string={"key": "other"}).json == []

    reopened = admin.get(f"{URL}/{draft['id']}").json
    assert reopened["bpmn_xml"] == HANDOVER_40
    assert reopened["forms"]["hearing_record"]["fields"][0]["name"] == "hearing_date"

    changed = admin.put(f"{URL}/{draft['id']}", json={
        "title": "交房时限改45天", "bpmn_xml": STATUTORY.replace('value="60"', 'value="45"')})
    assert changed.status_code == 200, changed.json
    assert (changed.json["title"], changed.json["updated_by"], changed.json["saved_by"]) == (
        "交房时限改45天", "admin", "policy")
    assert changed.json["note"] == "交房时限40天"  # fields not given are kept
    assert 'value="45"' in admin.get(f"{URL}/{draft['id']}").json["bpmn_xml"]

    assert policy.delete(f"{URL}/{draft['id']}").status_code == 204
    assert policy.get(f"{URL}/{draft['id']}").status_code == 404
    assert policy.get(URL).json == []
    assert audit_actions(app)[-3:] == ["draft_saved", "draft_saved", "draft_deleted"]
    assert versions(as_user) == [1]  # nothing was deployed


def test_a_save_made_on_an_old_revision_is_refused_not_lost(app, as_user):
    policy, admin = as_user("policy"), as_user("admin")
    draft = policy.post(URL, json={"title": "草稿", "based_on_id": 1}).json
    assert draft["revision"] == 1
    # Both open revision 1; the administrator saves first.
    first = admin.put(f"{URL}/{draft['id']}", json={"revision": 1, "note": "管理员的修改"})
    assert first.status_code == 200 and first.json["revision"] == 2
    late = policy.put(f"{URL}/{draft['id']}", json={"revision": 1, "note": "政策科的修改"})
    assert late.status_code == 409 and "revision 2" in late.json["message"]
    kept = policy.get(f"{URL}/{draft['id']}").json
    assert (kept["note"], kept["revision"], kept["updated_by"]) == ("管理员的修改", 2, "admin")
    again = policy.put(f"{URL}/{draft['id']}", json={"revision": 2, "note": "政策科的修改"})
    assert again.status_code == 200 and again.json["revision"] == 3
    # A client that sends no revision still saves (the last save wins, as before).
    assert admin.put(f"{URL}/{draft['id']}", json={"title": "草稿二"}).json["revision"] == 4
    assert audit_actions(app).count("draft_saved") == 4  # the refused save left no trace


def test_two_saves_from_one_revision_at_once_one_is_refused(app, as_user, monkeypatch):
    """The revision check and the UPDATE are not one step. On PostgreSQL the UPDATE matches
    the revision it read, so a save committed in between makes this one a 409, not an
    overwrite; on SQLite no other save can commit in between, as the save holds the
    database's write lock from its first statement."""
    from sqlalchemy import text
    from helpers_sqlite import sqlite_path, try_write_lock
    from service.extensions import db
    from service.services.policy import drafts
    policy = as_user("policy")
    draft = policy.post(URL, json={"title": "草稿", "based_on_id": 1}).json
    checked = drafts._checked_xml
    path = sqlite_path(app)
    locked_out = []

    def meanwhile(xml):  # another official's save tries to land after this one's check
        if path:
            locked_out.append(try_write_lock(path))
        else:
            with db.engine.begin() as other:
                other.execute(text("UPDATE process_drafts SET note = 'other', "
                                   "revision = revision + 1 WHERE id = :id"), {"id": draft["id"]})
        return checked(xml)
    monkeypatch.setattr(drafts, "_checked_xml", meanwhile)
    late = policy.put(f"{URL}/{draft['id']}", json={"revision": 1, "bpmn_xml": HANDOVER_40})
    kept = policy.get(f"{URL}/{draft['id']}").json
    if path:
        assert locked_out == ["database is locked"]
        assert late.status_code == 200, late.json
        assert kept["revision"] == 2 and 'value="40"' in kept["bpmn_xml"]
    else:
        assert late.status_code == 409, late.json
        assert (kept["note"], kept["revision"]) == ("other", 2) and 'value="40"' not in \
            kept["bpmn_xml"]


def test_a_draft_starts_from_a_version_and_may_fail_the_checks(as_user):
    policy = as_user("policy")
    draft = policy.post(URL, json={"title": "从v1开始", "based_on_id": 1}).json
    assert "submit_plan" in policy.get(f"{URL}/{draft['id']}").json["bpmn_xml"]
    unfinished = STATUTORY.replace('camunda:candidateGroups="finance"',
                                   'camunda:candidateGroups="nobody"')
    half_done = {**HEARING, "fields": [{"name": "Bad Name", "type": "text"}]}
    saved = policy.post(URL, json={"title": "未完成", "bpmn_xml": unfinished,
                                   "forms": [half_done]})
    assert saved.status_code == 201, saved.json
    assert "Bad Name" in saved.json["form_warnings"]["hearing_record"][0]


def test_deploy_a_draft_makes_a_new_version(app, as_user):
    policy = as_user("policy")
    draft = policy.post(URL, json={"title": "交房40天", "bpmn_xml": HANDOVER_40,
                                   "note": "交房时限40天", "based_on_id": 1}).json
    deployed = policy.post(f"{URL}/{draft['id']}/deploy", json={})
    assert deployed.status_code == 201, deployed.json
    assert (deployed.json["version"], deployed.json["change_note"], deployed.json["latest"]) == (
        2, "交房时限40天", True)
    assert versions(as_user) == [1, 2]
    assert policy.get(URL).json == []  # no longer an open draft
    kept = policy.get(f"{URL}/{draft['id']}").json
    assert kept["deployed_definition_id"] == deployed.json["id"]
    assert [d["id"] for d in policy.get(URL, query_string={"include_deployed": "true"}).json] \
        == [draft["id"]]
    assert policy.post(f"{URL}/{draft['id']}/deploy", json={}).status_code == 409
    assert policy.put(f"{URL}/{draft['id']}", json={"title": "x"}).status_code == 409
    with app.app_context():
        event = AuditEvent.query.filter_by(action="deploy").order_by(AuditEvent.id.desc()).first()
        assert event.detail["draft_id"] == draft["id"] and event.detail["version"] == 2
    project = as_user("jingkou_office").post("/api/v1/projects", json={"name": "新版本项目"})
    assert project.json["process"]["version"] == 2


def test_deploy_a_draft_with_a_new_form_and_a_note_given_at_deploy(as_user):
    policy = as_user("policy")
    xml = STATUTORY.replace('camunda:formKey="top_up_funds"', 'camunda:formKey="hearing_record"')
    assert xml != STATUTORY
    draft = policy.post(URL, json={"title": "听证记录", "bpmn_xml": xml, "forms": [HEARING]}).json
    response = policy.post(f"{URL}/{draft['id']}/deploy", json={"note": "补足资金改用听证记录表"})
    assert response.status_code == 201, response.json
    assert response.json["forms"]["hearing_record"]["fields"][0]["name"] == "hearing_date"
    assert response.json["change_note"] == "补足资金改用听证记录表"


def test_a_bad_draft_is_not_deployed_422_with_problems(app, as_user):
    policy = as_user("policy")
    bad = STATUTORY.replace('camunda:candidateGroups="finance"', 'camunda:candidateGroups="x"')
    draft = policy.post(URL, json={"title": "角色写错", "bpmn_xml": bad, "note": "bad"}).json
    before = audit_actions(app)
    response = policy.post(f"{URL}/{draft['id']}/deploy", json={})
    assert response.status_code == 422
    direct = upload(policy, bad, note="bad")  # the same answer as POST /process-definitions
    assert direct.status_code == 422
    assert response.json["errors"]["file"] == direct.json["errors"]["file"]
    assert any(p["element"] == "check_funds" for p in response.json["errors"]["file"])
    assert versions(as_user) == [1] and audit_actions(app) == before
    assert policy.get(f"{URL}/{draft['id']}").json["deployed_definition_id"] is None
    no_note = policy.post(URL, json={"title": "无说明", "bpmn_xml": HANDOVER_40}).json
    refused = policy.post(f"{URL}/{no_note['id']}/deploy", json={})
    assert refused.status_code == 422 and "note" in refused.json["errors"]


@pytest.mark.parametrize("xml, expected", [
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "DOCTYPE"),
    ("<definitions><process id='p'>", "not well-formed"),
    ("x" * (2 * 1024 * 1024 + 1), "larger"),
])
def test_unsafe_or_broken_xml_is_refused(app, as_user, xml, expected):
    policy = as_user("policy")
    response = policy.post(URL, json={"title": "坏的", "bpmn_xml": xml})
    assert response.status_code == 422
    assert expected in response.json["errors"]["bpmn_xml"][0]
    draft = policy.post(URL, json={"title": "好的", "based_on_id": 1}).json
    assert policy.put(f"{URL}/{draft['id']}", json={"bpmn_xml": xml}).status_code == 422
    assert policy.get(f"{URL}/{draft['id']}").json["bpmn_xml"] == STATUTORY
    assert [d["title"] for d in policy.get(URL).json] == ["好的"]


def test_form_definitions_must_have_the_shape_of_forms(as_user):
    policy = as_user("policy")
    for forms in ([{"key": "x", "fields": "none"}], [{"key": "x", "fields": ["a"]}], "forms",
                  [{"fields": []}]):
        response = policy.post(URL, json={"title": "表单", "based_on_id": 1, "forms": forms})
        assert response.status_code == 422, forms
        assert "forms" in str(response.json["errors"])
    assert policy.get(URL).json == []


def test_only_policy_staff_and_administrators(as_user, client):
    draft = as_user("policy").post(URL, json={"title": "草稿", "based_on_id": 1}).json
    official = as_user("jingkou_office")
    assert official.get(URL).status_code == 403
    assert official.post(URL, json={"title": "x", "based_on_id": 1}).status_code == 403
    assert official.post(URL, json={}).status_code == 403  # before the body is read
    assert official.get(f"{URL}/{draft['id']}").status_code == 403
    assert official.put(f"{URL}/{draft['id']}", json={"title": "x"}).status_code == 403
    assert official.delete(f"{URL}/{draft['id']}").status_code == 403
    assert official.post(f"{URL}/{draft['id']}/deploy", json={"note": "x"}).status_code == 403
    assert as_user("jingkou_gov").get(URL).status_code == 403
    assert client.get(URL).status_code == 401
    assert as_user("policy").get(f"{URL}/{draft['id']}").json["title"] == "草稿"


def test_drafts_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    assert {"/api/v1/process-drafts", "/api/v1/process-drafts/{draft_id}",
            "/api/v1/process-drafts/{draft_id}/deploy"} <= set(spec["paths"])
    assert {"ProcessDraftCreate", "ProcessDraftUpdate", "ProcessDraft",
            "ProcessDraftSummary"} <= set(
        spec["components"]["schemas"])


def test_simultaneous_first_deployments_of_a_new_key_give_409(app, as_user, monkeypatch):
    policy = as_user("policy")
    xml = (DATA / "timer_demo.bpmn").read_text(encoding="utf-8")
    first = upload(policy, xml, note="第一次")
    assert first.status_code == 201, first.json
    # The other deployment read "no versions yet" before this one committed version 1.
    monkeypatch.setattr(definitions, "next_version", lambda key: 1)
    before = audit_actions(app)
    second = upload(policy, xml.replace("定时测试", "定时测试二"), note="同时")
    assert second.status_code == 409
    assert "try again" in second.json["message"] and second.json["code"] == 409
    assert audit_actions(app) == before
    with app.app_context():
        assert [d.version for d in ProcessDefinition.query.filter_by(key="timer_demo")] == [1]


def test_pages_save_list_open_and_delete_server_drafts(client, web_login, as_user):
    web_login("policy")
    token = csrf_from(client.get("/desk/processes/1/edit").text)
    headers = {"X-CSRFToken": token}
    assert client.post("/desk/processes/drafts", json={"title": "x", "based_on_id": 1}
                       ).status_code == 400  # without the CSRF header
    saved = client.post("/desk/processes/drafts", headers=headers, json={
        "title": "表单草稿", "based_on_id": 1, "forms": [HEARING]})
    assert saved.status_code == 201, saved.json
    draft_id = saved.json["id"]
    assert client.post("/desk/processes/drafts", headers=headers,
                       json={"title": ""}).status_code == 422
    changed = client.put(f"/desk/processes/drafts/{draft_id}", headers=headers,
                         json={"bpmn_xml": HANDOVER_40})
    assert changed.status_code == 200 and changed.json["updated_by"] == "policy"

    version = client.get("/desk/processes/1").text
    assert "表单草稿" in version and "市征收办政策科" in version
    assert f"/desk/processes/1/edit?draft={draft_id}" in version
    assert f"/desk/processes/1/forms/hearing_record?draft={draft_id}" in version
    editor = client.get(f"/desk/processes/1/forms/hearing_record?draft={draft_id}").text
    assert "听证日期" in editor and "open-draft-banner" in editor
    modeler = client.get(f"/desk/processes/1/edit?draft={draft_id}").text
    assert 'value=\\"40\\"' in modeler and "hearing_record" in modeler
    assert client.get("/desk/processes/1/edit?draft=999").status_code == 404

    deleted = client.post(f"/desk/processes/drafts/{draft_id}/delete", data={
        "csrf_token": token, "next": "/desk/processes/1"})
    assert deleted.status_code == 302 and deleted.headers["Location"].endswith(
        "/desk/processes/1")
    assert "表单草稿" not in client.get("/desk/processes/1").text
    assert as_user("policy").get(URL).json == []


def test_pages_deploy_a_draft_or_show_its_problems(client, web_login, as_user):
    web_login("policy")
    headers = {"X-CSRFToken": csrf_from(client.get("/desk/processes/1/edit").text)}
    bad = STATUTORY.replace("signoffs = []", "import os")
    draft = client.post("/desk/processes/drafts", headers=headers,
                        json={"title": "坏脚本", "bpmn_xml": bad}).json
    refused = client.post(f"/desk/processes/drafts/{draft['id']}/deploy", headers=headers,
                          json={"note": "x"})
    assert refused.status_code == 422
    assert refused.json["errors"]["file"][0]["element"] == "prepare_signoff"
    good = client.post("/desk/processes/drafts", headers=headers,
                       json={"title": "好的", "bpmn_xml": HANDOVER_40}).json
    done = client.post(f"/desk/processes/drafts/{good['id']}/deploy", headers=headers,
                       json={"note": "交房40天"})
    assert done.status_code == 200 and done.json["version"] == 2
    assert done.json["url"].endswith("/desk/processes/3")
    assert versions(as_user) == [1, 2]


def test_a_district_official_cannot_reach_the_draft_pages(client, web_login):
    web_login("jingkou_office")
    token = csrf_from(client.get("/desk/queue").text)
    assert client.post("/desk/processes/drafts", headers={"X-CSRFToken": token},
                       json={"title": "x", "based_on_id": 1}).status_code == 403
