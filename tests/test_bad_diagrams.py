"""Diagrams that must not be deployed: each refused with its own message, nothing deployed."""
import pytest

from flows import STATUTORY, definitions, upload

ORPHAN = """
    <bpmn:userTask id="orphan_step" name="孤立环节" camunda:formKey="handover" camunda:candidateGroups="district_office">
      <bpmn:extensionElements><camunda:properties>
        <camunda:property name="time_limit_days" value="5" />
      </camunda:properties></bpmn:extensionElements>
      <bpmn:outgoing>flow_orphan</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_orphan" sourceRef="orphan_step" targetRef="end_completed" />
  </bpmn:process>"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;</bpmn:definitions>"""

BAD = {
    "unknown role": (STATUTORY.replace('camunda:candidateGroups="finance"',
                                       'camunda:candidateGroups="treasury"'),
                     "check_funds", "unknown_role", "treasury"),
    "missing form": (STATUTORY.replace('camunda:formKey="handover"',
                                       'camunda:formKey="handover_v9"'),
                     "handover", "unknown_form", "handover_v9"),
    "__import__ in a condition": (
        STATUTORY.replace("decision == 'reject'", "__import__('os').system('rm -rf /')"),
        "flow_city_reject", "bad_expression", "__import__"),
    "entity expansion": (LAUGHS, None, "unsafe_xml", "DOCTYPE"),
    "script task with code": (
        STATUTORY.replace("<bpmn:script>signoffs = []</bpmn:script>",
                          "<bpmn:script>import os\nos.system('id')</bpmn:script>"),
        "prepare_signoff", "bad_script", "assignments"),
    "unreachable task": (STATUTORY.replace("  </bpmn:process>", ORPHAN),
                         "orphan_step", "unreachable", "cannot be reached"),
    "not XML at all": ("PK\x03\x04 this is a zip, not a diagram", None, "not_xml", "XML"),
    "no time limit": (STATUTORY.replace('<camunda:property name="time_limit_days" value="60" />',
                                        ""), "handover", "no_time_limit", "time limit"),
    "a million-day time limit": (
        STATUTORY.replace('<camunda:property name="time_limit_days" value="60" />',
                          '<camunda:property name="time_limit_days" value="1000000" />'),
        "handover", "days_too_many", "1000000"),
    "gateway flow without condition": (
        STATUTORY.replace("<bpmn:conditionExpression xsi:type=\"bpmn:tFormalExpression\">"
                          "decision == 'reject'</bpmn:conditionExpression>", ""),
        "flow_city_reject", "no_condition", "gw_city_review"),
    "misspelt data name": (STATUTORY.replace("funds_deposited &gt;= funds_required",
                                             "funds_deposted &gt;= funds_required"),
                           "flow_funds_sufficient", "unknown_name", "funds_deposted"),
    "not BPMN": ('<?xml version="1.0"?><diagram id="x"/>', None, "not_bpmn", "BPMN 2.0"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_diagram_is_refused_with_its_own_message(as_user, case):
    xml, element, code, words = BAD[case]
    policy = as_user("policy")
    before = definitions(policy)
    response = upload(policy, xml, note="bad", lang="en")
    assert response.status_code == 422, response.json
    problems = response.json["errors"]["file"]
    mine = [p for p in problems if p["code"] == code]
    assert mine, problems
    assert mine[0]["element"] == element
    assert words in mine[0]["message"]
    if element:
        assert element in mine[0]["message"]
    assert definitions(policy) == before  # nothing deployed


def test_validate_only_reports_problems_in_chinese_by_default(as_user):
    xml = BAD["unknown role"][0]
    response = upload(as_user("policy"), xml, validate_only="true")
    assert response.status_code == 422
    [problem] = response.json["errors"]["file"]
    assert problem["message"].startswith("用户任务 check_funds 的角色 “treasury” 不存在")


def test_every_problem_of_a_diagram_is_listed_at_once(as_user):
    xml = BAD["unknown role"][0].replace('camunda:formKey="handover"',
                                         'camunda:formKey="handover_v9"')
    response = upload(as_user("policy"), xml, lang="en")
    assert {(p["element"], p["code"]) for p in response.json["errors"]["file"]} == {
        ("check_funds", "unknown_role"), ("handover", "unknown_form")}


def test_only_policy_staff_and_administrators_deploy(as_user):
    for username in ("jingkou_office", "city_review", "city_supervisor"):
        response = upload(as_user(username), STATUTORY.replace('value="60"', 'value="50"'))
        assert response.status_code == 403, username
    assert len(definitions(as_user("policy"))) == 1
    response = upload(as_user("admin"), STATUTORY.replace('value="60"', 'value="50"'))
    assert response.status_code == 201


def test_an_upload_without_a_diagram_is_refused_per_field(as_user):
    response = as_user("policy").post("/api/v1/process-definitions", data={"note": "x"},
                                      content_type="multipart/form-data")
    assert response.status_code == 422
    assert "file" in response.json["errors"]
    response = as_user("policy").post("/api/v1/process-definitions",
                                      json={"xml": STATUTORY, "forms": "nonsense"})
    assert response.status_code == 422
    assert "forms" in response.json["errors"]


def test_multi_instance_without_collection_is_named(as_user):
    xml = STATUTORY.replace("<bpmn:loopDataInputRef>departments</bpmn:loopDataInputRef>", "")
    response = upload(as_user("policy"), xml, lang="en")
    assert response.status_code == 422
    [problem] = response.json["errors"]["file"]
    assert (problem["element"], problem["code"]) == ("joint_signoff", "no_collection")
