"""Computed form values: stored when they can be computed, refused when their inputs are given
but the computation fails (never stored empty), None while an input is still blank."""
import json

from flows import STATUTORY, STEP_DATA, complete_step, project, upload

RATIO = {"name": "in_kind_per_monetary", "type": "number",
         "label": {"zh": "实物与货币安置户数比", "en": "In-kind per monetary household"},
         "computed": "round(in_kind_households / monetary_households, 2)"}
AREA_EACH = {"name": "area_per_household", "type": "number",
             "label": {"zh": "户均面积", "en": "Area per household"},
             "computed": "round(area_m2 / households, 1)"}


def deploy_plan_form(as_user, *fields):
    policy = as_user("policy")
    form = json.loads(json.dumps(
        policy.get("/api/v1/process-definitions/1").json["forms"]["submit_plan"]))
    form["fields"].extend(fields)
    response = upload(policy, STATUTORY, [form], note="新增计算字段")
    assert response.status_code == 201, response.json


def start(as_user):
    response = as_user("jingkou_office").post("/api/v1/projects", json={"name": "计算字段项目"})
    assert response.status_code == 201, response.json
    return response.json["id"]


def completed_data(as_user, project_id, step):
    [event] = [e for e in project(as_user, project_id)["history"]
               if e["action"] == "complete" and e["detail"].get("step") == step]
    return event["detail"]["data"]


def test_a_computation_that_fails_on_given_inputs_is_refused_and_changes_nothing(as_user):
    deploy_plan_form(as_user, RATIO)
    project_id = start(as_user)
    office = as_user("jingkou_office")
    plan = dict(STEP_DATA["submit_plan"][1], in_kind_households=10, monetary_households=0)

    response = office.complete(project_id, "submit_plan", plan, expect=422)
    [text] = response["errors"]["in_kind_households"]
    assert "实物与货币安置户数比" in text and "division by zero" in text
    # Refused before anything was written: the step is still open, nothing in the history.
    assert office.task_for(project_id, "submit_plan")["status"] == "open"
    assert [e["action"] for e in project(as_user, project_id)["history"]] == ["start"]

    en = office.post(f"/api/v1/tasks/{office.task_for(project_id, 'submit_plan')['id']}"
                     "/complete?lang=en", json={"data": plan}).json
    assert en["errors"]["in_kind_households"] == [
        '"In-kind per monetary household" cannot be computed from the values given: '
        'ZeroDivisionError: division by zero.']

    complete_step(as_user, project_id, "submit_plan")  # 6 in kind, 4 monetary
    assert completed_data(as_user, project_id, "submit_plan")["in_kind_per_monetary"] == 1.5


def test_a_value_whose_input_is_blank_is_stored_empty(as_user):
    deploy_plan_form(as_user, AREA_EACH)
    project_id = start(as_user)
    complete_step(as_user, project_id, "submit_plan")  # no area given: nothing to compute
    assert completed_data(as_user, project_id, "submit_plan")["area_per_household"] is None

    other = start(as_user)
    complete_step(as_user, other, "submit_plan", dict(STEP_DATA["submit_plan"][1], area_m2=125))
    assert completed_data(as_user, other, "submit_plan")["area_per_household"] == 12.5


def test_a_computed_number_that_is_not_finite_is_refused(as_user):
    huge = {"name": "scale", "type": "number", "label": {"zh": "规模系数", "en": "Scale"},
            "computed": "float(area_m2) * 1e308"}
    deploy_plan_form(as_user, huge)
    project_id = start(as_user)
    response = as_user("jingkou_office").complete(
        project_id, "submit_plan", dict(STEP_DATA["submit_plan"][1], area_m2=10), expect=422)
    [text] = response["errors"]["area_m2"]
    assert "规模系数" in text
