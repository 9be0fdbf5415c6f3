"""Migrating running projects to a newer version: dry run, mapping of renamed steps, execute."""
import re

from flows import STATUTORY, complete_step, definitions, project, sign_off, upload


def rename_step(xml, old, new):
    for pattern in (r'id="{}"', r'sourceRef="{}"', r'targetRef="{}"', r'bpmnElement="{}"',
                    r"<bpmn:flowNodeRef>{}</bpmn:flowNodeRef>"):
        xml = re.sub(pattern.format(old), pattern.format(new).replace("\\", ""), xml)
    return xml


RENAMED = rename_step(STATUTORY, "city_review", "city_assessment").replace(
    '<camunda:property name="time_limit_days" value="15" />',
    '<camunda:property name="time_limit_days" value="10" />')


def test_migration_with_a_renamed_step(as_user):
    office, policy = as_user("jingkou_office"), as_user("policy")
    at_review = office.post("/api/v1/projects", json={"name": "待审核项目"}).json["id"]
    complete_step(as_user, at_review, "submit_plan")
    [review_task] = project(as_user, at_review)["current_steps"]
    assert (review_task["step"], review_task["due_date"]) == ("city_review", "2026-12-14")
    at_start = office.post("/api/v1/projects", json={"name": "刚申报项目"}).json["id"]
    rejected = office.post("/api/v1/projects", json={"name": "被否项目"}).json["id"]
    complete_step(as_user, rejected, "submit_plan")
    complete_step(as_user, rejected, "city_review", {"decision": "reject", "opinion": "不必要"})

    response = upload(policy, RENAMED, note="市级审核改名并缩短时限")
    assert response.status_code == 201, response.json
    v2 = response.json["id"]
    diff = policy.get(f"/api/v1/process-definitions/{v2}/diff").json
    assert diff["suggested_mapping"] == {"city_review": "city_assessment"}

    url = f"/api/v1/process-definitions/{v2}/migration"
    chosen = {"project_ids": [at_review, at_start, rejected]}
    assert office.post(url + "/dry-run", json=chosen).status_code == 403

    reports = {r["project_id"]: r for r in
               policy.post(url + "/dry-run", json=chosen, query_string={"lang": "en"}).json}
    assert reports[at_review]["can_migrate"] is False
    [reason] = reports[at_review]["reasons"]
    assert (reason["code"], reason["step"]) == ("open_step_missing", "city_review")
    assert "city_review" in reason["message"] and "Map it" in reason["message"]
    assert reports[at_start]["can_migrate"] is True
    assert [(c["step"], c["changed"]) for c in reports[at_start]["changes"]] == [
        ("submit_plan", {})]
    assert reports[rejected]["reasons"][0]["code"] == "finished"

    mapped = {**chosen, "mapping": {"city_review": "city_assessment"}}
    reports = {r["project_id"]: r for r in policy.post(url + "/dry-run", json=mapped).json}
    assert reports[at_review]["can_migrate"] is True
    [change] = reports[at_review]["changes"]
    assert change["task_id"] == review_task["id"]
    assert change["changed"]["step"] == {"from": "city_review", "to": "city_assessment"}
    assert change["changed"]["time_limit_days"] == {"from": 15, "to": 10}
    assert change["changed"]["due_date"] == {"from": "2026-12-14", "to": "2026-12-07"}
    assert project(as_user, at_review)["process"]["version"] == 1  # a dry run changes nothing

    bad = policy.post(url + "/dry-run", json={**chosen, "mapping": {"city_review": "nowhere"}})
    assert bad.json[0]["reasons"][0]["code"] == "not_in_target"

    reports = {r["project_id"]: r for r in policy.post(url, json=mapped).json}
    assert reports[at_review]["migrated"] and reports[at_start]["migrated"]
    assert not reports[rejected]["migrated"]
    assert project(as_user, rejected)["process"]["version"] == 1

    moved = project(as_user, at_review)
    assert moved["process"]["version"] == 2
    [task] = moved["current_steps"]
    assert (task["id"], task["step"], task["time_limit_days"], task["due_date"]) == (
        review_task["id"], "city_assessment", 10, "2026-12-07")
    [event] = [e for e in moved["history"] if e["action"] == "migrate"]
    assert (event["actor"], event["detail"]["from_version"], event["detail"]["to_version"]) == (
        "policy", 1, 2)
    assert event["detail"]["mapping"] == {"city_review": "city_assessment"}

    # the project carries on in the new version under the new step id
    result = as_user("city_review").complete(at_review, "city_assessment",
                                             {"necessity_ok": True, "urgency_ok": True,
                                              "feasibility_ok": True, "decision": "approve",
                                              "departments": ["housing", "finance"]})
    assert [s["step"] for s in result["next_steps"]] == ["file_compensation_plan"]
    again = policy.post(url + "/dry-run", json={"project_ids": [at_review]}).json
    assert again[0]["reasons"][0]["code"] == "same_version"


def test_migration_in_the_middle_of_the_joint_signoff(as_user):
    office, policy = as_user("jingkou_office"), as_user("policy")
    pid = office.post("/api/v1/projects", json={"name": "会签中项目"}).json["id"]
    for step in ("submit_plan", "city_review", "file_compensation_plan",
                 "approve_compensation_plan", "consent_compensation_plan", "check_funds"):
        complete_step(as_user, pid, step)
    as_user("dept_housing").complete(pid, "joint_signoff", {"decision": "approve"})
    longer = STATUTORY.replace('<camunda:property name="time_limit_days" value="7" />',
                               '<camunda:property name="time_limit_days" value="9" />')
    v2 = upload(policy, longer, note="会签时限9个工作日").json["id"]
    [report] = policy.post(f"/api/v1/process-definitions/{v2}/migration",
                           json={"project_ids": [pid]}).json
    assert report["migrated"], report
    [change] = report["changes"]
    assert change["changed"]["time_limit_days"] == {"from": 7, "to": 9}
    as_user("dept_finance").complete(pid, "joint_signoff", {"decision": "approve"})
    result = complete_step(as_user, pid, "handover")
    assert result["project"]["status"] == "completed"
    assert result["project"]["process"]["version"] == 2


def test_migrate_all_projects_of_a_version(as_user):
    office, policy = as_user("jingkou_office"), as_user("policy")
    ids = [office.post("/api/v1/projects", json={"name": f"项目{i}"}).json["id"]
           for i in range(3)]
    v1 = definitions(policy)[0]["id"]
    v2 = upload(policy, STATUTORY.replace('value="10" />', 'value="12" />', 1)).json["id"]
    reports = policy.post(f"/api/v1/process-definitions/{v2}/migration",
                          json={"source_id": v1}).json
    assert sorted(r["project_id"] for r in reports if r["migrated"]) == ids
    for pid in ids:
        [step] = project(as_user, pid)["current_steps"]
        assert (step["step"], step["time_limit_days"]) == ("submit_plan", 12)
    assert policy.post(f"/api/v1/process-definitions/{v2}/migration",
                       json={}).status_code == 422


def test_a_finished_step_missing_from_the_new_version_keeps_the_project_where_it_is(as_user):
    office, policy = as_user("jingkou_office"), as_user("policy")
    pid = office.post("/api/v1/projects", json={"name": "已过申报"}).json["id"]
    complete_step(as_user, pid, "submit_plan")
    renamed = rename_step(STATUTORY, "submit_plan", "declare_project")
    v2 = upload(policy, renamed, note="申报改名").json["id"]
    url = f"/api/v1/process-definitions/{v2}/migration"
    [report] = policy.post(url, json={"project_ids": [pid]}, query_string={"lang": "en"}).json
    assert not report["migrated"]
    assert report["reasons"][0]["code"] == "finished_step_missing"
    assert report["reasons"][0]["step"] == "submit_plan"
    assert project(as_user, pid)["process"]["version"] == 1
    [report] = policy.post(url, json={"project_ids": [pid],
                                      "mapping": {"submit_plan": "declare_project"}}).json
    assert report["migrated"], report
    # a return from city review now goes to the renamed step
    result = as_user("city_review").complete(pid, "city_review",
                                             {"decision": "return", "opinion": "补充"})
    assert [s["step"] for s in result["next_steps"]] == ["declare_project"]


def test_rollback_and_migrate_from_the_command_line(as_user, runner):
    office, policy = as_user("jingkou_office"), as_user("policy")
    pid = office.post("/api/v1/projects", json={"name": "命令行迁移"}).json["id"]
    complete_step(as_user, pid, "submit_plan")
    v2 = upload(policy, RENAMED, note="改名").json["id"]
    result = runner.invoke(args=["definitions", "migrate", str(v2), "--as", "jingkou_office",
                                 "--projects", str(pid)])
    assert result.exit_code != 0 and "policy staff" in result.output
    result = runner.invoke(args=["definitions", "migrate", str(v2), "--as", "policy",
                                 "--projects", str(pid), "--dry-run"])
    assert result.exit_code == 0 and '"code": "open_step_missing"' in result.output
    result = runner.invoke(args=["definitions", "migrate", str(v2), "--as", "policy",
                                 "--projects", str(pid), "--map", "city_review=city_assessment"])
    assert result.exit_code == 0 and '"migrated": true' in result.output
    assert project(as_user, pid)["process"]["version"] == 2
    result = runner.invoke(args=["definitions", "rollback", "1", "--as", "policy",
                                 "--note", "撤回"])
    assert result.exit_code == 0, result.output
    assert "version 3" in result.output
    assert definitions(policy)[0]["change_note"] == "rollback to version 1: 撤回"
