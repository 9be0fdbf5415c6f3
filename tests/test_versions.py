"""Versioned deployment: running projects keep their version, new ones take the latest."""
import json

from flows import STATUTORY, complete_step, definitions, project, sign_off, upload

V2 = (STATUTORY.replace('<camunda:property name="time_limit_days" value="20" />',
                        '<camunda:property name="time_limit_days" value="25" />')
      .replace('name="补偿安置方案报备 File compensation plan"',
               'name="补偿安置方案报备（含听证） File compensation plan"'))


def run_rest_of_statutory(as_user, project_id):
    for step in ("file_compensation_plan", "approve_compensation_plan",
                 "consent_compensation_plan", "check_funds"):
        complete_step(as_user, project_id, step)
    sign_off(as_user, project_id)
    return complete_step(as_user, project_id, "handover")


def test_new_version_while_a_project_is_half_way(as_user, clock):
    office, policy = as_user("jingkou_office"), as_user("policy")
    old = office.post("/api/v1/projects", json={"name": "老项目"}).json
    complete_step(as_user, old["id"], "submit_plan")

    response = upload(policy, V2, note="报备时限延长至25个工作日")
    assert response.status_code == 201, response.json
    v2 = response.json
    assert (v2["version"], v2["change_note"], v2["deployed_by"], v2["latest"]) == (
        2, "报备时限延长至25个工作日", "policy", True)
    assert len(v2["sha256"]) == 64

    complete_step(as_user, old["id"], "city_review")
    [step] = project(as_user, old["id"])["current_steps"]
    assert (step["step"], step["time_limit_days"]) == ("file_compensation_plan", 20)
    assert project(as_user, old["id"])["process"]["version"] == 1

    new = office.post("/api/v1/projects", json={"name": "新项目"}).json
    assert new["process"]["version"] == 2
    complete_step(as_user, new["id"], "submit_plan")
    complete_step(as_user, new["id"], "city_review")
    [step] = project(as_user, new["id"])["current_steps"]
    assert (step["time_limit_days"], step["name"]) == (25, "补偿安置方案报备（含听证） File compensation plan")

    result = run_rest_of_statutory(as_user, old["id"])
    assert result["project"]["status"] == "completed"
    assert result["project"]["process"]["version"] == 1
    assert run_rest_of_statutory(as_user, new["id"])["project"]["status"] == "completed"

    history = [e for e in project(as_user, old["id"])["history"]]
    assert all(e["action"] != "migrate" for e in history)


def test_list_show_diff_and_rollback(as_user):
    policy = as_user("policy")
    upload(policy, V2, note="v2")
    versions = definitions(policy)
    assert [(v["version"], v["latest"]) for v in versions] == [(2, True), (1, False)]
    v1_id, v2_id = versions[1]["id"], versions[0]["id"]

    shown = policy.get(f"/api/v1/process-definitions/{v2_id}").json
    assert shown["bpmn_xml"] == V2 and "city_review" in shown["forms"]

    diff = policy.get(f"/api/v1/process-definitions/{v2_id}/diff").json
    assert diff["from"]["version"] == 1 and diff["to"]["version"] == 2
    assert diff["time_limits_changed"] == [{"id": "file_compensation_plan", "from": 20,
                                            "to": 25}]
    assert [r["to_id"] for r in diff["tasks_renamed"]] == ["file_compensation_plan"]
    assert diff["tasks_added"] == diff["tasks_removed"] == diff["flows_changed"] == []
    assert not diff["unchanged"]

    assert as_user("jingkou_office").post(
        f"/api/v1/process-definitions/{v1_id}/rollback", json={}).status_code == 403
    response = policy.post(f"/api/v1/process-definitions/{v1_id}/rollback",
                           json={"note": "听证要求暂缓"})
    assert response.status_code == 201, response.json
    v3 = response.json
    assert (v3["version"], v3["latest"]) == (3, True)
    assert v3["change_note"] == "rollback to version 1: 听证要求暂缓"
    assert v3["sha256"] == versions[1]["sha256"]
    assert policy.post(f"/api/v1/process-definitions/{v3['id']}/rollback",
                       json={}).status_code == 409

    new = as_user("jingkou_office").post("/api/v1/projects", json={"name": "回滚后项目"}).json
    assert new["process"]["version"] == 3
    diff = policy.get(f"/api/v1/process-definitions/{v3['id']}/diff",
                      query_string={"against": v1_id}).json
    assert diff["unchanged"]


def test_forms_deployed_with_the_diagram(as_user):
    policy = as_user("policy")
    form = json.loads(json.dumps(
        policy.get("/api/v1/process-definitions/1").json["forms"]["top_up_funds"]))
    form["fields"].append({"name": "bank_reference", "type": "text", "required": True,
                           "label": {"zh": "银行流水号", "en": "Bank reference"}})
    response = upload(policy, STATUTORY, [form], note="补足资金须填写银行流水号")
    assert response.status_code == 201, response.json
    assert any(f["name"] == "bank_reference"
               for f in response.json["forms"]["top_up_funds"]["fields"])
    diff = policy.get(f"/api/v1/process-definitions/{response.json['id']}/diff").json
    assert diff["form_definitions_changed"] == ["top_up_funds"]
    assert diff["flows_added"] == [] and diff["time_limits_changed"] == []

    # the next upload of the diagram alone keeps the forms of the latest version
    again = upload(policy, STATUTORY)
    assert again.status_code == 200 and again.json["created"] is False
    assert again.json["version"] == 2

    bad = dict(form, fields=form["fields"] + [{"name": "x", "type": "colour", "label": "颜色"}])
    response = upload(policy, STATUTORY, [bad], lang="en")
    assert response.status_code == 422
    [problem] = response.json["errors"]["file"]
    assert (problem["element"], problem["code"]) == ("top_up_funds", "bad_form")
    assert "colour" in problem["message"]


def test_raw_xml_body_validate_only_and_audit(as_user):
    policy = as_user("policy")
    response = policy.post("/api/v1/process-definitions?validate_only=true", data=V2,
                           content_type="application/xml")
    assert response.status_code == 200, response.json
    assert response.json["valid"] is True and response.json["key"] == "statutory_approval"
    assert len(definitions(policy)) == 1
    response = policy.post("/api/v1/process-definitions?note=raw", data=V2.encode("utf-8"),
                           content_type="application/xml")
    assert response.status_code == 201
    assert response.json["change_note"] == "raw"


def test_deploy_and_rollback_are_audited(app, as_user):
    from service.extensions import db
    from service.models import AuditEvent
    policy = as_user("policy")
    upload(policy, V2, note="v2")
    policy.post("/api/v1/process-definitions/1/rollback", json={"note": "back"})
    with app.app_context():
        events = db.session.query(AuditEvent).filter(
            AuditEvent.action.in_(["deploy", "rollback"]), AuditEvent.actor_id.isnot(None)).all()
        assert [(e.action, e.actor.username, e.detail["version"]) for e in events] == [
            ("deploy", "policy", 2), ("rollback", "policy", 3)]
        assert events[1].detail["rolled_back_to"] == 1


def test_diagram_saved_by_bpmn_js_keeps_the_joint_signoff_collections(as_user):
    """bpmn-js drops loopDataInputRef/OutputRef; the modeler form (camunda:collection and a
    loop_output property) deploys and the sign-off still collects every department."""
    from lxml import etree
    from service.engine.compat import for_modeler
    from service.engine.xmlsafe import parse_xml
    xml = etree.tostring(for_modeler(parse_xml(STATUTORY)), encoding="unicode")
    assert "loopDataInputRef" not in xml and 'camunda:collection="departments"' in xml
    response = upload(as_user("policy"), xml.replace('value="60"', 'value="50"'), note="bpmn-js")
    assert response.status_code == 201, response.json
    pid = as_user("jingkou_office").post("/api/v1/projects", json={"name": "建模器保存"}).json["id"]
    complete_step(as_user, pid, "submit_plan")
    complete_step(as_user, pid, "city_review")
    result = run_rest_of_statutory(as_user, pid)
    assert result["project"]["status"] == "completed"
    assert [s["department"] for s in project(as_user, pid)["data"]["signoffs"]] == [
        "housing", "finance"]


def test_a_form_whose_fields_would_fail_every_submission_is_not_deployed(as_user):
    policy = as_user("policy")
    before = definitions(policy)
    form = json.loads(json.dumps(
        policy.get("/api/v1/process-definitions/1").json["forms"]["top_up_funds"]))
    form["fields"] += [
        {"name": "bank_reference", "type": "text", "max_length": "40", "label": "流水号"},
        {"name": "fee", "type": "money", "min": 500, "max": 100, "label": "手续费"},
        {"name": "channel", "type": "choice", "options": ["bank", "cash"], "label": "渠道"},
        {"name": "remark", "type": "textarea"}]
    response = upload(policy, STATUTORY, [form], lang="en")
    assert response.status_code == 422
    messages = [p["message"] for p in response.json["errors"]["file"]
                if p["code"] == "bad_form"]
    for words in ("'bank_reference': max_length must be a whole number",
                  "'fee': min is greater than max", "'channel': options must be a list",
                  "'remark': needs a label"):
        assert any(words in m for m in messages), (words, messages)
    assert definitions(policy) == before
