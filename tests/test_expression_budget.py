"""Diagrams that would compute without bound: refused at deployment when that can be shown,
stopped with a 422 naming the element at run time otherwise; nothing changes, nobody waits."""
import pytest

from flows import STATUTORY, complete_step, definitions, project, upload

CONDITION = "decision == 'approve'</bpmn:conditionExpression>"


def with_condition(text):
    """The statutory process with the city review's approve condition replaced (once)."""
    index = STATUTORY.index(CONDITION)
    return STATUTORY[:index] + text + "</bpmn:conditionExpression>" + \
        STATUTORY[index + len(CONDITION):]


def with_script(text):
    return STATUTORY.replace("<bpmn:script>signoffs = []</bpmn:script>",
                             f"<bpmn:script>{text}</bpmn:script>")


HOSTILE = {
    "three nested loops over 100,000 items": (with_condition(
        "decision == 'approve' and any(a + b + c &lt; 0 for a in [0]*100000 "
        "for b in [0]*100000 for c in [0]*100000)"), "flow_city_approve", "steps"),
    "a list of lists of 100,000": (with_script(
        "signoffs = [[0]*100000 for a in [0]*100000]"), "prepare_signoff", "100000"),
    "ten billion characters": (with_condition(
        "decision == 'approve' and len('a'*10000000000) &gt; 0"), "flow_city_approve",
                               "100000"),
    "nested loops over a constant list whatever the data": (with_condition(
        "decision == 'approve' and all(d != e for d in departments for e in [0]*1000 "
        "for f in [0]*1000)"), "flow_city_approve", "1000000"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_deployment_refuses_what_would_exceed_the_budget(as_user, case):
    xml, element, words = HOSTILE[case]
    policy = as_user("policy")
    before = definitions(policy)
    response = upload(policy, xml, note="hostile", lang="en")
    assert response.status_code == 422, response.json
    [problem] = [p for p in response.json["errors"]["file"] if p["code"] == "over_budget"]
    assert problem["element"] == element
    assert element in problem["message"] and words in problem["message"]
    assert definitions(policy) == before


def test_the_refusal_is_in_chinese_by_default(as_user):
    response = upload(as_user("policy"), HOSTILE["ten billion characters"][0])
    assert response.status_code == 422
    [problem] = [p for p in response.json["errors"]["file"] if p["code"] == "over_budget"]
    assert problem["message"].startswith("flow_city_approve 的条件表达式超出系统允许的计算量")


def test_thousands_of_nested_minus_signs_are_refused_with_a_message(as_user):
    policy = as_user("policy")
    before = definitions(policy)
    response = upload(policy, with_condition("-" * 3990 + "1 == 1"), lang="en")
    assert response.status_code == 422, response.json
    [problem] = response.json["errors"]["file"]
    assert (problem["element"], problem["code"]) == ("flow_city_approve", "bad_expression")
    assert "nested more than" in problem["message"]
    assert definitions(policy) == before


def test_ordinary_expressions_still_deploy(as_user):
    response = upload(as_user("policy"), with_condition(
        "decision == 'approve' and len([d for d in departments if d != '']) &gt;= 0"))
    assert response.status_code == 201, response.json


# Depends on the data (the number of households), so it deploys and is stopped at run time.
GROWS_WITH_DATA = with_condition(
    "decision == 'approve' and len([0] * households * 100000) &gt; 0")


def test_a_completion_exceeding_the_budget_is_refused_naming_the_element(as_user):
    policy, office = as_user("policy"), as_user("jingkou_office")
    assert upload(policy, GROWS_WITH_DATA).status_code == 201
    hostile = office.post("/api/v1/projects", json={"name": "大计算"}).json["id"]
    other = office.post("/api/v1/projects", json={"name": "另一个项目"}).json["id"]
    complete_step(as_user, hostile, "submit_plan")
    before = project(as_user, hostile)

    reviewer = as_user("city_review")
    task = reviewer.task_for(hostile, "city_review")
    response = reviewer.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {
        "necessity_ok": True, "urgency_ok": True, "feasibility_ok": True,
        "departments": ["housing", "finance"], "decision": "approve"}})
    assert response.status_code == 422, response.json
    [message] = response.json["errors"]["data"]
    assert "gw_city_review" in message, message
    assert "100000" in message

    after = project(as_user, hostile)
    assert after["current_steps"] == before["current_steps"]
    assert after["history"] == before["history"]
    assert reviewer.task_for(hostile, "city_review")["id"] == task["id"]

    # Another project's completion goes through at once: nothing was left holding a lock.
    complete_step(as_user, other, "submit_plan")
    assert [s["step"] for s in project(as_user, other)["current_steps"]] == ["city_review"]


def with_cardinality(count):
    """The joint sign-off run `count` times instead of once per department."""
    return STATUTORY.replace(
        "<bpmn:loopDataInputRef>departments</bpmn:loopDataInputRef>",
        f"<bpmn:loopCardinality>{count}</bpmn:loopCardinality>")


def test_a_constant_multi_instance_count_over_the_limit_is_refused(as_user):
    response = upload(as_user("policy"), with_cardinality("1000000"), lang="en")
    assert response.status_code == 422, response.json
    [problem] = [p for p in response.json["errors"]["file"] if p["code"] == "over_budget"]
    assert problem["element"] == "joint_signoff" and "1000000" in problem["message"]


def test_a_computed_multi_instance_count_over_the_limit_stops_the_step(as_user):
    policy = as_user("policy")
    response = upload(policy, with_cardinality("households * 100"))
    assert response.status_code == 201, response.json
    office = as_user("jingkou_office")
    project_id = office.post("/api/v1/projects", json={"name": "千次会签"}).json["id"]
    for step in ("submit_plan", "city_review", "file_compensation_plan",
                 "approve_compensation_plan", "consent_compensation_plan"):
        complete_step(as_user, project_id, step)
    before = project(as_user, project_id)
    finance = as_user("city_finance")
    task = finance.task_for(project_id, "check_funds")
    response = finance.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {
        "funds_required": 100000000, "funds_deposited": 100000000,
        "special_account": "6222 0001"}})
    assert response.status_code == 422, response.json
    [message] = response.json["errors"]["data"]
    assert "joint_signoff" in message and "1000" in message and "500" in message
    after = project(as_user, project_id)
    assert after["current_steps"] == before["current_steps"]
    assert after["history"] == before["history"]


def test_an_engine_failure_on_what_a_diagram_asks_is_a_422_not_a_server_error(as_user):
    # SpiffWorkflow 3 fails inside (NameError) on a loop cardinality whose output list
    # exists already, as the statutory process's `signoffs = []` makes it.
    assert upload(as_user("policy"), with_cardinality("2")).status_code == 201
    project_id = as_user("jingkou_office").post("/api/v1/projects",
                                                json={"name": "两次会签"}).json["id"]
    for step in ("submit_plan", "city_review", "file_compensation_plan",
                 "approve_compensation_plan", "consent_compensation_plan"):
        complete_step(as_user, project_id, step)
    finance = as_user("city_finance")
    task = finance.task_for(project_id, "check_funds")
    response = finance.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {
        "funds_required": 100000000, "funds_deposited": 100000000,
        "special_account": "6222 0001"}})
    assert response.status_code in (200, 422), response.json
    if response.status_code == 422:
        assert response.json["errors"]["data"]
        assert [s["step"] for s in project(as_user, project_id)["current_steps"]] == [
            "check_funds"]


def test_a_form_rule_that_would_exceed_the_budget_is_refused(as_user):
    import json
    from flows import ROOT
    form = json.loads((ROOT / "forms" / "submit_plan.json").read_text(encoding="utf-8"))
    form["rules"][0]["check"] = "households > 0 and len(str([[0]*100000]*100000)) > 0"
    response = upload(as_user("policy"), STATUTORY, forms=[form], lang="en")
    assert response.status_code == 422, response.json
    [problem] = [p for p in response.json["errors"]["file"] if p["code"] == "over_budget"]
    assert problem["element"] == "submit_plan"
